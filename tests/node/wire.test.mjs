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
import { bundleDir, engineDir, manifestUrl, wasmBinary } from './harness.mjs';
import { precompressedMiddleware } from '../../web/plugins/precompressed.js';

const demo = bundleDir('demo');

/** The public JS API in-process, on a bundle URL (http: here) or a bundle folder on disk. */
async function createEngine(where) {
  const { createPathlight } = await import(pathToFileURL(path.join(engineDir, 'pathlight.js')).href);
  const bundleUrl = where.startsWith('http') ? where : manifestUrl(where);
  return createPathlight({ bundleUrl, wasmBinary: wasmBinary() });
}
const built = existsSync(path.join(demo, 'manifest.json'));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'pathlight-wire-'));
const sent = [];
let server;
let origin;
let ignoreAcceptEncoding = false;

before(async () => {
  if (!built) return;
  cpSync(demo, path.join(tmp, 'good'), { recursive: true });
  // A server: precompressed siblings by Accept-Encoding (unless told to ignore it), else the file.
  const serve = precompressedMiddleware(() => tmp, { onSend: (s) => sent.push(s) });
  server = http.createServer((req, res) => {
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

/** A copy of the good bundle with `edit(dir, manifest)` applied. */
function variant(name, edit) {
  const dir = path.join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(path.join(tmp, 'good'), dir, { recursive: true });
  edit(dir, manifestOf(name));
  return `${origin}/${name}/manifest.json`;
}

test('the trainer writes content-addressed shards with .br and .gz beside them', { skip }, () => {
  const m = manifestOf('good');
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
    const f = m.parts.item_factors.shards?.[0]?.file ?? m.parts.item_factors.file;
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
    const f = m.parts.catalog.shards?.[0]?.file ?? m.parts.catalog.file;
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

test('a missing shard is a network error', { skip }, async () => {
  const url = variant('missing-shard', (dir, m) => {
    for (const f of shardFiles(m).slice(-1)) for (const ext of ['', '.br', '.gz']) rmSync(path.join(dir, f + ext), { force: true });
  });
  await assert.rejects(createEngine(url), (e) => e.code === 'network_error');
});

test('downloads are limited to a fixed number in flight, in order, and a failure reaches its caller', async () => {
  const { limitConcurrency } = await import(pathToFileURL(path.join(engineDir, 'engine.js')).href);
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
