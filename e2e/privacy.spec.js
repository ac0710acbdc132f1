// Privacy as a learner (or an auditor watching the network) can check it: whatever the learner
// types or imports never appears in any request — URL, header or body — including the service
// worker's; and two learners with different profiles cause exactly the same set of requests.
import { test, expect } from '@playwright/test';
import { ORIGIN, chooseConcept, go, onboard, openApp, settled, storedEvents } from './helpers.js';
import { WIDGET, openHost, ready, widgetTag } from './widget-helpers.js';

/** Records every request of the context (pages, the engine's worker and the service worker). */
function recordRequests(context) {
  const requests = [];
  context.on('request', (request) => requests.push(request));
  return requests;
}

async function offlineReady(page) {
  await expect(page.locator('html')).toHaveAttribute('data-offline', 'ready', { timeout: 30_000 });
}

test('a unique marker in the learner’s profile never reaches the network', async ({ context, page }) => {
  test.setTimeout(90_000);
  const marker = `zqx-marker-${Date.now().toString(36)}`;
  const requests = recordRequests(context);
  await openApp(page);
  await offlineReady(page);

  // The marker goes everywhere a learner can put text or data: searches, an imported profile
  // (as a goal and as an item id), then every view renders it or works around it.
  for (const field of ['goals', 'known']) await page.getByTestId(`${field}-search`).fill(marker);
  await page.getByTestId('search').fill(marker);
  await chooseConcept(page, 'goals', 'machine learning');
  await go(page, 'Privacy', 'Privacy centre');
  const profile = {
    format: 'pathlight-export',
    version: 1,
    dataset: 'demo',
    profile: {
      format: 'pathlight-profile',
      version: 1,
      goals: ['machine-learning', marker],
      known: [],
      events: [{ type: 'enroll', item: marker, t: 1700000000 }, { type: 'bookmark', item: marker, t: 1700000100 }],
    },
  };
  await page.getByTestId('import').setInputFiles({ name: `${marker}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(profile)) });
  await expect(page.getByTestId('import-status')).toContainText('Imported: 2 new events');
  await expect(page.getByTestId('import-status')).toContainText('1 item is not in this catalog');
  await expect(page.getByTestId('stored-json')).toContainText(marker);

  await go(page, 'Feed', 'Your feed');
  await settled(page, { events: 2 });
  await page.getByTestId('rec-item').first().getByRole('button', { name: 'Enroll', exact: true }).click();
  await settled(page, { events: 3 });
  await go(page, 'Path', 'Your learning path');
  // An unknown goal gets a clear message instead of an error.
  await expect(page.getByTestId('path-unknown-goal')).toContainText(marker);
  await go(page, 'Mentors', 'Mentors for you');
  await go(page, 'Privacy', 'Privacy centre');
  await page.getByTestId('export').click();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.waitForTimeout(1000); // anything asynchronous a change could trigger has gone out

  expect(requests.length).toBeGreaterThan(10);
  for (const request of requests) {
    const where = `${request.method()} ${request.url()}${request.serviceWorker() ? ' (service worker)' : ''}`;
    const url = new URL(request.url());
    expect(url.origin, where).toBe(ORIGIN);
    expect(request.method(), where).toBe('GET');
    expect(request.postData(), where).toBeNull();
    expect(url.search, where).toBe('');
    expect(url.pathname, where).toMatch(/^\/$|^\/[\w./-]*\.[a-z0-9]+$/i);
    const headers = JSON.stringify(await request.allHeaders());
    for (const haystack of [decodeURIComponent(request.url()), headers]) expect(haystack.toLowerCase(), where).not.toContain(marker);
  }
});

/** One learner's session from a fresh browser: onboarding, actions, every view. */
async function session(browser, { goal, known, action, rate }) {
  const context = await browser.newContext();
  const requests = recordRequests(context);
  const page = await context.newPage();
  await openApp(page);
  await offlineReady(page);
  await onboard(page, { goal, known });
  const card = page.getByTestId('rec-item').nth(1);
  await card.getByRole('button', { name: action }).click();
  await settled(page, { events: 1 });
  await page.getByTestId('rec-item').nth(2).getByRole('combobox').selectOption(String(rate));
  await settled(page, { events: 2 });
  await go(page, 'Path', 'Your learning path');
  await go(page, 'Mentors', 'Mentors for you');
  await go(page, 'Privacy', 'Privacy centre');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await offlineReady(page);
  await page.waitForTimeout(500);
  const set = [...new Set(requests.map((r) => `${r.method()} ${new URL(r.url()).pathname}`))].sort();
  await context.close();
  return set;
}

test('two learners with different profiles cause the same set of requests', async ({ browser }) => {
  test.setTimeout(90_000);
  const first = await session(browser, { goal: 'machine learning', known: 'python', action: 'Enroll', rate: 5 });
  const second = await session(browser, { goal: 'kubernetes', known: 'git', action: 'Not interested', rate: 1 });
  expect(first.length).toBeGreaterThan(10);
  expect(second).toEqual(first);
});

test('the privacy centre says how many removed actions are still kept as markers, as IndexedDB holds them', async ({ page }) => {
  await openApp(page);
  await onboard(page, { goal: 'machine learning' });
  for (const [n, name] of [[1, 'Save'], [2, 'Enroll']]) {
    await page.getByTestId('rec-item').first().getByRole('button', { name, exact: true }).click();
    await settled(page, { events: n });
  }
  await go(page, 'Privacy', 'Privacy centre');
  await expect(page.getByTestId('stored-removed')).toHaveCount(0);  // nothing removed yet
  await page.getByTestId('remove-event').first().click();
  await expect(page.getByTestId('remove-event')).toHaveCount(1);
  const removed = page.getByTestId('stored-removed');
  await expect(removed).toHaveAttribute('data-n', '1');
  await expect(removed).toContainText('1 removed action with this data set is still kept as a marker — its id');
  // The sentence is a claim about the store: the same number of tombstones, each with no item.
  const tombstones = (await storedEvents(page)).filter((r) => r.deleted);
  expect(tombstones).toHaveLength(1);
  expect(Object.keys(tombstones[0]).sort()).toEqual(['deleted', 'id', 'scope', 't']);
});

test('the privacy centre counts what the widget stored on this site apart from the data set, and Erase everything deletes it', async ({ page }) => {
  // It said "Everything Pathlight knows about you with this data set is on this page" and did not
  // mention the widget's records on the same origin (scope "widget:<manifest URL>").
  await openHost(page, { origin: WIDGET, body: widgetTag('a', { topic: 'docker', mode: 'inline', limit: 3 }) });
  await ready(page, 'a');
  for (const concept of ['docker', 'kubernetes'])
    await page.evaluate((c) => document.getElementById('a').recordActivity({ type: 'complete', concept: c }), concept);
  // Counted from IndexedDB itself, not from the page.
  const widgetEvents = async () => (await storedEvents(page)).filter((e) => String(e.scope).startsWith('widget:') && !e.deleted);
  await expect.poll(async () => (await widgetEvents()).length).toBeGreaterThan(0);
  const events = await widgetEvents();
  const scope = events[0].scope;
  expect(new Set(events.map((e) => e.scope))).toEqual(new Set([scope]));

  await openApp(page);
  await onboard(page, { goal: 'machine learning' });
  await go(page, 'Privacy', 'Privacy centre');
  const entry = page.getByTestId('stored-elsewhere').locator('li').filter({ hasText: 'Pathlight widget' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toHaveAttribute('data-scope', scope);
  await expect(entry).toContainText(`The Pathlight widget on pages of this site, with the model bundle ${scope.slice('widget:'.length)}: ${events.length} ${events.length === 1 ? 'action' : 'actions'}`);
  await expect(page.getByText('is counted under “Stored apart from this data set”')).toBeVisible();

  await page.getByTestId('erase').click();
  await page.getByTestId('erase-confirm').click();
  await expect.poll(async () => (await widgetEvents()).length).toBe(0);
});

test('the privacy centre says which settings are stored, as IndexedDB holds them', async ({ page }) => {
  // It said "Interface language: English. Data set: Demo. Each is stored only once you choose it
  // yourself" whether or not either was (a sentence-check helper).
  const storedSettings = () => page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('pathlight');
    open.onsuccess = () => {
      const request = open.result.transaction('settings').objectStore('settings').getAll();
      request.onsuccess = () => { open.result.close(); resolve(Object.fromEntries(request.result.map((r) => [r.key, r.value]))); };
    };
  }));
  await openApp(page);
  await onboard(page, { goal: 'machine learning' });
  await go(page, 'Privacy', 'Privacy centre');
  const line = page.getByTestId('stored-settings');
  expect(await storedSettings()).toEqual({});
  await expect(line).toHaveText('Interface language: English — not stored: chosen from your browser’s language until you pick one in the header. Data set: Demo (fictional catalog) — not stored: the default (or opened by a link) until you choose one in Goals & settings.');
  // The data set is a setting (the line above says whether it is stored), not a preference: it was
  // listed under "Goals and preferences" as stored while the line said "not stored" (helper-41).
  await expect(page.getByTestId('stored-prefs')).not.toContainText('Demo (fictional catalog)');
  await page.getByTestId('ui-language').selectOption('zh-CN');
  await expect.poll(storedSettings).toEqual({ uiLanguage: 'zh-CN' });
  await expect(line).toHaveText('界面语言：中文（中国）——已保存，是你在页眉中选择的。数据集：演示数据（虚构目录）——未保存：在你于“目标与设置”中选择之前，这是默认值（或通过链接打开）。');
});
