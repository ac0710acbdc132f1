// The hostile bundle corpus (fuzz/hostile-corpus.mjs) against the WebAssembly engine, through the
// EngineHost the Web Worker runs: every damaged bundle must be refused with its specific error code
// (the same code as natively, except where the JS layer answers first: a missing file is an HTTP
// 404 there, network_error), in under a second, and the engine must keep answering with the good
// bundle it had loaded before. The native side of the same corpus: tests/hostile_bundle_test.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, wasmHost, wasmBinary, bundleDir, root } from './harness.mjs';

const { writeHostileCorpus } = await import(pathToFileURL(path.join(root, 'fuzz/hostile-corpus.mjs')).href);
const present = existsSync(path.join(bundleDir('demo'), 'manifest.json'));

test('hostile corpus: every damaged bundle gives its error code in WASM, quickly, and the good bundle stays', { skip: !present && 'demo bundle not built (scripts/bundle demo)' }, async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'pathlight-hostile-'));
  const good = mkdtempSync(path.join(tmpdir(), 'pathlight-hostile-good-'));
  try {
    // The corpus derives f16, int8, shards and catalog changes from an f32 bundle with one file per
    // part (as scripts/harden makes it); the published demo bundle is int8 and sharded.
    execFileSync(path.join(root, 'build/trainer/pathlight'),
      ['train', '--dataset', 'demo', '--factor-encoding', 'f32', '--layout', 'plain', '--out', good], { stdio: 'ignore' });
    const cases = writeHostileCorpus(good, out);
    const host = await wasmHost('demo');
    const goodInfo = JSON.stringify(host.call('info', {}));
    const goodTop = JSON.stringify(host.call('recommend', { k: 5, now: 1.7e9 }).items.map((r) => r.id));
    const byCategory = new Map();
    const total = { tried: 0, codes: new Set(), wrong: 0, slow: 0 };
    const wrong = [];
    let slowest = 0;
    for (const c of cases) {
      const expect = c.expectWasm ?? c.expect;
      const t0 = performance.now();
      let code = 'ok';
      let message = '';
      try {
        await host.load({ bundleUrl: pathToFileURL(path.join(out, c.name, 'manifest.json')).href, wasmBinary: wasmBinary() });
      } catch (e) {
        code = e.code ?? `uncoded ${e.name}`;
        message = e.message;
      }
      const seconds = (performance.now() - t0) / 1000;
      slowest = Math.max(slowest, seconds);
      if (code !== expect) wrong.push(`${c.name}: expected ${expect}, got ${code} (${message})`);
      if (!byCategory.has(c.category)) byCategory.set(c.category, { tried: 0, codes: new Set(), wrong: 0, slow: 0 });
      for (const t of [byCategory.get(c.category), total]) {
        t.tried++;
        t.codes.add(code);
        t.wrong += code !== expect;
        t.slow += seconds >= 1;
      }
      assert.ok(seconds < 1, `${c.name} took ${seconds.toFixed(3)} s`);
      // A control (a good f16 / int8 variant) replaces the bundle: put the original back.
      if (code === 'ok') await host.load({ bundleUrl: pathToFileURL(path.join(bundleDir('demo'), 'manifest.json')).href, wasmBinary: wasmBinary() });
      // The engine still holds the good bundle.
      assert.equal(JSON.stringify(host.call('info', {})), goodInfo, `info changed after ${c.name}`);
      assert.equal(JSON.stringify(host.call('recommend', { k: 5, now: 1.7e9 }).items.map((r) => r.id)), goodTop, `top-5 changed after ${c.name}`);
    }
    const row = (name, t) => `hostile corpus (wasm): ${name.padEnd(12)} ${String(t.tried).padStart(6)} ${String(t.codes.size).padStart(6)} ${String(t.wrong).padStart(6)} ${String(t.slow).padStart(6)}`;
    console.log(`hostile corpus (wasm): ${'category'.padEnd(12)} ${'tried'.padStart(6)} ${'codes'.padStart(6)} ${'wrong'.padStart(6)} ${'slow'.padStart(6)}`);
    for (const [name, t] of [...byCategory].sort()) console.log(row(name, t));
    console.log(`${row('total', total)}  (0 crashes: the engine still answers; slowest ${slowest.toFixed(3)} s; codes: ${[...total.codes].sort().join(', ')})`);
    assert.deepEqual(wrong, []);
    assert.ok(total.tried >= 300, `only ${total.tried} cases`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(good, { recursive: true, force: true });
  }
});

test('a bundle whose manifest does not match the pinned integrity is refused and the good one stays', { skip: !present && 'demo bundle not built' }, async () => {
  const host = await wasmHost('demo');
  const before = JSON.stringify(host.call('info', {}));
  await assert.rejects(
    host.load({ bundleUrl: pathToFileURL(path.join(bundleDir('demo'), 'manifest.json')).href, integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', wasmBinary: wasmBinary() }),
    { code: 'integrity_mismatch' });
  assert.equal(JSON.stringify(host.call('info', {})), before);
});

test('hostile requests: JSON nested 100,000 deep and oversized values give named errors, not a crash', { skip: !present && 'demo bundle not built' }, async () => {
  const host = await wasmHost('demo');
  const nested = (n) => '['.repeat(n) + ']'.repeat(n);
  // Through the JS API: JSON.stringify itself overflows on such an object; a PathlightError results.
  assert.throws(() => host.call('recommend', { k: 5, x: JSON.parse(nested(100000)) }), { code: 'limit_exceeded' });
  // Straight into the core, as the text a Worker message would carry.
  for (const depth of [65, 100000]) {
    const response = JSON.parse(host.engine.call(`{"method":"recommend","params":{"k":5,"x":${nested(depth)}}}`));
    assert.equal(response.error?.code, 'limit_exceeded', `depth ${depth}`);
  }
  assert.throws(() => host.call('setProfile', { profile: '['.repeat(100000) + ']'.repeat(100000) }), { code: 'limit_exceeded' });
  assert.throws(() => host.call('setProfile', { profile: { format: 'pathlight-profile', version: 1, goals: ['x'.repeat(5000)] } }), { code: 'parse_error' });
  assert.throws(() => host.call('setProfile', { profile: { format: 'pathlight-profile', version: 1, goals: new Array(20000).fill('a') } }), { code: 'limit_exceeded' });
  assert.throws(() => host.call('setProfile', { profile: { format: 7, version: 1 } }), { code: 'parse_error' });
  assert.throws(() => host.call('addEvent', { event: { type: 'view', item: 'x'.repeat(2000), t: 1 } }), { code: 'limit_exceeded' });
  assert.ok(host.call('recommend', { k: 5 }).items.length === 5, 'the engine still answers');
});

test('numbers JSON cannot carry, and integer parameters that are not integers, are refused by name', { skip: !present && 'demo bundle not built' }, async () => {
  const host = await wasmHost('demo');
  const before = host.call('exportProfile', {});
  // JSON.stringify would send NaN and Infinity as null, which the engine reads as "absent".
  for (const [method, params] of [['recommend', { k: NaN }], ['recommend', { k: Infinity }], ['refine', { epochs: NaN }],
    ['setPreferences', { budget: NaN }], ['setProfile', { profile: before, now: -Infinity }]])
    assert.throws(() => host.call(method, params), { code: 'not_finite' }, `${method} ${JSON.stringify(params)}`);
  // The JSON methods (the core's check, found by api_fuzzer) …
  for (const k of [2.5, 2 ** 32 + 1, 1e300, '5', true])
    assert.throws(() => host.call('recommend', { k }), { code: 'invalid_argument', message: /parameter "k" must be/ }, String(k));
  // … and the history path, where Embind would truncate 2.5 to 2, wrap 2^32 + 3 to 3 and read "5" as 5.
  const pl = await createEngine('demo');
  const history = [{ id: 'course-first-steps-in-code' }];
  for (const k of [2.5, 2 ** 32 + 3, '5', true, NaN, 0, 1001])
    await assert.rejects(pl.recommendHistory({ history, k }), { code: 'invalid_argument', message: /parameter "k" must be an integer in \[1, 1000\]/ }, String(k));
  for (const weight of ['2', 1e-50, -1, Infinity])
    await assert.rejects(pl.recommendHistory({ history: [{ id: 'course-first-steps-in-code', weight }], k: 3 }), { code: 'invalid_argument' }, String(weight));
  // A history that is not an array is an error naming it, never silently ignored.
  for (const bad of ['course-first-steps-in-code', { id: 'x' }, null, undefined])
    await assert.rejects(pl.recommendHistory({ history: bad }), { code: 'invalid_argument', message: /parameter "history" must be an array/ }, String(bad));
  await assert.rejects(pl.recommendHistory({ history, kk: 3 }), { code: 'invalid_argument', message: /unknown parameter "kk"/ });
  await assert.rejects(pl.recommendHistory({ history: [{ id: 'course-first-steps-in-code', wieght: 2 }] }), { code: 'invalid_argument', message: /unknown key "wieght"/ });
  await assert.rejects(pl.recommend({ history }), { code: 'invalid_argument', message: /unknown parameter "history"/ });
  assert.equal((await pl.recommendHistory({ history, k: 3 })).items.length, 3);
  // Ids listed twice are merged: their weights add up (docs/API.md).
  const twice = await pl.recommendHistory({ history: [{ id: 'course-first-steps-in-code' }, { id: 'course-first-steps-in-code', weight: 2 }], k: 5 });
  const once = await pl.recommendHistory({ history: [{ id: 'course-first-steps-in-code', weight: 3 }], k: 5 });
  assert.deepEqual(twice.items.map((r) => r.id), once.items.map((r) => r.id));
  twice.items.forEach((r, j) => assert.ok(Math.abs(r.score - once.items[j].score) < 1e-5));
  pl.delete();
  assert.deepEqual(host.call('exportProfile', {}), before, 'failed requests changed nothing');
});
