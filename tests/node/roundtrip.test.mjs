// The WebAssembly half of the CSV round trip (issue 16, "write what you read"): every bundle the
// round-trip fuzzer trained from a random CSV catalog (fuzz/targets/csv_roundtrip_fuzzer.cpp, run
// with PATHLIGHT_ROUNDTRIP_OUT=DIR by scripts/harden) loads in the WebAssembly engine and answers,
// as it loaded natively. DIR defaults to build-asan/roundtrip-bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root, wasmHost, engineDir } from './harness.mjs';

const dir = path.resolve(process.env.PATHLIGHT_ROUNDTRIP_DIR ?? path.join(root, 'build-asan/roundtrip-bundles'));
const bundles = existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(path.join(dir, d, 'manifest.json'))) : [];
const skip = !existsSync(path.join(engineDir, 'pathlight_core.wasm')) ? 'WebAssembly engine not built'
  : bundles.length === 0 ? `no round-trip bundles in ${dir} (scripts/harden writes them)` : false;

test('every bundle trained from a random CSV catalog loads and answers in WebAssembly', { skip }, async () => {
  for (const b of bundles) {
    const host = await wasmHost(path.join(dir, b));
    const items = host.call('catalog', {}).items;
    assert.ok(items.length > 0, `${b}: no items`);
    const recs = host.call('recommend', { k: 5 });
    assert.ok(Array.isArray(recs.items), `${b}: recommend answered ${JSON.stringify(recs).slice(0, 200)}`);
    for (const r of recs.items) assert.ok(Number.isFinite(r.score), `${b}: a non-finite score`);
    host.dispose();
  }
});
