// The first vertical slice as a learner sees it, now the "already taken" step of onboarding: load
// the demo bundle, search, pick, get a top 10 computed in the page — and nothing about the learner
// goes over the network. (The full app is covered by journey, storage, privacy, offline, i18n and
// a11y specs.)
// Needs `npm run build` after the engine (web/public/engine/) and the demo bundle
// (web/public/bundles/demo/) exist. Catalog ids and titles are read from the page, never hard-coded.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const ORIGIN = 'http://127.0.0.1:8080';
// A word that appears in several demo titles; everything else is read from what the page shows.
const SEARCH_WORD = 'python';

/** Opens the app and waits until the catalog is loaded (the search box is usable). */
async function openApp(page, path = '/') {
  await page.goto(path);
  await expect(page.getByTestId('search')).toBeVisible();
}

async function search(page, word) {
  await page.getByTestId('search').fill(word);
  const results = page.getByTestId('search-result');
  await expect(results.first()).toBeVisible();
  return results;
}

/** Reads the id and title of the n-th search result, as shown on the page. */
async function describeResult(results, n) {
  const result = results.nth(n);
  return {
    id: await result.getAttribute('data-id'),
    title: (await result.locator('.result__title').innerText()).trim(),
  };
}

/** Picks the n-th search result and waits until the top 10 reflects `expectedPicks` picks. */
async function pick(page, results, n, expectedPicks) {
  const item = await describeResult(results, n);
  await results.nth(n).click();
  await expect(results.nth(n)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('picked')).toHaveCount(expectedPicks);
  await expectRecommendationsFor(page, expectedPicks);
  return item;
}

async function expectRecommendationsFor(page, picks) {
  const recs = page.getByTestId('recommendations');
  await expect(recs).toHaveAttribute('data-based-on', String(picks));
  await expect(recs).toHaveAttribute('aria-busy', 'false');
}

async function recommendationIds(page) {
  return page.getByTestId('rec-item').evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
}

test('picking liked items shows a top 10 that excludes them and follows every pick', async ({ page }) => {
  await openApp(page);
  const results = await search(page, SEARCH_WORD);
  expect(await results.count()).toBeGreaterThanOrEqual(4);
  for (const title of await results.locator('.result__title').allInnerTexts()) {
    expect(title.toLowerCase()).toContain(SEARCH_WORD);
  }

  const picked = [];
  for (let n = 0; n < 3; n += 1) picked.push(await pick(page, results, n, n + 1));
  await expect(page.getByTestId('picked')).toHaveText(picked.map((p) => new RegExp(escapeRegExp(p.title))));

  const recItems = page.getByTestId('rec-item');
  await expect(recItems).toHaveCount(10);
  const first = await recommendationIds(page);
  expect(new Set(first).size).toBe(10);
  for (const { id } of picked) expect(first).not.toContain(id);
  for (const title of await recItems.locator('.rec__title').allInnerTexts()) {
    expect(title.trim()).not.toBe('');
  }
  // Every card shows kind, price (or "price unknown"), level (rating for mentors) and hours.
  for (const card of await recItems.all()) {
    await expect(card.locator('.kind')).not.toBeEmpty();
    await expect(card.locator('.rec__price')).toHaveText(/\d|Free|price unknown/);
    const mentor = (await card.getAttribute('data-kind')) === 'mentor';
    await expect(card.locator(mentor ? '.rec__rating' : '.rec__level')).not.toBeEmpty();
    await expect(card.locator('.rec__hours')).toHaveText(/h\b|hours unknown|session length unknown/);
  }

  // A fourth pick changes the list, and the new pick is not recommended back.
  const fourth = await pick(page, results, 3, 4);
  await expect(recItems).toHaveCount(10);
  const second = await recommendationIds(page);
  expect(second).not.toEqual(first);
  for (const { id } of [...picked, fourth]) expect(second).not.toContain(id);

  // Removing it again (chip button) brings back exactly the three-pick list: fold-in is deterministic.
  await page.getByRole('button', { name: `Remove ${fourth.title}` }).click();
  await expect(page.getByTestId('picked')).toHaveCount(3);
  await expectRecommendationsFor(page, 3);
  expect(await recommendationIds(page)).toEqual(first);
  await expect(results.nth(3)).toHaveAttribute('aria-pressed', 'false');
});

test('search and picks work from the keyboard alone', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('search').focus();
  await page.keyboard.type(SEARCH_WORD);
  const results = page.getByTestId('search-result');
  await expect(results.first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(results.nth(0)).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(results.nth(1)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('picked')).toHaveCount(2);
  await expectRecommendationsFor(page, 2);
  await expect(page.getByTestId('rec-item')).toHaveCount(10);
  // Focus stays on the result just toggled; pressing it again unpicks.
  await expect(results.nth(1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('picked')).toHaveCount(1);
  await expectRecommendationsFor(page, 1);
});

test('the page says it runs on the device and labels the demo data', async ({ page }) => {
  await openApp(page);
  await expect(page.getByTestId('device-note')).toBeVisible();
  await expect(page.getByTestId('device-note')).toContainText(
    'Computed on your device — nothing about you leaves this page.',
  );
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await expect(page.getByTestId('demo-banner')).toHaveText('Demo data — fictional catalog');
  await expect(page.getByTestId('progress')).toBeHidden();
  await expect(page.getByTestId('error')).toBeHidden();
});

test('privacy: picks never reach the network; only static GETs to the page origin', async ({ page }) => {
  const requests = [];
  let picking = false;
  page.on('request', (request) => requests.push({ request, duringPicks: picking }));
  await openApp(page);

  picking = true;
  const results = await search(page, SEARCH_WORD);
  const picked = [];
  for (let n = 0; n < 3; n += 1) picked.push(await pick(page, results, n, n + 1));
  await expect(page.getByTestId('rec-item')).toHaveCount(10);
  await page.getByRole('button', { name: `Remove ${picked[2].title}` }).click();
  await expectRecommendationsFor(page, 2);
  await page.waitForTimeout(500); // let anything asynchronous that a pick could trigger go out

  const secrets = picked.flatMap(({ id, title }) => [id, title, encodeURIComponent(title)]);
  expect(requests.length).toBeGreaterThan(0);
  for (const { request } of requests) {
    const url = new URL(request.url());
    const where = `${request.method()} ${request.url()}`;
    expect(request.method(), where).toBe('GET');
    expect(url.origin, where).toBe(ORIGIN);
    expect(url.search, where).toBe('');
    // A static file: the page itself or a path naming a file (no API endpoints).
    expect(url.pathname, where).toMatch(/^\/$|^\/[\w./-]*\.[a-z0-9]+$/i);
    expect(request.postData(), where).toBeNull();
    const haystack = decodeURIComponent(request.url()).toLowerCase();
    for (const secret of secrets) expect(haystack, where).not.toContain(secret.toLowerCase());
  }
  // Picking and unpicking caused no traffic at all (the favicon may be fetched late).
  const afterPicks = requests
    .filter((r) => r.duringPicks && !/favicon/.test(r.request.url()))
    .map((r) => r.request.url());
  expect(afterPicks).toEqual([]);
});

test('a bundle part that fails its checksum shows the error panel', async ({ page }) => {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  let tampered = false;
  // The item factors' file (in format version 2 the whole part, which a first load fetches).
  const manifest = await (await page.request.get('/bundles/demo/manifest.json')).json();
  const factors = manifest.parts.item_factors.file;
  await page.route(`**/bundles/demo/${factors}`, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[Math.floor(body.length / 2)] ^= 0x5a; // flip bits of one byte
    tampered = true;
    await route.fulfill({
      status: response.status(),
      contentType: 'application/octet-stream',
      body,
    });
  });
  await page.goto('/');
  const panel = page.getByTestId('error');
  await expect(panel).toBeVisible();
  expect(tampered, `the bundle should fetch ${factors}`).toBe(true);
  await expect(panel).toContainText('The model bundle could not be loaded:');
  await expect(panel).toContainText('checksum_mismatch');
  await expect(page.getByTestId('recommendations')).toBeHidden();
  await expect(page.getByTestId('search')).toBeHidden();
  expect(errors.length).toBeGreaterThan(0);
});

test('a manifest of an unknown format version shows the error panel', async ({ page }) => {
  await page.route('**/bundles/demo/manifest.json', async (route) => {
    const response = await route.fetch();
    const manifest = await response.json();
    manifest.version = 99;
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(manifest) });
  });
  await page.goto('/');
  const panel = page.getByTestId('error');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('The model bundle could not be loaded:');
  await expect(panel).toContainText('unsupported_version');
  await expect(page.getByTestId('recommendations')).toBeHidden();
});

test('a dataset that is not published shows the error panel', async ({ page }) => {
  await page.goto('/?dataset=no-such-dataset');
  const panel = page.getByTestId('error');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('The model bundle could not be loaded:');
  // vite preview answers 404 for a missing file (appType 'mpa'), which the engine reports as such.
  await expect(panel).toContainText(/\((network_error|io_error)\)/);
  await expect(page.getByTestId('recommendations')).toBeHidden();
});

test('accessibility: no serious or critical axe violations', async ({ page }) => {
  test.setTimeout(90_000);  // three picks and an axe run: slow on a loaded 2-core machine
  await openApp(page);
  const results = await search(page, SEARCH_WORD);
  for (let n = 0; n < 3; n += 1) await pick(page, results, n, n + 1);
  await expect(page.getByTestId('rec-item')).toHaveCount(10);

  const { violations } = await new AxeBuilder({ page }).analyze();
  const severe = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(severe).toEqual([]);
});

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
