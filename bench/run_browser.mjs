// Serves the browser benchmark from 127.0.0.1 and drives it with Playwright in Debian's
// Chromium (scripts/bench browser). Writes the page's results as JSON to the path given.
//   node bench/run_browser.mjs OUT.json [--sizes 10000,100000,1000000] [--rounds 31] [--loads 9] [--only load|recommend|widget]
// --only recommend runs only the recommend() timings (no kernels, loading or memory pages).
// --only widget runs only the widget's first list (bench/web/widget.js): one load to warm the
// cache, then `loads` measured loads of the same page in the same browser context.
// --only load runs only the loading and memory pages (first recommendation, heap after loading,
// heap growth over API calls), skipping the kernel and recommend() timings. --loads: fresh pages
// per bundle for the first recommendation (the report gives their median).
// Served (read-only): /bench/ → bench/web/, /benchwasm/ → build-bench-wasm/bench/,
// /engine/ → build-bench-wasm/engine/ (or $BENCH_ENGINE_DIR), /bundles/ → build-bench/bundles/
// (or $BENCH_BUNDLE_DIR), /site/ → the built web app and widget (vite build; build-bench/site/ or
// $BENCH_SITE_DIR) with /site/engine/ → the same engine as /engine/ and /site/bundles/ → the app's
// bundles (web/public/bundles),
// /tfjs-core/ and /tfjs-wasm/ → the two TensorFlow.js dist/ folders in node_modules.
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_LAUNCH } from '../scripts/chromium.mjs';
import { pickEncoding } from '../web/plugins/precompressed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outPath = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
if (!outPath) {
  console.error('usage: node bench/run_browser.mjs OUT.json [--sizes N,N] [--rounds R] [--api-calls C]');
  process.exit(2);
}

const engineDir = path.resolve(process.env.BENCH_ENGINE_DIR ?? path.join(root, 'build-bench-wasm/engine'));
const mounts = {
  '/bench/': path.join(root, 'bench/web'),
  // The widget as a site publishes it: its script and chunks from the Vite build, the engine beside
  // it (../engine/ from widget/), the bundles (more specific prefixes first).
  '/site/engine/': engineDir,
  '/site/bundles/': path.join(root, 'web/public/bundles'),
  '/site/': path.resolve(process.env.BENCH_SITE_DIR ?? path.join(root, 'build-bench/site')),
  '/benchwasm/': path.join(root, 'build-bench-wasm/bench'),
  // BENCH_ENGINE_DIR: another staged engine (e.g. an engineer's own build) instead of scripts/bench's.
  '/engine/': engineDir,
  '/bundles/': path.resolve(process.env.BENCH_BUNDLE_DIR ?? path.join(root, 'build-bench/bundles')),
  // The app's own bundles (scripts/bundle demo|coco), as `pathlight train` wrote them.
  '/app-bundles/': path.join(root, 'web/public/bundles'),
  '/tfjs-core/': path.join(root, 'node_modules/@tensorflow/tfjs-core/dist'),
  '/tfjs-wasm/': path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
};
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.map': 'application/json' };

// What the server sent for the published site (/site/): full responses and 304s (widget runs).
const siteServed = { full: 0, notModified: 0 };
// What the server sent of the engine and the bundles to the current fresh page: response bodies
// as sent (the precompressed file when one was chosen) and requests. Counted here, where every
// request is seen once, whichever thread of the page made it.
const pageServed = { bytes: 0, requests: 0, bundleBytes: 0 };
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const prefix = Object.keys(mounts).find((p) => url.pathname.startsWith(p));
  const rel = prefix ? decodeURIComponent(url.pathname.slice(prefix.length)) : '';
  const file = prefix ? path.join(mounts[prefix], rel || 'index.html') : '';
  if (!prefix || !file.startsWith(mounts[prefix]) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  // As the demo server and a CDN serve them: the precompressed sibling the request accepts
  // (docs/bundle-format.md, "Serving"), else the file.
  const chosen = pickEncoding(file, req.headers['accept-encoding']);
  const stat = statSync(chosen?.file ?? file);
  // Everything is fetched afresh (no-store), except the published site, cached as
  // docs/bundle-format.md ("Serving") says a site serves it: content-addressed files (bundle shards,
  // Vite's hashed chunks) immutable, the rest (manifest.json, the widget's script at its fixed URL,
  // the engine) revalidated on every load (no-cache + ETag → 304 Not Modified).
  let caching = { 'cache-control': 'no-store' };
  if (prefix.startsWith('/site/')) {
    const addressed = /(^|\/)[0-9a-f]{64}\.\w+$/.test(rel) || /^assets\//.test(rel);
    const etag = `"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}${chosen ? `-${chosen.encoding}` : ''}"`;
    caching = addressed ? { 'cache-control': 'public, max-age=31536000, immutable' } : { 'cache-control': 'no-cache', etag };
    if (!addressed && req.headers['if-none-match'] === etag) {
      siteServed.notModified += 1;
      res.writeHead(304, caching).end();
      return;
    }
    siteServed.full += 1;
  }
  if (/^\/(bundles|app-bundles|engine)\//.test(prefix)) {
    pageServed.bytes += stat.size;
    pageServed.requests += 1;
    if (prefix !== '/engine/') pageServed.bundleBytes += stat.size;
  }
  res.writeHead(200, {
    'content-type': types[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
    ...caching,
    ...(chosen ? { 'content-encoding': chosen.encoding, vary: 'Accept-Encoding' } : {}),
  });
  createReadStream(chosen?.file ?? file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] });

// The page's own "done" (console.log, after it has set globalThis.benchResults). Not
// page.waitForFunction: its first poll injects Playwright's utility script into the page, which
// Chromium compiles and runs on the page's thread while the page is still loading — measured at
// 20–40 ms of that thread in a trace, and ~25 ms later first recommendations on the demo bundle
// (10 fresh pages each way, taking turns). Listening to the console adds nothing to the page.
function pageDone(page, timeoutMs) {
  return page.waitForEvent('console', { predicate: (msg) => msg.text() === 'done', timeout: timeoutMs });
}

// Each page runs in a fresh browser context (empty cache, fresh WASM heaps).
// Also returns, with the page's results, the load average before the page and what the server
// sent it of the bundle and engine files (response bodies as sent, and requests).
async function runPage(query, timeoutMs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  pageServed.bytes = 0;
  pageServed.requests = 0;
  pageServed.bundleBytes = 0;
  page.on('console', (msg) => console.log(`  [page] ${msg.text()}`));
  page.on('pageerror', (err) => console.log(`  [page error] ${err.message}`));
  const done = pageDone(page, timeoutMs);
  await page.goto(`${base}/bench/index.html?${query}`);
  await done;
  const results = await page.evaluate(() => globalThis.benchResults);
  results.loadAverage = loadAverage;
  results.wireBytes = pageServed.bytes;
  results.wireRequests = pageServed.requests;
  results.bundleWireBytes = pageServed.bundleBytes;
  await context.close();
  return results;
}

/**
 * The widget's first list with a warm cache: one browser context; the page is loaded once (which
 * fills the HTTP cache and the widget's on-device store), then `n` more times, each a new
 * navigation in that context. Returns each measured load's results with its load average.
 */
async function widgetRuns(n) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') console.log(`  [widget page] ${msg.text()}`); });
  page.on('pageerror', (err) => console.log(`  [widget page error] ${err.message}`));
  const url = `${base}/bench/widget.html?script=/site/widget/pathlight-widget.js&bundle=/site/bundles/demo/`;
  const once = async () => {
    const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    siteServed.full = 0;
    siteServed.notModified = 0;
    const done = pageDone(page, 60_000);
    await page.goto(url);
    await done;
    const results = await page.evaluate(() => globalThis.benchResults);
    // Files of the site the server sent in full and revalidated (304) for this load.
    return { ...results, loadAverage, siteFull: siteServed.full, siteNotModified: siteServed.notModified };
  };
  const warm = await once();
  console.log(`  widget: warm-up load ${warm.widgetFirstListMs?.toFixed(1) ?? warm.error} ms`);
  const runs = [];
  for (let i = 0; i < n; i++) {
    const r = await once();
    console.log(`  widget: load ${i + 1}/${n}: first list ${r.widgetFirstListMs?.toFixed(1) ?? r.error} ms (${r.cards} cards; site files sent ${r.siteFull}, revalidated ${r.siteNotModified}; load average ${r.loadAverage})`);
    runs.push(r);
  }
  await context.close();
  return { warmUp: warm, runs };
}

const sizes = opt('sizes', '10000,100000,1000000');
const rounds = opt('rounds', '31');
const apiCalls = opt('api-calls', '100000');
const loads = Number(opt('loads', '9'));
const only = opt('only', 'all');
const out = { browserVersion: browser.version(), served: base };
try {
  console.log(`Chromium ${browser.version()}, page served at ${base}`);
  if (!['all', 'load', 'recommend', 'widget'].includes(only)) throw new Error(`--only ${only}: expected load, recommend or widget`);
  if (only === 'all' || only === 'widget') out.widget = await widgetRuns(loads);
  if (only === 'recommend') out.main = await runPage(`mode=recommend&rounds=${rounds}`, 60 * 60 * 1000);
  else if (only === 'all') out.main = await runPage(`sizes=${sizes}&rounds=${rounds}`, 60 * 60 * 1000);
  if (only !== 'recommend' && only !== 'widget') {
    // Page load → first recommendation varies by ±20% from one fresh page to the next here (two
    // cores shared by the page, the Worker, the network service and V8's background threads): the
    // report takes the median of `loads` fresh pages per bundle, f32 and int8 taking turns.
    // The demo and CoCo bundles as the app serves them, and the 100k-item synthetic ones.
    const firstBundles = { f32: '/bundles/synth-100k-f32/manifest.json', i8: '/bundles/synth-100k-i8/manifest.json' };
    for (const app of ['demo', 'coco']) {
      if (existsSync(path.join(root, `web/public/bundles/${app}/manifest.json`))) firstBundles[app] = `/app-bundles/${app}/manifest.json`;
    }
    out.firstRuns = Object.fromEntries(Object.keys(firstBundles).map((k) => [k, []]));
    // The floor, in the same rounds: a fresh page that only starts an empty module Worker.
    out.floorRuns = [];
    // And each bundle's bytes alone: a fresh page that only downloads its first load's files.
    out.bytesRuns = Object.fromEntries(Object.keys(firstBundles).map((k) => [k, []]));
    for (let r = 0; r < loads; r++) {
      const floor = await runPage('mode=floor', 60 * 1000);
      out.floorRuns.push(floor.floor ? { ...floor.floor, loadAverage: floor.loadAverage } : { error: floor.error ?? 'no result' });
      for (const [name, bundle] of Object.entries(firstBundles)) {
        const bytes = await runPage(`mode=bytes&bundle=${bundle}`, 2 * 60 * 1000);
        out.bytesRuns[name].push(bytes.bytesFloor ? { ...bytes.bytesFloor, loadAverage: bytes.loadAverage, wireBytes: bytes.bundleWireBytes }
          : { error: bytes.error ?? 'no result' });
        const res = await runPage(`mode=first&bundle=${bundle}`, 5 * 60 * 1000);
        out.firstRuns[name].push(res.first ? { ...res.first, loadAverage: res.loadAverage, wireBytes: res.wireBytes,
          wireRequests: res.wireRequests, bundleWireBytes: res.bundleWireBytes } : { error: res.error ?? 'no result' });
      }
    }
    out.memoryLarge = await runPage('mode=memory&apiCalls=1000&bundle=/bundles/synth-100k-f32/manifest.json', 10 * 60 * 1000);
    out.memoryCalls = await runPage(`mode=memory&apiCalls=${apiCalls}&bundle=/bundles/synth-10k-f32/manifest.json`, 60 * 60 * 1000);
  }
} finally {
  await browser.close();
  server.close();
}
writeFileSync(outPath, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${outPath}`);
