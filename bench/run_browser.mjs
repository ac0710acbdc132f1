// Serves the browser benchmark from 127.0.0.1 and drives it with Playwright in Debian's
// Chromium (scripts/bench browser). Writes the page's results as JSON to the path given.
//   node bench/run_browser.mjs OUT.json [--sizes 10000,100000,1000000] [--rounds 31] [--loads 9] [--only load|recommend]
// --only recommend runs only the recommend() timings (no kernels, loading or memory pages).
// --only load runs only the loading and memory pages (first recommendation, heap after loading,
// heap growth over API calls), skipping the kernel and recommend() timings. --loads: fresh pages
// per bundle for the first recommendation (the report gives their median).
// Served (read-only): /bench/ → bench/web/, /benchwasm/ → build-bench-wasm/bench/,
// /engine/ → build-bench-wasm/engine/ (or $BENCH_ENGINE_DIR), /bundles/ → build-bench/bundles/
// (or $BENCH_BUNDLE_DIR),
// /tfjs-core/ and /tfjs-wasm/ → the two TensorFlow.js dist/ folders in node_modules.
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
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

const mounts = {
  '/bench/': path.join(root, 'bench/web'),
  '/benchwasm/': path.join(root, 'build-bench-wasm/bench'),
  // BENCH_ENGINE_DIR: another staged engine (e.g. an engineer's own build) instead of scripts/bench's.
  '/engine/': path.resolve(process.env.BENCH_ENGINE_DIR ?? path.join(root, 'build-bench-wasm/engine')),
  '/bundles/': path.resolve(process.env.BENCH_BUNDLE_DIR ?? path.join(root, 'build-bench/bundles')),
  // The app's own bundles (scripts/bundle demo|coco), as `pathlight train` wrote them.
  '/app-bundles/': path.join(root, 'web/public/bundles'),
  '/tfjs-core/': path.join(root, 'node_modules/@tensorflow/tfjs-core/dist'),
  '/tfjs-wasm/': path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'),
};
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.map': 'application/json' };

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
  res.writeHead(200, {
    'content-type': types[path.extname(file)] ?? 'application/octet-stream',
    'content-length': statSync(chosen?.file ?? file).size,
    'cache-control': 'no-store',
    ...(chosen ? { 'content-encoding': chosen.encoding, vary: 'Accept-Encoding' } : {}),
  });
  createReadStream(chosen?.file ?? file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Each page runs in a fresh browser context (empty cache, fresh WASM heaps).
// Also returns, with the page's results, the load average before the page and the bytes that came
// over the wire for bundle and engine files (encoded response bodies and headers).
async function runPage(query, timeoutMs) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const wire = [];
  page.on('requestfinished', (request) => {
    if (/\/(bundles|app-bundles|engine)\//.test(new URL(request.url()).pathname))
      wire.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  page.on('console', (msg) => console.log(`  [page] ${msg.text()}`));
  page.on('pageerror', (err) => console.log(`  [page error] ${err.message}`));
  await page.goto(`${base}/bench/index.html?${query}`);
  await page.waitForFunction(() => globalThis.benchResults !== undefined, null, { timeout: timeoutMs, polling: 500 });
  const results = await page.evaluate(() => globalThis.benchResults);
  results.loadAverage = loadAverage;
  results.wireBytes = (await Promise.all(wire)).reduce((a, b) => a + b, 0);
  results.wireRequests = wire.length;
  await context.close();
  return results;
}

const sizes = opt('sizes', '10000,100000,1000000');
const rounds = opt('rounds', '31');
const apiCalls = opt('api-calls', '100000');
const loads = Number(opt('loads', '9'));
const only = opt('only', 'all');
const out = { browserVersion: browser.version(), served: base };
try {
  console.log(`Chromium ${browser.version()}, page served at ${base}`);
  if (only === 'recommend') out.main = await runPage(`mode=recommend&rounds=${rounds}`, 60 * 60 * 1000);
  else if (only !== 'load') out.main = await runPage(`sizes=${sizes}&rounds=${rounds}`, 60 * 60 * 1000);
  if (only !== 'recommend') {
    // Page load → first recommendation varies by ±20% from one fresh page to the next here (two
    // cores shared by the page, the Worker, the network service and V8's background threads): the
    // report takes the median of `loads` fresh pages per bundle, f32 and int8 taking turns.
    // The demo and CoCo bundles as the app serves them, and the 100k-item synthetic ones.
    const firstBundles = { f32: '/bundles/synth-100k-f32/manifest.json', i8: '/bundles/synth-100k-i8/manifest.json' };
    for (const app of ['demo', 'coco']) {
      if (existsSync(path.join(root, `web/public/bundles/${app}/manifest.json`))) firstBundles[app] = `/app-bundles/${app}/manifest.json`;
    }
    out.firstRuns = Object.fromEntries(Object.keys(firstBundles).map((k) => [k, []]));
    for (let r = 0; r < loads; r++) {
      for (const [name, bundle] of Object.entries(firstBundles)) {
        const res = await runPage(`mode=first&bundle=${bundle}`, 5 * 60 * 1000);
        out.firstRuns[name].push(res.first ? { ...res.first, loadAverage: res.loadAverage, wireBytes: res.wireBytes,
          wireRequests: res.wireRequests } : { error: res.error ?? 'no result' });
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
