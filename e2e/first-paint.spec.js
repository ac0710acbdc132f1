// Issue 18, "start sooner": the app draws its frame (header, language, the download's progress)
// before the bundle has arrived, then fills it. The bundle's parts are held back by the test until
// the frame has been checked, so the order is a fact of this run, not a race.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { catalogLayout } from '../wasm/catalog.js';
import { openApp, recIds, settled } from './helpers.js';

// The offline service worker would fetch parts where the route cannot see them.
test.use({ serviceWorkers: 'block' });

test('on CoCo the frame is drawn before the bundle has arrived, then the first list fills it', async ({ page, context, request }) => {
  const manifest = await request.get('/bundles/coco/manifest.json');
  test.skip(!manifest.ok(), 'no CoCo bundle (../shared/data/coco-udemy absent): scripts/bundle coco builds it');
  let release = () => {};
  const gate = new Promise((resolve) => { release = resolve; });
  const held = new Set();
  // The page fetches a first load's parts (pathlight.js, while the Worker starts); a context route
  // would see the Worker's requests too.
  await context.route('**/bundles/coco/**', async (route) => {
    const url = route.request().url();
    if (!url.endsWith('/manifest.json')) {
      held.add(url);
      await gate;
    }
    await route.continue();
  });

  await page.goto('/?dataset=coco');
  await expect.poll(() => held.size, { message: 'the page asks for the bundle\'s parts' }).toBeGreaterThan(0);
  // The frame, while no part has arrived: brand, interface language, the download's progress.
  await expect(page.locator('.site-header .brand')).toBeVisible();
  await expect(page.getByTestId('ui-language')).toBeVisible();
  await expect(page.getByTestId('progress')).toBeVisible();
  await expect(page.locator('html')).not.toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('rec-item')).toHaveCount(0);

  release();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await settled(page);
  expect((await recIds(page)).length).toBeGreaterThan(0);
  await expect(page.getByTestId('progress')).toBeHidden();
});

/**
 * Starts one more engine in the page on the demo bundle and returns the URLs fetched meanwhile: by
 * the page (its Resource Timing, cleared first; Chromium lists a dedicated Worker's script fetches
 * there too) and by the Worker (its own Resource Timing), and the length of a top-5 list.
 * @param {import('@playwright/test').Page} page
 */
function startEngine(page) {
  return page.evaluate(async () => {
    const { createPathlight } = await import(new URL('engine/pathlight.js', document.baseURI).href);
    performance.clearResourceTimings();
    const pl = await createPathlight({ bundleUrl: 'bundles/demo/manifest.json' });
    const byPage = performance.getEntriesByType('resource').map((e) => e.name);
    const byWorker = await pl.downloads();
    const recs = await pl.recommend({ k: 5 });
    pl.delete();
    return { byPage, byWorker, recs: recs.items.length };
  });
}

// The first load's files are downloaded by the page while the engine's Worker starts; the engine
// verifies them as if it had fetched them (wasm/pathlight.js, prefetchBundle).
test('the page downloads the first load\'s files, the Worker fetches none of them, and a failure still names the file', async ({ page, context }) => {
  await page.goto('/');
  const parts = await page.evaluate(async () => {
    const manifestUrl = new URL('bundles/demo/manifest.json', document.baseURI).href;
    const manifest = await (await fetch(manifestUrl, { cache: 'no-store' })).json();
    return Object.values(manifest.parts).map((p) => new URL(p.file, manifestUrl).href);
  });
  expect(parts.length).toBeGreaterThan(4);
  const loaded = await startEngine(page);
  for (const url of parts) {
    expect(loaded.byPage, `the page fetched ${url}`).toContain(url);
    expect(loaded.byWorker, `the Worker did not fetch ${url}`).not.toContain(url);
  }
  expect(loaded.recs).toBe(5);

  // A part the server does not have: the load fails naming it, as when the engine fetched it.
  const missing = parts[parts.length - 1];
  await context.route(missing, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const failed = await page.evaluate(async () => {
    const { createPathlight } = await import(new URL('engine/pathlight.js', document.baseURI).href);
    try {
      await createPathlight({ bundleUrl: 'bundles/demo/manifest.json' });
      return null;
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  });
  expect(failed?.code).toBe('network_error');
  expect(failed?.message).toContain(missing);
  expect(failed?.message).toContain('HTTP 404');

  // A manifest that does not match its pin: the page fetches no part of it. (The failed load's
  // other parts may still be arriving: only requests started from here on count.)
  await context.unroute(missing);
  const pinned = await page.evaluate(async () => {
    const { createPathlight } = await import(new URL('engine/pathlight.js', document.baseURI).href);
    const from = performance.now();
    try {
      await createPathlight({ bundleUrl: 'bundles/demo/manifest.json', integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      return null;
    } catch (e) {
      return { code: e.code, fetched: performance.getEntriesByType('resource').filter((r) => r.startTime >= from).map((r) => r.name) };
    }
  });
  expect(pinned?.code).toBe('integrity_mismatch');
  for (const url of parts) expect(pinned?.fetched).not.toContain(url);
});

// The engine's Worker starts from one script: the build bundles wasm/worker.js with everything it
// imports (engine.js, errors.js, bundle-plan.js, download.js, the Emscripten glue) into
// engine/worker.js, so the Worker never fetches a module after its script (wasm/CMakeLists.txt).
// Chromium lists a dedicated Worker's script fetches in the page's Resource Timing, not the
// Worker's; both are read, so the check holds wherever a browser lists them.
test('a first load\'s Worker fetches one script, worker.js, and none of the modules it is built from', async ({ page, context }) => {
  /** The engine's files among the URLs, by name (engine/<name>). */
  const engineFiles = (/** @type {string[]} */ urls) => urls.filter((u) => new URL(u).pathname.startsWith('/engine/')).map((u) => new URL(u).pathname.slice('/engine/'.length));
  const requested = [];
  context.on('request', (r) => requested.push(r.url()));  // the page's and its Workers'
  await openApp(page);
  // The app's own first load: no engine file fetched twice (a module the page and the Worker both
  // import), and none of the Worker's modules fetched apart.
  const files = engineFiles(requested);
  expect(files.filter((f, i) => files.indexOf(f) !== i), 'engine files requested more than once').toEqual([]);
  expect(files).toContain('worker.js');
  for (const f of ['engine.js', 'pathlight_core.js']) expect(files, `${f} is inside worker.js`).not.toContain(f);

  // One more engine, now that the page's own modules are loaded: whatever engine file is fetched
  // from here on is the new Worker's — exactly its script, and the .wasm the page compiles for it.
  const loaded = await startEngine(page);
  expect(engineFiles([...loaded.byPage, ...loaded.byWorker]).sort()).toEqual(['pathlight_core.wasm', 'worker.js']);
  expect(engineFiles(loaded.byWorker), 'the page compiles the .wasm and hands the Worker the module').not.toContain('pathlight_core.wasm');
});

/** A first load of the demo bundle with prefetchCatalog in `page`: its error {code, message}, or null. */
const failedFirstLoad = (/** @type {import('@playwright/test').Page} */ page) => page.evaluate(async () => {
  const { createPathlight } = await import(new URL('engine/pathlight.js', document.baseURI).href);
  try {
    await createPathlight({ bundleUrl: 'bundles/demo/manifest.json', prefetchCatalog: true });
    return null;
  } catch (e) {
    return { code: e.code, message: e.message };
  }
});

// prefetchCatalog on a first load: the page decodes its own copy of the catalog's file (the one
// it downloaded for the engine) while the engine verifies and decodes the bundle, and keeps it only
// when the engine says that same file, verified, is its catalog (wasm/pathlight.js, loadWith).
test('the page\'s own copy of the catalog gives the engine\'s records, and a tampered one fails the load', async ({ page, context }) => {
  await page.goto('/');
  const catalogUrl = await page.evaluate(async () => {
    const manifestUrl = new URL('bundles/demo/manifest.json', document.baseURI).href;
    const manifest = await (await fetch(manifestUrl, { cache: 'no-store' })).json();
    return new URL(manifest.parts.catalog.file, manifestUrl).href;
  });
  const records = () => page.evaluate(async () => {
    const { createPathlight } = await import(new URL('engine/pathlight.js', document.baseURI).href);
    const own = await createPathlight({ bundleUrl: 'bundles/demo/manifest.json', prefetchCatalog: true });
    const lazy = await createPathlight({ bundleUrl: 'bundles/demo/manifest.json' });  // asks the engine for its bytes
    const out = { own: { items: await own.items(), concepts: await own.concepts() }, lazy: { items: await lazy.items(), concepts: await lazy.concepts() } };
    own.delete();
    lazy.delete();
    return out;
  });
  const { own, lazy } = await records();
  expect(own.items.length).toBeGreaterThan(10);
  expect(own).toEqual(lazy);
  expect(own.concepts.some((c) => /[\u4e00-\u9fff]/.test(c.nameZh)), 'Chinese names: the decoder\'s non-ASCII path').toBe(true);

  // The same file with one byte changed (its length kept): the engine refuses it, so the load
  // fails and the page's decoding of it is never seen.
  await context.route(catalogUrl, async (route) => {
    const body = await (await route.fetch()).body();
    body[body.length - 1] ^= 0x01;
    await route.fulfill({ status: 200, body, headers: { 'content-type': 'application/octet-stream' } });
  });
  const failed = await failedFirstLoad(page);
  expect(failed?.code).toBe('checksum_mismatch');
  expect(failed?.message).toContain(catalogUrl.split('/').pop());
});

// The page decodes its copy of the catalog's file before the engine has verified it: bytes the
// engine refuses must fail the load, not the page. List offsets that run far beyond their list
// (here the last item's "teaches" ends at 2^32 - 1) made the page's decoder allocate and walk
// 4 billion entries on the main thread: the tab hung, then ran out of memory. Twice: the server
// sends the damaged file (its SHA-256 no longer matches: checksum_mismatch), and the operator
// re-signs the manifest with the damaged file's SHA-256 (the engine reads the layout: corrupt_bundle).
test('a first load\'s catalog file with list offsets beyond their list fails the load, and the page stays responsive', async ({ page, context }) => {
  await page.goto('/');
  const { manifestUrl, manifestText, catalogUrl } = await page.evaluate(async () => {
    const url = new URL('bundles/demo/manifest.json', document.baseURI).href;
    const text = await (await fetch(url, { cache: 'no-store' })).text();
    return { manifestUrl: url, manifestText: text, catalogUrl: new URL(JSON.parse(text).parts.catalog.file, url).href };
  });
  const good = new Uint8Array(await (await page.request.get(catalogUrl)).body());
  const { counts, sections } = catalogLayout(good);
  const damaged = good.slice();
  new DataView(damaged.buffer).setUint32(sections.teachesOffsets.offset + 4 * counts.items, 0xffffffff, true);
  await context.route(catalogUrl, (route) => route.fulfill({ status: 200, body: Buffer.from(damaged), headers: { 'content-type': 'application/octet-stream' } }));
  const sent = await failedFirstLoad(page);
  expect(sent?.code).toBe('checksum_mismatch');
  expect(sent?.message).toContain(catalogUrl.split('/').pop());

  const manifest = JSON.parse(manifestText);
  const hash = createHash('sha256').update(damaged).digest('hex');
  expect(manifest.parts.catalog.sha256).not.toBe(hash);
  manifest.parts.catalog.sha256 = hash;
  await context.route(manifestUrl, (route) => route.fulfill({ status: 200, body: JSON.stringify(manifest), headers: { 'content-type': 'application/json' } }));
  const signed = await failedFirstLoad(page);
  expect(signed?.code).toBe('corrupt_bundle');
  expect(signed?.message).toContain('teaches_offsets');
});
