// Issue 17: the widget on any page. The content-language filter and the language marks (the
// engine's), headings that follow the list after recordActivity, the example forum from another
// port with its fallbacks, and isolated mode in a 320 px column. Host pages come from HOST
// (e2e/widget-helpers.js); the example page is also served by a static server of this suite on a
// port the system picks. Needs `npm run build` first.
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { expect, WIDGET, openHost, inside, ready, widgetTag, catalog, collectConsole, openForumAcrossOrigins } from './widget-helpers.js';

test.describe.configure({ mode: 'parallel' });

const DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
const primary = (tag) => String(tag).split('-')[0].toLowerCase();

/** Each card: its item id, kind and the language its mark names ('' when unmarked). */
async function cards(page, id, mode) {
  return (await ready(page, id, mode)).evaluateAll((nodes) => nodes.map((li) => ({
    id: li.dataset.id, kind: li.dataset.kind, mark: li.querySelector('.language')?.dataset.lang ?? '',
    markText: li.querySelector('.language')?.textContent ?? '',
  })));
}

/** Whether a catalog item is in (a mentor: speaks) a language, by primary subtag. */
function speaks(item, lang) {
  return [item.language, ...(item.languages ?? [])].some((l) => primary(l) === primary(lang));
}

test('content language: an English page lists English items, a zh-CN page Chinese ones, content-lang overrides, and cards mark a language that differs from the page', async ({ page, request }) => {
  const byId = new Map((await catalog(request)).items.map((it) => [it.id, it]));
  await openHost(page, { body: widgetTag('a', { topic: 'docker', limit: 10 }) + widgetTag('b', { topic: 'docker', limit: 10, lang: 'zh-CN' }) });
  const en = await cards(page, 'a');
  expect(en.length).toBeGreaterThan(3);
  for (const c of en) {
    expect(speaks(byId.get(c.id), 'en'), c.id).toBe(true);
    expect(c.mark, c.id).toBe('');
  }
  // The element's own lang: the interface and the content are Chinese.
  const zh = await cards(page, 'b');
  expect(zh.length).toBeGreaterThan(0);
  for (const c of zh) {
    expect(speaks(byId.get(c.id), 'zh'), c.id).toBe(true);
    expect(c.mark, c.id).toBe('');
  }
  await expect(page.locator('#b .title')).toContainText('下一步');

  // <html lang="zh-CN"> with no lang on the element: the page's language decides.
  const page2 = await page.context().newPage();
  await openHost(page2, { lang: 'zh-CN', body: widgetTag('c', { kinds: 'course,ebook', limit: 10 }) });
  for (const c of await cards(page2, 'c')) expect(primary(byId.get(c.id).language), c.id).toBe('zh');

  // content-lang="*" on an English page: every language, and exactly the other-language cards
  // are marked, with the item's language named in the page's words.
  await page.evaluate(() => document.getElementById('a').setAttribute('content-lang', '*'));
  await page.evaluate(() => document.getElementById('a').setAttribute('limit', '20'));
  await expect.poll(async () => (await cards(page, 'a')).some((c) => c.mark !== '')).toBe(true);
  for (const c of await cards(page, 'a')) {
    const item = byId.get(c.id);
    const other = !speaks(item, 'en');
    expect(c.mark !== '', c.id).toBe(other);
    if (other) expect(c.mark).toBe(c.kind === 'mentor' ? item.languages[0] : item.language);
  }
  const german = (await cards(page, 'a')).find((c) => c.mark === 'de');
  if (german) expect(german.markText).toBe('German');

  // content-lang="de": German items only, each marked "German" on this English page.
  await page.evaluate(() => document.getElementById('a').setAttribute('content-lang', 'de'));
  await expect.poll(async () => (await cards(page, 'a')).every((c) => c.mark === 'de' || c.kind === 'mentor')).toBe(true);
  for (const c of await cards(page, 'a')) expect(speaks(byId.get(c.id), 'de'), c.id).toBe(true);
});

test('headings follow the list after every recordActivity, in both modes', async ({ page }) => {
  for (const mode of ['inline', 'isolated']) {
    await openHost(page, { body: widgetTag('a', { topic: 'docker', mode, kinds: 'course,ebook', limit: 5 }) + widgetTag('m', { topic: 'docker', mode, kinds: 'mentor', limit: 2 }) });
    const view = inside(page, 'a', mode);
    await ready(page, 'a', mode);
    await expect(view.locator('.title')).toHaveText('Next steps: Docker and containers');
    // The heading names the goals the engine ranked this list for (data-goals), and each goal
    // reason on the cards is about one of them.
    const check = async (id) => {
      const v = inside(page, id, mode);
      await ready(page, id, mode);
      const goals = (await v.locator('.title').getAttribute('data-goals')).split(' ').filter(Boolean);
      const reasonGoals = await v.locator('.reason[data-goal]').evaluateAll((n) => n.map((e) => e.dataset.goal));
      for (const g of reasonGoals) expect(goals, `${mode} ${id}: a card's reason names ${g}`).toContain(g);
      return goals;
    };
    expect(await check('a')).toEqual(['docker']);
    for (const activity of [{ type: 'complete', concept: 'docker' }, { type: 'complete', concept: 'kubernetes' }]) {
      await page.evaluate((a) => document.getElementById('a').recordActivity(a), activity);
      await expect.poll(async () => (await check('a')).includes(activity.concept)).toBe(false);
      await expect.poll(async () => (await check('m')).includes(activity.concept)).toBe(false);
      const title = await view.locator('.title').textContent();
      expect(title, `${mode}: after ${activity.concept}`).not.toContain(activity.concept === 'docker' ? 'Docker' : 'Kubernetes');
    }
    // An interest of the reader's own (a tutorial read on the page) pulls the list toward it: the
    // heading names it as soon as a card's reason does (check() asserts that for every card).
    await page.evaluate(() => document.getElementById('a').recordActivity({ type: 'read', concept: 'machine-learning' }));
    await expect.poll(async () => (await check('a')).includes('machine-learning')).toBe(true);
    await expect(view.locator('.title')).toContainText('Machine learning');
  }
});

test('isolated mentor cards in a 320 px column show the rating whole ("★ 4.8"), shortening the offering instead', async ({ page, request }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const byId = new Map((await catalog(request)).items.map((it) => [it.id, it]));
  await openHost(page, { head: '<style>body { margin: 0 }</style>', body: `<div style="width:320px">${widgetTag('m', { topic: 'docker', mode: 'isolated', kinds: 'mentor', limit: 3 })}</div>` });
  await expect(await ready(page, 'm', 'isolated')).not.toHaveCount(0);
  const shown = await inside(page, 'm', 'isolated').locator('li.item').evaluateAll((items) => items.map((li) => {
    const rating = li.querySelector('.rating');
    const pick = li.querySelector('.pick').getBoundingClientRect();
    const r = rating?.getBoundingClientRect();
    return {
      id: li.dataset.id, rating: rating?.textContent ?? null,
      // Whole: nothing of it hidden, and inside the card.
      cut: rating ? rating.scrollWidth > rating.clientWidth + 0.5 || r.right > pick.right + 0.5 || r.width === 0 : null,
      meta: li.querySelector('.meta')?.textContent ?? '',
    };
  }));
  for (const card of shown) {
    const item = byId.get(card.id);
    expect(item.rating, card.id).toBeGreaterThan(0);
    expect(card.rating, card.id).toBe(`★ ${Math.round(item.rating * 10) / 10}`);
    expect(card.cut, `${card.id}: “${card.meta}”`).toBe(false);
    expect(card.meta.endsWith(` · ${card.rating}`), card.meta).toBe(true);
  }
  if (process.env.PATHLIGHT_SCREENSHOTS) await page.screenshot({ path: `${process.env.PATHLIGHT_SCREENSHOTS}/isolated-mentors-320.png`, fullPage: true });
});

/** A static server for web/dist on a port the system picks (what any host's server does). */
async function serveDist() {
  const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
  const server = createServer((req, res) => {
    const file = path.join(DIST, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(DIST) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

test('the example forum works from any origin and port', async ({ page }) => {
  const { server, origin } = await serveDist();
  try {
    const lines = collectConsole(page);
    await page.goto(`${origin}/examples/forum.html`);
    await expect(await ready(page, 'next')).toHaveCount(4);
    await expect(await ready(page, 'mentors')).toHaveCount(2);
    const before = await page.locator('#next li.item').evaluateAll((n) => n.map((e) => e.dataset.id));
    await page.getByRole('button', { name: 'I followed this tutorial' }).click();
    await expect(page.locator('#done-note')).toHaveText('Noted on your device.');
    await expect.poll(() => page.locator('#next li.item').evaluateAll((n) => n.map((e) => e.dataset.id))).not.toEqual(before);
    expect(lines.filter((l) => l.type === 'error' || l.type === 'pageerror'), JSON.stringify(lines)).toEqual([]);
  } finally {
    server.close();
  }
});

test('the example forum says what went wrong when the engine or the widget cannot load', async ({ page }) => {
  // The engine cannot load: the widgets show their fallback, and the button says why.
  await page.route('**/engine/pathlight.js', (route) => route.abort());
  await page.goto(`${WIDGET}/examples/forum.html`);
  await expect(page.locator('#next [part~="fallback"]').filter({ visible: true })).toHaveText('Suggestions are not available right now.');
  await page.getByRole('button', { name: 'I followed this tutorial' }).click();
  await expect(page.locator('#done-note')).toHaveText(/^Could not note it: the suggestions engine could not load in this browser \(engine_load_failed\)\.$/);

  // The widget's script cannot load: the host's text inside the element says so, and the button too.
  const page2 = await page.context().newPage();
  await page2.route('**/widget/pathlight-widget.js', (route) => route.abort());
  await page2.goto(`${WIDGET}/examples/forum.html`);
  const text = page2.locator('#next .widget-fallback');
  await expect(text).toBeVisible();
  await expect(text).toHaveText(`The learning suggestions could not load: ${WIDGET}/widget/pathlight-widget.js did not run (not published there, blocked, or offline).`);
  await page2.getByRole('button', { name: 'I followed this tutorial' }).click();
  await expect(page2.locator('#done-note')).toContainText('Could not note it. The learning suggestions could not load');
});

test('isolated mode in a 320 px column: no horizontal overflow, no cut reasons, no blank rows, and a height that depends only on the number of items', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  // Two lists of four under the same heading (the heading is the host's topic; see docs/WIDGET.md).
  const box = (id, kinds) => `<div style="width:320px">${widgetTag(id, { topic: 'docker', mode: 'isolated', kinds, limit: 4 })}</div>`;
  await openHost(page, { head: '<style>body { margin: 0 }</style>', body: box('a', 'course,ebook,mentor') + box('b', 'consultation,ebook') });
  for (const id of ['a', 'b']) {
    await expect(await ready(page, id, 'isolated')).toHaveCount(4);
    const layout = await inside(page, id, 'isolated').locator('.root').evaluate((root) => {
      const doc = root.ownerDocument.documentElement;
      const cards = [...root.querySelectorAll('li.item .pick')];
      const line = parseFloat(getComputedStyle(root).fontSize) * 1.45;
      return {
        overflowX: doc.scrollWidth - doc.clientWidth,
        // A clamped block holds more than it shows when its content is taller than its box.
        cutReasons: [...root.querySelectorAll('.reason')].filter((r) => r.scrollHeight > r.clientHeight + 1).map((r) => r.textContent),
        emptyRows: [...root.querySelectorAll('.pick > *')].filter((e) => e.textContent.trim() === '').length,
        heights: cards.map((c) => Math.round(c.getBoundingClientRect().height)),
        // The largest space between two rows of a card, in lines.
        maxGapLines: Math.max(...cards.map((c) => {
          const rows = [...c.children].map((e) => e.getBoundingClientRect());
          let gap = 0;
          for (let i = 1; i < rows.length; i += 1) gap = Math.max(gap, rows[i].top - rows[i - 1].bottom);
          return gap / line;
        })),
      };
    });
    expect(layout.overflowX, id).toBeLessThanOrEqual(0);
    expect(layout.cutReasons, id).toEqual([]);
    expect(layout.emptyRows, id).toBe(0);
    expect(new Set(layout.heights).size, `${id}: ${layout.heights}`).toBe(1);
    expect(layout.maxGapLines, id).toBeLessThan(1.5);
  }
  // Two different lists of four: the same frame height (the host learns nothing from it).
  const [a, b] = [await cards(page, 'a', 'isolated'), await cards(page, 'b', 'isolated')];
  expect(a.map((c) => c.id)).not.toEqual(b.map((c) => c.id));
  const heights = await page.locator('pathlight-recs iframe').evaluateAll((n) => n.map((f) => f.getBoundingClientRect().height));
  expect(heights[0]).toBeGreaterThan(0);
  expect(heights[1]).toBe(heights[0]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  if (process.env.PATHLIGHT_SCREENSHOTS) await page.screenshot({ path: `${process.env.PATHLIGHT_SCREENSHOTS}/isolated-320.png`, fullPage: true });
});

test('the forum example across origins keeps the language filter in isolated mode', async ({ page, request }) => {
  const byId = new Map((await catalog(request)).items.map((it) => [it.id, it]));
  await openForumAcrossOrigins(page, '?mode=isolated&lang=zh-CN');
  const shown = await cards(page, 'next', 'isolated');
  expect(shown.length).toBeGreaterThan(0);
  for (const c of shown) expect(speaks(byId.get(c.id), 'zh'), c.id).toBe(true);
});
