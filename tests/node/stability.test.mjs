// Long-running stability of the WebAssembly engine: 100,000 mixed API calls (recommendations,
// events, paths, mentors, explanations, export → import, preferences, refinement, and bad requests)
// through the EngineHost the Web Worker runs, after a warm-up that takes the event log through its
// compaction cycle. The WASM memory must grow by less than 1 MB, the bytes malloc holds must not
// creep up, and the stack pointer between calls must be exactly where it started.
// PATHLIGHT_STABILITY_CALLS overrides the count (scripts/harden uses fewer under AddressSanitizer).
// PATHLIGHT_ENGINE_ASAN=1 (scripts/harden, with the AddressSanitizer engine): the WASM memory size is
// printed but not bounded — ASan's allocator keeps freed blocks in a quarantine of up to 256 MiB to
// catch use-after-free, so the memory grows by design; malloc'd bytes, the stack pointer and the
// compaction are still checked. The uninstrumented engine (scripts/test's Node stage) checks all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasmHost, bundleDir, root } from './harness.mjs';

const { rng } = await import(pathToFileURL(path.join(root, 'fuzz/hostile-corpus.mjs')).href);

const CALLS = Number(process.env.PATHLIGHT_STABILITY_CALLS ?? 100000);
const WARMUP = Math.min(20000, CALLS);
const MB = 1 << 20;
const present = existsSync(path.join(bundleDir('demo'), 'manifest.json'));
const ASAN = process.env.PATHLIGHT_ENGINE_ASAN === '1';

test(`${CALLS} mixed API calls: ${ASAN ? 'AddressSanitizer engine, malloc\'d bytes' : 'WASM heap'} grow < 1 MB, stack pointer unchanged`, { skip: !present && 'demo bundle not built', timeout: 30 * 60 * 1000 }, async () => {
  const host = await wasmHost('demo');
  const { items, concepts } = host.call('catalog', {});
  const rand = rng(7);
  const pick = (a) => a[Math.floor(rand() * a.length)];
  const courses = items.filter((i) => i.kind !== 'mentor').map((i) => i.id);
  const mentors = items.filter((i) => i.kind === 'mentor').map((i) => i.id);
  const conceptIds = concepts.map((c) => c.id);
  const kinds = ['course', 'ebook', 'consultation', 'membership', 'mentor'];
  let now = 1.7e9;
  const counts = {};
  const errors = {};
  // Weighted mix of what the app and the widget do; a few requests are wrong on purpose.
  const ops = [
    [30, 'recommend', () => ({ k: 1 + Math.floor(rand() * 20), ...(rand() < 0.3 ? { kinds: [pick(kinds)] } : {}), ...(rand() < 0.2 ? { maxPrice: 50 } : {}) })],
    [28, 'addEvent', () => {
      const type = pick(['view', 'view', 'bookmark', 'enroll', 'complete', 'rate', 'dismiss', 'know_concept', 'mentor_booked']);
      if (type === 'know_concept') return { event: { type, concept: pick(conceptIds), t: now } };
      const item = type === 'mentor_booked' && mentors.length ? pick(mentors) : pick(courses);
      return { event: { type, item, t: now, ...(type === 'rate' ? { rating: 1 + Math.floor(rand() * 5) } : {}) } };
    }],
    [8, 'path', () => (rand() < 0.5 ? {} : { goals: [pick(conceptIds)] })],
    [8, 'similar', () => ({ id: pick(courses), k: 5 })],
    [8, 'explain', () => ({ id: pick(courses) })],
    [5, 'mentors', () => ({ k: 3 })],
    [4, 'exportProfile', () => ({})],
    [2, 'import', () => null],
    [3, 'setPreferences', () => ({ goals: [pick(conceptIds)], known: [pick(conceptIds)], budget: Math.floor(rand() * 200), language: 'en' })],
    [1, 'foldIn', () => ({})],
    [0.5, 'refine', () => ({ epochs: 2 })],
    [0.5, 'resetPersonalization', () => ({})],
    [2, 'bad', () => null],
  ];
  const totalWeight = ops.reduce((s, o) => s + o[0], 0);
  const step = () => {
    let r = rand() * totalWeight;
    let op = ops[ops.length - 1];
    for (const o of ops) {
      if ((r -= o[0]) < 0) { op = o; break; }
    }
    const [, name, params] = op;
    now += 60;
    counts[name] = (counts[name] ?? 0) + 1;
    try {
      if (name === 'import') {
        const profile = host.call('exportProfile', {});
        host.call('setProfile', { profile: rand() < 0.5 ? profile : JSON.stringify(profile), now });
      } else if (name === 'bad') {
        pick([() => host.call('recommend', { k: 0 }), () => host.call('explain', { id: 'no-such-item' }),
          () => host.call('addEvent', { event: { type: 'rate', item: pick(courses), rating: 9, t: now } }),
          () => host.call('path', { goals: ['no-such-concept'] }), () => host.call('no-such-method', {})])();
      } else {
        host.call(name, { ...params(), now });
      }
    } catch (e) {
      errors[e.code] = (errors[e.code] ?? 0) + 1;
      if (name !== 'bad') throw e;
    }
  };
  for (let j = 0; j < WARMUP; j++) step();
  const before = host.memory();
  const t0 = performance.now();
  let peakAllocated = before.allocatedBytes;
  for (let j = 0; j < CALLS; j++) {
    step();
    if (j % 1000 === 0) peakAllocated = Math.max(peakAllocated, host.memory().allocatedBytes);
  }
  const seconds = (performance.now() - t0) / 1000;
  const after = host.memory();
  const growth = after.heapBytes - before.heapBytes;
  const allocatedGrowth = after.allocatedBytes - before.allocatedBytes;
  console.log(`stability: ${CALLS} calls after ${WARMUP} warm-up in ${seconds.toFixed(1)} s (${((seconds / CALLS) * 1e6).toFixed(0)} µs/call); ` +
    `heap ${(before.heapBytes / MB).toFixed(2)} → ${(after.heapBytes / MB).toFixed(2)} MiB (growth ${growth} bytes); ` +
    `malloc in use ${(before.allocatedBytes / MB).toFixed(3)} → ${(after.allocatedBytes / MB).toFixed(3)} MiB (peak ${(peakAllocated / MB).toFixed(3)}); ` +
    `stack pointer ${before.stackPointer} → ${after.stackPointer}`);
  console.log(`stability: calls ${JSON.stringify(counts)}; expected errors ${JSON.stringify(errors)}; events in log ${host.call('exportProfile', {}).events.length}`);
  if (!ASAN) assert.ok(growth < MB, `WASM memory grew by ${growth} bytes`);
  assert.ok(allocatedGrowth < MB, `malloc'd bytes grew by ${allocatedGrowth}`);
  assert.equal(after.stackPointer, before.stackPointer, 'stack pointer moved');
  assert.ok(host.call('exportProfile', {}).events.length <= 5000, 'the event log stays compacted');
});
