// recommend() on the browser benchmark's session, in Node (diagnosis; scripts/bench does not run
// it): the same requests as `pathlight_bench_tool session` (bench/bench_tool.cpp) sent to a staged
// WebAssembly engine through its EngineHost (what the Worker runs), so the native and WASM answers
// and times can be compared and profiled (`node --cpu-prof bench/session_node.mjs …`).
//   node bench/session_node.mjs ENGINE_DIR BUNDLE_DIR [--calls 200] [--response FILE]
// Prints one JSON line: median, p10 and p90 ms of `recommend` {k: 10}.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from './web/data.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
if (args.length < 2) {
  console.error('usage: node bench/session_node.mjs ENGINE_DIR BUNDLE_DIR [--calls N] [--response FILE]');
  process.exit(2);
}
const engineDir = path.resolve(args[0]);
const bundleDir = path.resolve(args[1]);
const calls = Number(opt('calls', '200'));

// Emscripten 3.1.6's ES-module output reads CommonJS `__dirname` and `require` under Node, and
// Node 20's fetch cannot read file: URLs (as in tests/node/harness.mjs).
globalThis.__dirname = engineDir;
globalThis.require = createRequire(path.join(engineDir, 'pathlight_core.js'));
globalThis.fetch = async (url) => {
  const p = fileURLToPath(new URL(url));
  return existsSync(p) ? new Response(readFileSync(p)) : new Response('not found', { status: 404 });
};

const { EngineHost } = await import(pathToFileURL(path.join(engineDir, 'engine.js')).href);
const host = new EngineHost();
const loaded = await host.load({
  bundleUrl: pathToFileURL(path.join(bundleDir, 'manifest.json')).href,
  wasmBinary: readFileSync(path.join(engineDir, 'pathlight_core.wasm')),
});
// The engine hands the catalog over as the verified part {dtype, bytes} (catalog-v1 or JSON).
const part = host.catalogBytesCopy();
const { decodeCatalog } = await import(pathToFileURL(path.join(engineDir, 'catalog.js')).href);
const catalog = part.dtype === 'json' ? JSON.parse(new TextDecoder().decode(part.bytes)) : decodeCatalog(part.bytes);
const items = catalog.items;
const concepts = catalog.concepts;
host.call('setPreferences', { goals: [concepts[concepts.length - 1].id, concepts[concepts.length - 7].id], known: [concepts[0].id] });
const rng = mulberry32(5);
const chosen = [];
while (chosen.length < 50) {
  const i = rng() % items.length;
  if (!chosen.includes(i)) chosen.push(i);
}
for (const i of chosen) host.call('addEvent', { event: { type: 'enroll', item: items[i].id } });

const request = JSON.stringify({ method: 'recommend', params: { k: 10 } });
const response = host.engine.call(request);
if (opt('response')) writeFileSync(opt('response'), `${response}\n`);
const ms = [];
for (let c = 0; c < calls; c++) {
  const t0 = performance.now();
  const r = host.engine.call(request);
  ms.push(performance.now() - t0);
  if (r !== response) throw new Error(`recommend answered differently on call ${c}`);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ engine: engineDir, bundle: bundleDir, items: items.length, calls,
  median_ms: ms[Math.floor(ms.length / 2)], p10_ms: ms[Math.floor(ms.length / 10)], p90_ms: ms[Math.floor(ms.length * 9 / 10)] }));
host.dispose();
