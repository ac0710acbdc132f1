// Shared steps for the learner-app suites. Everything is read from what the page shows (ids and
// titles come from the DOM, never hard-coded), so the same steps work on the demo and CoCo bundles.
import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { decodeCatalog } from '../wasm/catalog.js';

export const ORIGIN = 'http://127.0.0.1:8080';

/**
 * The catalog document ({concepts, items}) of a served bundle folder (its URL ends in "/"), from its
 * catalog part in either encoding (catalog-v1, decoded as the page decodes it, or JSON).
 * `request` is a Playwright APIRequestContext (`page.request`, a context's `request`, or the fixture).
 */
export async function servedCatalog(request, bundleFolderUrl) {
  const manifest = await request.get(`${bundleFolderUrl}manifest.json`);
  expect(manifest.ok()).toBe(true);
  const { file, shards, dtype } = (await manifest.json()).parts.catalog;
  // One file, or (format version 2) content-addressed shards to concatenate.
  const bodies = [];
  for (const f of shards ? shards.map((s) => s.file) : [file]) {
    const part = await request.get(`${bundleFolderUrl}${f}`);
    expect(part.ok()).toBe(true);
    bodies.push(await part.body());
  }
  const bytes = Buffer.concat(bodies);
  return dtype === 'json' ? JSON.parse(bytes.toString('utf8')) : decodeCatalog(new Uint8Array(bytes));
}

/** Opens the app (optionally on a dataset) and waits until it is ready to use. */
export async function openApp(page, { dataset, hash = '' } = {}) {
  const query = dataset ? `?dataset=${dataset}` : '';
  await page.goto(`/${query}${hash}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

/** Waits until the recommendations panel shows a settled list based on `events` events. */
export async function settled(page, { events } = {}) {
  const recs = page.getByTestId('recommendations');
  if (events !== undefined) await expect(recs).toHaveAttribute('data-based-on', String(events));
  await expect(recs).toHaveAttribute('aria-busy', 'false');
}

export async function recIds(page) {
  return page.getByTestId('rec-item').evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
}

/** Chooses the first topic matching `query` in the goals or known picker; returns its label. */
export async function chooseConcept(page, field, query) {
  await page.getByTestId(`${field}-search`).fill(query);
  const option = page.getByTestId(`${field}-option`).first();
  await expect(option).toBeVisible();
  const label = (await option.locator('.result__title').innerText()).trim();
  const id = await option.getAttribute('data-id');
  await option.click();
  await expect(option).toHaveAttribute('aria-pressed', 'true');
  // Goals are chips; known skills are the engine's list (learner().known), each with why.
  if (field === 'known') await expect(page.locator(`[data-testid="known-skill"][data-concept="${id}"]`)).toHaveCount(1);
  else await expect(page.getByTestId(`${field}-chip`).filter({ hasText: label })).toHaveCount(1);
  return label;
}

/** Onboarding with one goal and one known skill, then on to the feed. */
export async function onboard(page, { goal, known } = {}) {
  const picked = {};
  if (goal) picked.goal = await chooseConcept(page, 'goals', goal);
  if (known) picked.known = await chooseConcept(page, 'known', known);
  await settled(page);
  await page.getByTestId('finish-onboarding').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your feed' })).toBeVisible();
  await settled(page);
  return picked;
}

export async function go(page, route, heading) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: route }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
}

/** No serious or critical axe violations on what is on screen now. */
export async function expectAxeClean(page, label) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(severe).toEqual([]);
}

/** Saves a full-page screenshot under test-results/screenshots/ (kept after the run). */
export async function snap(page, name) {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Reads a download (the export file) as JSON. */
export async function downloadJson(page, trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return { name: download.suggestedFilename(), doc: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
}

/** Events stored in IndexedDB right now (read in the page, as the learner's browser has them). */
export async function storedEvents(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('pathlight');
    // Never create the database from the test: an upgrade here means there is none yet.
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => (open.error?.name === 'AbortError' ? resolve([]) : reject(open.error));
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('events')) {
        db.close();
        resolve([]);
        return;
      }
      const request = db.transaction('events').objectStore('events').getAll();
      request.onsuccess = () => {
        db.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    };
  }));
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
