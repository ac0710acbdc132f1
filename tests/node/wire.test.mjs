// The bundle on the wire (docs/bundle-format.md, "Serving"): a loopback HTTP server with the demo
// server's precompressed-file rule (web/plugins/precompressed.js) serves the demo bundle as
// `pathlight train` wrote it — content-addressed shards with .br/.gz beside them — and the engine
// loads it through fetch, which decodes Content-Encoding. Integrity is checked on the decoded
// bytes: a compressed file that decodes to other bytes, a truncated compressed stream, or a server
// that ignores Accept-Encoding gives the right error or the plain file, and never a wrong bundle:
// the last good bundle stays in use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { bundleDir, engineDir, manifestUrl, root, wasmBinary } from './harness.mjs';
import { precompressedMiddleware } from '../../web/plugins/precompressed.js';

const demo = bundleDir('demo');
const cli = path.join(root, 'build/trainer/pathlight');

/** The public JS API in-process, on a bundle URL (http: here) or a bundle folder on disk. */
async function createEngine(where) {
  const { createPathlight } = await import(pathToFileURL(path.join(engineDir, 'pathlight.js')).href);
  const bundleUrl = where.startsWith('http') ? where : manifestUrl(where);
  return createPathlight({ bundleUrl, wasmBinary: wasmBinary() });
}
const built = existsSync(path.join(demo, 'manifest.json'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pathlight-wire-'));
const sent = [];
const requested = [];  // every path the server was asked for
let server;
let origin;
let ignoreAcceptEncoding = false;

before(async () => {
  if (!built) return;
  cpSync(demo, path.join(tmp, 'good'), { recursive: true });
  // A server: precompressed siblings by Accept-Encoding (unless told to ignore it), else the file.
  const serve = precompressedMiddleware(() => tmp, { onSend: (s) => sent.push(s) });
  server = http.createServer((req, res) => {
    requested.push(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const plain = () => {
      const file = path.join(tmp, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (!file.startsWith(tmp) || !existsSync(file)) {
        res.statusCode = 404;
        return res.end('not found');
      }
      const bytes = readFileSync(file);
      res.setHeader('Content-Length', bytes.length);
      res.end(bytes);
    };
    if (ignoreAcceptEncoding) return plain();
    serve(req, res, plain);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});

after(() => {
  server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const skip = !built && 'the demo bundle is not built (scripts/bundle demo)';
const manifestOf = (name) => JSON.parse(readFileSync(path.join(tmp, name, 'manifest.json'), 'utf8'));
const shardFiles = (m) => Object.values(m.parts).flatMap((p) => (p.shards ? p.shards.map((s) => s.file) : [p.file]));
// The files a first load fetches: each part's whole file.
const wholeFiles = (m) => Object.values(m.parts).map((p) => p.file);

/** A copy of the good bundle with `edit(dir, manifest)` applied. */
function variant(name, edit) {
  const dir = path.join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(tmp, 'good'), dir, { recursive: true });
  edit(dir, manifestOf(name));
  return `${origin}/${name}/manifest.json`;
}

test('the trainer writes content-addressed shards and whole parts with .br and .gz beside them', { skip }, () => {
  const m = manifestOf('good');
  for (const [name, p] of Object.entries(m.parts)) {
    assert.match(p.file, /^[0-9a-f]{64}\.[a-z0-9]+$/, name);
    const whole = readFileSync(path.join(tmp, 'good', p.file));
    assert.equal(whole.length, p.bytes, name);
    assert.deepEqual(Buffer.concat(p.shards.map((s) => readFileSync(path.join(tmp, 'good', s.file)))), whole, `${name}: its shards make the whole`);
  }
  assert.equal(m.version, 2);
  assert.ok(['i8', 'f16', 'f32'].includes(m.encoding.factors), 'the manifest records the encoding');
  assert.match(m.encoding.reason, /overlap/);
  const files = shardFiles(m);
  for (const f of files) assert.match(f, /^[0-9a-f]{64}\.[a-z0-9]+$/);
  const names = new Set(readdirSync(path.join(tmp, 'good')));
  assert.ok(files.some((f) => names.has(`${f}.br`) && names.has(`${f}.gz`)), 'compressed forms beside the parts');
});

test('compressed parts load, are decoded by fetch and checked on their decoded bytes', { skip }, async () => {
  sent.length = 0;
  const api = await createEngine(`${origin}/good/manifest.json`);
  // Node's fetch asks for gzip (Chromium for Brotli too): either way a compressed form was sent.
  assert.ok(sent.some((s) => s.encoding === 'br' || s.encoding === 'gzip'), 'the server sent compressed files');
  const info = api.info;
  assert.equal(info.formatVersion, 2);
  assert.equal(typeof info.encodingReason, 'string');
  assert.ok(info.encodingReason.startsWith(info.factorEncoding === 'i8' ? 'int8' : info.factorEncoding));
  const plain = await createEngine(path.join(tmp, 'good'));  // the same bundle from disk, uncompressed
  assert.deepEqual((await api.recommend({ k: 5 })).items.map((r) => r.id), (await plain.recommend({ k: 5 })).items.map((r) => r.id));
  assert.equal((await api.items()).length, info.items);
  api.delete();
  plain.delete();
});

test('a compressed file that decodes to other bytes is refused and the last good bundle stays', { skip }, async () => {
  const api = await createEngine(`${origin}/good/manifest.json`);
  const before = (await api.recommend({ k: 5 })).items.map((r) => r.id);
  const url = variant('lying-br', (dir, m) => {
    const f = m.parts.item_factors.file;  // the whole part, which a first load fetches
    const bytes = Buffer.from(readFileSync(path.join(dir, f)));
    bytes[0] ^= 0x41;  // the compressed forms hold other bytes than the plain file and the manifest's hash
    writeFileSync(path.join(dir, `${f}.br`), brotliCompressSync(bytes));
    writeFileSync(path.join(dir, `${f}.gz`), gzipSync(bytes));
  });
  await assert.rejects(api.reload({ bundleUrl: url }), (e) => e.code === 'checksum_mismatch');
  assert.deepEqual((await api.recommend({ k: 5 })).items.map((r) => r.id), before, 'the last good bundle stays');
  api.delete();
});

test('a truncated compressed stream is a network error, never a bundle', { skip }, async () => {
  const api = await createEngine(`${origin}/good/manifest.json`);
  const info = api.info;
  const url = variant('truncated-br', (dir, m) => {
    const f = m.parts.catalog.file;
    for (const ext of ['.br', '.gz']) {
      const packed = readFileSync(path.join(dir, f + ext));
      writeFileSync(path.join(dir, f + ext), packed.subarray(0, Math.floor(packed.length / 2)));
    }
  });
  await assert.rejects(api.reload({ bundleUrl: url }), (e) => ['network_error', 'checksum_mismatch', 'corrupt_bundle'].includes(e.code));
  assert.equal(api.info.manifestSha256, info.manifestSha256, 'the last good bundle stays');
  api.delete();
});

test('a server that ignores Accept-Encoding sends the plain files, which load', { skip }, async () => {
  ignoreAcceptEncoding = true;
  try {
    sent.length = 0;
    const api = await createEngine(`${origin}/good/manifest.json`);
    assert.equal(sent.filter((x) => x.encoding).length, 0, 'nothing compressed was sent');
    assert.ok(api.info.items > 0);
    api.delete();
  } finally {
    ignoreAcceptEncoding = false;
  }
});

test('a missing part file is a network error', { skip }, async () => {
  const url = variant('missing-part', (dir, m) => {
    for (const f of wholeFiles(m).slice(-1)) for (const ext of ['', '.br', '.gz']) rmSync(path.join(dir, f + ext), { force: true });
  });
  await assert.rejects(createEngine(url), (e) => e.code === 'network_error');
});

test('an update re-uses the parts the engine holds and fetches only the new shards', { skip: skip || (!existsSync(cli) && 'needs build/trainer/pathlight') }, async () => {
  // v2 = the demo bundle plus one course, by `pathlight bundle update`, published over v1.
  const v1 = path.join(tmp, 'good');
  const csv = path.join(tmp, 'add.csv');
  writeFileSync(csv, 'id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages,action\n' +
    'course-wire-update,course,Git for the wire test,12,USD,beginner,en,3,git,,,,,,\n');
  const v2 = path.join(tmp, 'v2');
  execFileSync(cli, ['bundle', 'update', '--parent', v1, '--items', csv, '--out', v2]);
  const site = path.join(tmp, 'site');
  rmSync(site, { recursive: true, force: true });
  cpSync(v1, site, { recursive: true });
  const api = await createEngine(`${origin}/site/manifest.json`);
  const m1 = manifestOf('good');
  const m2 = JSON.parse(readFileSync(path.join(v2, 'manifest.json'), 'utf8'));
  cpSync(v2, site, { recursive: true });  // the new files beside the old, the new manifest over the old
  requested.length = 0;
  const info = await api.reload({ bundleUrl: `${origin}/site/manifest.json` });
  assert.equal(info.items, m1.counts.items + 1);
  const got = new Set(requested.map((r) => path.basename(r)));
  const oldShards = new Set(Object.values(m1.parts).flatMap((p) => p.shards.map((x) => x.sha256)));
  let assembled = 0;
  for (const [name, p] of Object.entries(m2.parts)) {
    const before = m1.parts[name];
    if (before?.file === p.file) continue;  // unchanged: the held file (an HTTP cache hit in a browser)
    const kept = p.shards.filter((x) => oldShards.has(x.sha256));
    if (!before || 2 * kept.reduce((n, x) => n + x.bytes, 0) < p.bytes) {
      assert.ok(got.has(p.file), `${name}: little to re-use, its whole file is fetched`);
      continue;
    }
    assembled++;
    assert.ok(!got.has(p.file), `${name}: its new whole file is not fetched`);
    assert.ok(got.has(before.file), `${name}: the held part is read`);
    for (const x of p.shards) assert.equal(got.has(x.file), !oldShards.has(x.sha256), `${name}: shard ${x.file} fetched iff new`);
  }
  assert.ok(assembled >= 1, 'the item factors (two shards; one new row) are put together from held bytes and a new shard');
  // The same bundle as a fresh load of v2 gives.
  const fresh = await createEngine(v2);
  assert.deepEqual((await api.recommend({ k: 10 })).items.map((r) => r.id), (await fresh.recommend({ k: 10 })).items.map((r) => r.id));
  assert.ok((await api.items()).some((it) => it.id === 'course-wire-update'));
  api.delete();
  fresh.delete();
});

test('downloads are limited to a fixed number in flight, in order, and a failure reaches its caller', async () => {
  const { limitConcurrency } = await import(pathToFileURL(path.join(engineDir, 'download.js')).href);
  const slot = limitConcurrency(3);
  let active = 0;
  let most = 0;
  const started = [];
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => slot(async () => {
    started.push(i);
    most = Math.max(most, ++active);
    for (let k = 0; k < 1 + (i % 4); k++) await tick();
    active--;
    if (i === 7) throw new Error('file 7 failed');
    return i * i;
  })));
  assert.equal(most, 3);
  assert.deepEqual(started, Array.from({ length: 40 }, (_, i) => i));
  assert.equal(results[7].status, 'rejected');
  assert.equal(results[7].reason.message, 'file 7 failed');
  assert.deepEqual(results.filter((_, i) => i !== 7).map((r) => r.value), Array.from({ length: 40 }, (_, i) => i * i).filter((_, i) => i !== 7));
});
