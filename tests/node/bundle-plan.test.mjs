// The download rule (wasm/bundle-plan.js): which files a client fetches for a bundle, given the
// bundle it holds, and how a part is put together from held bytes and new shards. Manifests here
// are built from real bytes, so a plan's pieces are checked by putting the part together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineDir } from './harness.mjs';

const { planDownloads, assemble } = await import(pathToFileURL(path.join(engineDir, 'bundle-plan.js')).href);

const sha = (/** @type {Uint8Array} */ b) => createHash('sha256').update(b).digest('hex');
const bytesOf = (/** @type {string} */ s) => new TextEncoder().encode(s);

/** A manifest of sharded parts from {name: [shard texts]}, and every file's bytes by name. */
function bundle(parts) {
  const files = new Map();
  const manifest = { format: 'pathlight-bundle', version: 2, parts: {} };
  for (const [name, shards] of Object.entries(parts)) {
    const list = shards.map((t) => {
      const b = bytesOf(t);
      files.set(`${sha(b)}.bin`, b);
      return { file: `${sha(b)}.bin`, bytes: b.length, sha256: sha(b) };
    });
    const whole = bytesOf(shards.join(''));
    files.set(`${sha(whole)}.bin`, whole);
    manifest.parts[name] = { dtype: 'f32', bytes: whole.length, file: `${sha(whole)}.bin`, sha256: sha(whole), shards: list };
  }
  return { manifest, files };
}

test('a client that holds nothing fetches each part whole, once, in the manifest\'s order', () => {
  const { manifest } = bundle({ catalog: ['aaaa', 'bbbb', 'cccc'], item_factors: ['dddd', 'eeee'], gram: ['ffff'] });
  const plan = planDownloads(manifest, null);
  assert.deepEqual(plan.map((d) => d.file), Object.values(manifest.parts).map((p) => p.file));
  assert.ok(plan.every((d) => !d.pieces));
  assert.deepEqual(plan.map((d) => d.bytes), [12, 8, 4]);
  // A format-1 part (one file) and a version-2 part without a whole file (its shards).
  const old = structuredClone(manifest);
  delete old.parts.catalog.file;
  delete old.parts.catalog.sha256;
  old.parts.gram = { file: 'gram.f32', bytes: 4, sha256: 'x' };
  assert.deepEqual(planDownloads(old, null).map((d) => d.file),
    [...manifest.parts.catalog.shards.map((s) => s.file), manifest.parts.item_factors.file, 'gram.f32']);
});

test('an update puts a changed part together from the held part and fetches only its new shards', async () => {
  const v1 = bundle({ catalog: ['aaaa', 'bbbb', 'cccc', 'dddd'], item_factors: ['1111', '2222'], gram: ['gggg'] });
  // catalog: one shard changed (3 of 4 held); item_factors: both changed (nothing held); gram: the same.
  const v2 = bundle({ catalog: ['aaaa', 'bbbb', 'CCCC', 'dddd'], item_factors: ['3333', '4444'], gram: ['gggg'] });
  const plan = planDownloads(v2.manifest, v1.manifest);
  const byFile = new Map(plan.map((d) => [d.file, d]));
  const catalog = byFile.get(v2.manifest.parts.catalog.file);
  assert.deepEqual(catalog.pieces, [
    { from: v1.manifest.parts.catalog.file, offset: 0, bytes: 4 },
    { from: v1.manifest.parts.catalog.file, offset: 4, bytes: 4 },
    { shard: v2.manifest.parts.catalog.shards[2].file, bytes: 4 },
    { from: v1.manifest.parts.catalog.file, offset: 12, bytes: 4 },
  ]);
  assert.equal(byFile.get(v2.manifest.parts.item_factors.file).pieces, undefined, 'nothing held: the whole file');
  assert.equal(byFile.get(v2.manifest.parts.gram.file).pieces, undefined, 'unchanged: the held file as it is');
  const read = async (/** @type {string} */ f) => v1.files.get(f);
  const fetched = [];
  const fetchShard = async (/** @type {string} */ f) => (fetched.push(f), v2.files.get(f));
  const put = await assemble(catalog, read, fetchShard);
  assert.equal(sha(put), v2.manifest.parts.catalog.sha256, 'the pieces make the new part');
  assert.deepEqual(fetched, [v2.manifest.parts.catalog.shards[2].file]);
});

test('a part of which less than half is held is fetched whole', () => {
  const v1 = bundle({ catalog: ['aaaa', 'bbbb', 'cccc'] });
  const v2 = bundle({ catalog: ['aaaa', 'BBBB', 'CCCC'] });  // 4 of 12 bytes held
  assert.equal(planDownloads(v2.manifest, v1.manifest)[0].pieces, undefined);
  const v3 = bundle({ catalog: ['aaaa', 'bbbb', 'CCCC'] });  // 8 of 12
  assert.equal(planDownloads(v3.manifest, v1.manifest)[0].pieces.length, 3);
});

test('names that are not plain file names are left out, and pieces that do not add up are refused', async () => {
  const { manifest, files } = bundle({ catalog: ['aaaa', 'bbbb'] });
  const bad = structuredClone(manifest);
  bad.parts.catalog.file = '../etc/passwd';
  bad.parts.gram = { file: 'sub/gram.f32', bytes: 4, sha256: 'x' };
  // No whole file it may fetch: the catalog's shards; the gram part not at all.
  assert.deepEqual(planDownloads(bad, null).map((d) => d.file), manifest.parts.catalog.shards.map((s) => s.file));
  const d = { file: manifest.parts.catalog.file, bytes: 9, sha256: manifest.parts.catalog.sha256,
    pieces: manifest.parts.catalog.shards.map((s) => ({ shard: s.file, bytes: s.bytes })) };
  await assert.rejects(assemble(d, async () => new Uint8Array(0), async (f) => files.get(f)), /hold 8 bytes, the manifest says 9/);
});
