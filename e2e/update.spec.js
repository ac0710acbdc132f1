// A bundle update by delta, measured from the browser's request log (issue 16: an update that adds
// 1% new items or changes 1% of prices downloads ≤ 10% of the bundle's bytes). A synthetic
// catalog of 20,000 items is trained with `pathlight train --dataset csv` and published under
// web/dist/bundles/upd/; a page loads it with the JS API; `pathlight bundle update` then writes
// the next version, which is published into the same folder (new shards, then the manifest), and
// the page reloads it. Bytes are the encoded response bodies Chromium received (Brotli where
// offered). The first load fetches each part's whole file; the reload takes the parts it holds
// from its HTTP cache (content-addressed, immutable) and fetches only the new shards of the parts
// that changed (wasm/bundle-plan.js; docs/bundle-format.md, "Whole parts and shards").
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'build/trainer/pathlight');
const served = path.join(root, 'web/dist/bundles/upd');
const N = 20000;

// Deterministic pseudo-random numbers (mulberry32).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Python', 'data', 'cloud', 'design', 'web', 'security', 'machine', 'learning', 'for', 'beginners',
  'advanced', 'practical', 'guide', 'networks', 'systems', 'modern', 'applied', 'statistics', 'Rust', 'Go'];

function itemRow(r, i, price) {
  const title = Array.from({ length: 4 + Math.floor(r() * 4) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
  return `i${i},course,"${title} ${i}",${price},USD,all,en,${1 + Math.floor(r() * 30)},k${Math.floor(r() * 200)},,,,,`;
}

test.describe.configure({ mode: 'serial', timeout: 10 * 60 * 1000 });

let work;
let prices;
test.beforeAll(() => {
  test.skip(!existsSync(cli) || !existsSync(path.join(root, 'web/dist/index.html')), 'needs build/trainer/pathlight and web/dist');
  work = mkdtempSync(path.join(os.tmpdir(), 'pathlight-update-'));
  const r = rng(18);
  const data = path.join(work, 'data');
  mkdirSync(data);
  writeFileSync(path.join(data, 'concepts.csv'), `id,name\n${Array.from({ length: 200 }, (_, c) => `k${c},Concept ${c}`).join('\n')}\n`);
  const header = 'id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages';
  prices = Array.from({ length: N }, () => Math.floor(r() * 200));
  writeFileSync(path.join(data, 'items.csv'), `${header}\n${prices.map((p, i) => itemRow(r, i, p)).join('\n')}\n`);
  const rows = [];
  for (let u = 0; u < 3000; u++) for (let j = 0; j < 15; j++) rows.push(`u${u},i${Math.floor(r() ** 2 * N)},1,${1000 + j},`);
  writeFileSync(path.join(data, 'interactions.csv'), `user,item,weight,timestamp,split\n${rows.join('\n')}\n`);
  rmSync(served, { recursive: true, force: true });
  execFileSync(cli, ['train', '--dataset', 'csv', '--data', data, '--factors', '32', '--iterations', '5', '--out', path.join(work, 'v1')]);
  // The updates: 1% new items; 1% new prices (each relative to v1).
  writeFileSync(path.join(work, 'add.csv'), `${header},action\n${Array.from({ length: N / 100 }, (_, j) => `${itemRow(r, N + j, 10)},`).join('\n')}\n`);
  const repriced = Array.from({ length: N / 100 }, (_, j) => Math.floor((j + r()) * 100));
  const r2 = rng(18);  // rows of v1 again (the same draws), with new prices
  for (let i = 0; i < N; i++) r2();
  const v1rows = prices.map((p, i) => itemRow(r2, i, p));
  writeFileSync(path.join(work, 'price.csv'), `${header},action\n${repriced.map((i) => `${v1rows[i].replace(/,\d+,USD,/, `,${prices[i] + 7},USD,`)},`).join('\n')}\n`);
});

test.afterAll(() => {
  rmSync(served, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const kind of ['add', 'price']) {
  test(`an update that ${kind === 'add' ? 'adds 1% new items' : 'changes 1% of prices'} downloads ≤ 10% of the bundle's bytes`, async ({ page }) => {
    const out = path.join(work, `v2-${kind}`);
    const summary = JSON.parse(execFileSync(cli, ['bundle', 'update', '--parent', path.join(work, 'v1'), '--items',
      path.join(work, `${kind}.csv`), '--out', out]).toString().trim().split('\n').at(-1));
    expect(summary[kind === 'add' ? 'added' : 'changed']).toBe(N / 100);
    rmSync(served, { recursive: true, force: true });
    cpSync(path.join(work, 'v1'), served, { recursive: true });
    let log = [];
    page.on('requestfinished', (request) => {
      if (!request.url().includes('/bundles/upd/')) return;
      log.push(request.sizes().then((sizes) => ({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize })));
    });
    const total = async () => (await Promise.all(log)).reduce((s, e) => s + e.bytes, 0);
    await page.goto('/examples/blank.html');
    await page.evaluate(async () => {
      // Root-relative: the page lives in /examples/, the engine and the bundles at the site's root.
      const { createPathlight } = await import(new URL('/engine/pathlight.js', location.origin).href);
      window.api = await createPathlight({ bundleUrl: '/bundles/upd/manifest.json', worker: false });
    });
    expect(log.length).toBeGreaterThan(2);
    const first = await total();
    log = [];
    // Publish the new version into the same folder: its files first, the manifest last.
    cpSync(out, served, { recursive: true, filter: (src) => !src.endsWith('manifest.json') && !src.endsWith('manifest.json.br') && !src.endsWith('manifest.json.gz') });
    for (const f of ['manifest.json', 'manifest.json.br', 'manifest.json.gz']) {
      if (existsSync(path.join(out, f))) cpSync(path.join(out, f), path.join(served, f));
      else rmSync(path.join(served, f), { force: true });
    }
    const info = await page.evaluate(async () => window.api.reload({ bundleUrl: '/bundles/upd/manifest.json' }));
    expect(info.parent).toBe(summary.parent);
    expect(info.items).toBe(kind === 'add' ? N + N / 100 : N);
    const update = await total();
    console.log(`bundle update (${kind} 1%): first load ${first} B on the wire, update ${update} B = ${(100 * update / first).toFixed(1)}% (${log.length} requests); CLI: ${summary.bytes_new} of ${summary.bytes_total} B new before compression`);
    expect(update / first).toBeLessThanOrEqual(0.10);
  });
}
