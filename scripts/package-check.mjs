#!/usr/bin/env node
// CI check of the npm package (scripts/package-check): installs the tarball into an empty folder
// outside the repository, with vite from the npm registry (not the repository's node_modules),
// and checks the two ways a site uses it, in Debian's Chromium headless shell (scripts/chromium.mjs;
// via the repository's Playwright — the test driver only; nothing it serves comes from the repository):
//   (a) a minimal Vite app that imports the engine (`import { createPathlight } from 'pathlight'`),
//       built with `vite build` and served on a port of this script's choosing: it must list 10
//       real item ids of the demo catalog, with the engine in a Worker, and report the bundle
//       formats the package.json states;
//   (b) a plain HTML page beside node_modules that loads the widget with one script tag: it must
//       render 5 suggestions from the demo catalog.
// Every request of both pages must go to that folder's own server. No Emscripten, no repository
// on that path. Usage: node scripts/package-check.mjs build/package/pathlight-*.tgz
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_LAUNCH } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tarball = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !statSync(tarball, { throwIfNoEntry: false })?.isFile()) {
  console.error('usage: node scripts/package-check.mjs build/package/pathlight-<version>.tgz (made by scripts/package)');
  process.exit(2);
}
const viteVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.vite;
const catalogIds = new Set(JSON.parse(readFileSync(path.join(root, 'data/demo/catalog.json'), 'utf8')).items.map((it) => it.id));
const started = Date.now();
const step = (what) => console.log(`==> [${((Date.now() - started) / 1000).toFixed(1)} s] ${what}`);
const fail = (what) => {
  console.error(`package-check FAILED: ${what}`);
  process.exitCode = 1;
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'pathlight-package-check-'));
if (dir.startsWith(root)) throw new Error(`the temp folder ${dir} is inside the repository`);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.css': 'text/css' };
/** A static file server for `folder` on a free port (what any site's server does). */
function serve(folder) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.join(folder, decodeURIComponent(url.pathname));
    if (!file.startsWith(folder)) return res.writeHead(403).end();
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, 'index.html');
    let body;
    try {
      body = readFileSync(file);
    } catch {
      return res.writeHead(404).end('not found');
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Opens `url`, waits for `ready` (a function run in the page), returns its value and every request URL. */
async function run(browser, url, ready) {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`); });
  // Workers' requests too (the engine's Worker fetches nothing itself, but check).
  page.on('worker', (w) => requests.push(w.url()));
  await page.goto(url);
  const handle = await page.waitForFunction(ready, null, { timeout: 30_000, polling: 100 }).catch((e) => {
    errors.push(`timed out: ${e.message.split('\n')[0]}`);
    return null;
  });
  const value = handle ? await handle.jsonValue() : null;
  await page.close();
  return { value, requests, errors };
}

try {
  step(`installing ${path.basename(tarball)} and vite@${viteVersion} from the npm registry into ${dir}`);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'a-site', private: true, type: 'module' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, `vite@${viteVersion}`],
    { cwd: dir, stdio: 'inherit' });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'node_modules/pathlight/package.json'), 'utf8'));

  step('(a) a minimal Vite app that imports the engine: vite build');
  const app = path.join(dir, 'app');
  mkdirSync(path.join(app, 'public/bundles'), { recursive: true });
  // The site publishes a bundle of its own; here the package's demo bundle.
  cpSync(path.join(dir, 'node_modules/pathlight/bundles/demo'), path.join(app, 'public/bundles/demo'), { recursive: true });
  writeFileSync(path.join(app, 'vite.config.js'),
    "export default { optimizeDeps: { exclude: ['pathlight'] }, worker: { format: 'es' } };\n");
  writeFileSync(path.join(app, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>a site</title>' +
    '<script type="module" src="./main.js"></script></head><body><pre id="out"></pre></body></html>\n');
  writeFileSync(path.join(app, 'main.js'), `import { createPathlight } from 'pathlight';

const engine = await createPathlight({ bundleUrl: './bundles/demo/' });
const { items } = await engine.recommend({ k: 10 });
const { bundleFormats } = await engine.describe();
document.getElementById('out').textContent = JSON.stringify({ ids: items.map((it) => it.id), bundleFormats, dataset: engine.info.dataset });
`);
  execFileSync(path.join(dir, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app, stdio: 'inherit' });
  const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args] });
  try {
    const appServer = await serve(path.join(app, 'dist'));
    const appOrigin = `http://127.0.0.1:${appServer.address().port}`;
    step(`(a) serving app/dist at ${appOrigin}`);
    const a = await run(browser, `${appOrigin}/`, () => document.getElementById('out')?.textContent || null);
    appServer.close();
    const result = a.value ? JSON.parse(a.value) : null;
    if (!result) fail(`(a) the app listed nothing: ${a.errors.join('; ')}`);
    else {
      const real = result.ids.filter((id) => catalogIds.has(id));
      if (result.ids.length !== 10 || real.length !== 10 || new Set(result.ids).size !== 10) fail(`(a) expected 10 distinct demo catalog ids, got ${JSON.stringify(result.ids)}`);
      if (JSON.stringify(result.bundleFormats) !== JSON.stringify(pkg.pathlight.bundleFormats)) fail(`(a) the engine reads bundle formats ${result.bundleFormats}, package.json states ${pkg.pathlight.bundleFormats}`);
      if (!pkg.version.endsWith(`+bundle.${result.bundleFormats.join('.')}`)) fail(`(a) version ${pkg.version} does not state bundle formats ${result.bundleFormats}`);
      console.log(`    ${result.dataset} bundle, 10 ids: ${result.ids.join(' ')}; bundle formats ${result.bundleFormats}`);
    }
    if (!a.requests.some((u) => /\.wasm$/.test(u))) fail('(a) no .wasm was requested');
    if (!a.requests.some((u) => /worker/i.test(u))) fail('(a) the engine did not start its Worker');
    const foreignA = a.requests.filter((u) => !u.startsWith(appOrigin));
    if (foreignA.length) fail(`(a) requests outside the app's server: ${foreignA.join(', ')}`);
    if (a.errors.length) fail(`(a) page errors: ${a.errors.join('; ')}`);

    step('(b) a plain HTML page that loads the widget from node_modules');
    writeFileSync(path.join(dir, 'widget.html'), `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>a page with the widget</title>
<script type="module" src="./node_modules/pathlight/widget/pathlight-widget.js"></script></head>
<body><pathlight-recs bundle="./node_modules/pathlight/bundles/demo/" topic="docker" limit="5"></pathlight-recs></body></html>
`);
    const siteServer = await serve(dir);
    const siteOrigin = `http://127.0.0.1:${siteServer.address().port}`;
    const b = await run(browser, `${siteOrigin}/widget.html`, () => {
      const root = document.querySelector('pathlight-recs')?.shadowRoot?.querySelector('.root');
      if (!root || root.dataset.state === 'loading') return null;
      return JSON.stringify({ state: root.dataset.state, title: root.querySelector('.title')?.textContent,
        ids: [...root.querySelectorAll('li.item')].map((li) => li.dataset.id) });
    });
    siteServer.close();
    const shown = b.value ? JSON.parse(b.value) : null;
    if (!shown || shown.state !== 'ready') fail(`(b) the widget did not render: ${JSON.stringify(shown)} ${b.errors.join('; ')}`);
    else if (shown.ids.length !== 5 || !shown.ids.every((id) => catalogIds.has(id))) fail(`(b) expected 5 demo catalog ids, got ${JSON.stringify(shown.ids)}`);
    else console.log(`    "${shown.title}": ${shown.ids.join(' ')}`);
    const foreignB = b.requests.filter((u) => !u.startsWith(siteOrigin));
    if (foreignB.length) fail(`(b) requests outside the page's server: ${foreignB.join(', ')}`);
    if (b.errors.length) fail(`(b) page errors: ${b.errors.join('; ')}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  step(process.exitCode ? 'package-check failed' : 'package-check passed');
}
