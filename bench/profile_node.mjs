// Profiles of any size (issue 16): setProfile and exportProfile of one learner with N events, in
// the WebAssembly engine (Node, through the EngineHost the Worker runs) and in the native engine
// (`pathlight api`, the same JSON requests over stdin) on the same bundle — the peer in the same run.
//   node bench/profile_node.mjs ENGINE_DIR BUNDLE_DIR PATHLIGHT_CLI [--events 100000] [--rounds 5]
// Prints one JSON line: median ms of setProfile (object and text) and exportProfile per engine, and
// the WASM/native ratios.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
if (args.length < 3) {
  console.error('usage: node bench/profile_node.mjs ENGINE_DIR BUNDLE_DIR PATHLIGHT_CLI [--events N] [--rounds R]');
  process.exit(2);
}
const [engineDir, bundleDir, cli] = args.slice(0, 3).map((p) => path.resolve(p));
const nEvents = Number(opt('events', '100000'));
const rounds = Number(opt('rounds', '5'));

// The Node suites' set-up (Emscripten's CommonJS globals, file: fetches) for this engine folder.
process.env.PATHLIGHT_ENGINE_DIR = engineDir;
const { wasmHost } = await import('../tests/node/harness.mjs');
const host = await wasmHost(bundleDir);
const items = host.call('catalog', {}).items.map((i) => i.id);
const types = ['view', 'bookmark', 'enroll', 'complete', 'dismiss'];
const events = [];
for (let j = 0; j < nEvents; j++) {
  events.push({ type: types[j % types.length], item: items[(j * 7919) % items.length], id: `e${j}`, t: 1.7e9 + j });
}
const profile = { format: 'pathlight-profile', version: 2, events };
const text = JSON.stringify(profile);
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeWasm(params) {
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    host.call('setProfile', params);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}
const wasm = { set_object_ms: timeWasm({ profile, now: 1.8e9 }), set_text_ms: timeWasm({ profile: text, now: 1.8e9 }) };
{
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    host.call('exportProfile', {});
    ms.push(performance.now() - t0);
  }
  wasm.export_ms = median(ms);
}
host.dispose();

// Native: the same requests, one JSON line each, through `pathlight api`.
const child = spawn(cli, ['api', bundleDir], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = readline.createInterface({ input: child.stdout });
const pending = [];
lines.on('line', (l) => pending.shift()?.(l));
const ask = (method, params) => new Promise((resolve) => {
  pending.push(resolve);
  child.stdin.write(`${JSON.stringify({ method, params })}\n`);
});
await ask('info', {});
async function timeNative(method, params) {
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const answer = await ask(method, params);
    ms.push(performance.now() - t0);
    if (answer.includes('"error"')) throw new Error(`native ${method}: ${answer.slice(0, 200)}`);
  }
  return median(ms);
}
const native = {
  set_object_ms: await timeNative('setProfile', { profile, now: 1.8e9 }),
  set_text_ms: await timeNative('setProfile', { profile: text, now: 1.8e9 }),
  export_ms: await timeNative('exportProfile', {}),
};
child.stdin.end();
console.log(JSON.stringify({
  events: nEvents, profile_text_bytes: text.length, bundle: bundleDir, rounds, wasm, native,
  ratio_wasm_to_native: Object.fromEntries(Object.keys(wasm).map((k) => [k, wasm[k] / native[k]])),
}));
