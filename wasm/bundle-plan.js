// Which files a client downloads to get a bundle, given the bundle it already holds
// (docs/bundle-format.md, "Whole parts and shards"). Used by the engine (engine.js) and, inlined
// as text by web/plugins/service-worker.js, by the app's service worker: one rule for both.
//
// A sharded part of format version 2 names its whole bytes as one content-addressed file
// (`file`, `sha256`) beside its shards. A client that holds nothing fetches each part's whole
// file: about a dozen requests for any bundle, where a 100,000-item bundle has about 1,000 shards
// (Chromium spends ~7 ms of a request's throughput on each here: docs/BENCHMARKS.md). A client
// that holds an earlier version's whole parts — the parent it loaded before — takes every shard of
// the new part that the old part also had from the old part's bytes, fetches only the new shards,
// and puts the part together; the core then checks the whole part's SHA-256 as for a fetched one.

/**
 * @typedef {{from: string, offset: number, bytes: number}} HeldPiece   bytes [offset, offset + bytes) of a held file
 * @typedef {{shard: string, bytes: number}} ShardPiece                 a shard file to fetch
 * @typedef {{file: string, bytes: number, sha256: string, pieces?: Array<HeldPiece | ShardPiece>}} Download
 *   One file to hand to the core under `file` (whose SHA-256 the manifest lists as `sha256`):
 *   fetched as is, or — with `pieces` — put together from them in order (`bytes` in all).
 */

/** A file name the client may fetch: plain, inside the bundle folder (the core's PlainFileName). @param {unknown} f */
function plain(f) {
  return typeof f === 'string' && f !== '' && f !== '.' && !/[\\/]/.test(f) && !f.includes('..');
}

/** @param {unknown} n @returns {number} */
const count = (n) => (Number.isSafeInteger(n) && /** @type {number} */ (n) >= 0 ? /** @type {number} */ (n) : 0);

/**
 * The downloads for `manifest` (parsed manifest.json), given `held`: the parsed manifest of the
 * bundle whose whole part files the client holds (its cache has them), or null.
 * A part is put together from held bytes when they cover at least half of it; otherwise, or when
 * nothing is held, its whole file is fetched. A part without a whole file (format version 1, or a
 * version 2 part written before whole files) is fetched as its file or its shards. Entries that
 * are not plain file names are left out (the core then reports the part missing).
 * Pure: no I/O; the order is the manifest's, each file once.
 * @param {any} manifest
 * @param {any} [held]
 * @returns {Download[]}
 */
export function planDownloads(manifest, held = null) {
  /** @type {Map<string, HeldPiece>} shard SHA-256 → where its bytes are in a held whole file */
  const heldShards = new Map();
  /** @type {Set<string>} */
  const heldFiles = new Set();
  for (const part of Object.values(held?.parts ?? {})) {
    if (!plain(part?.file) || !Array.isArray(part?.shards)) continue;
    heldFiles.add(part.file);
    let offset = 0;
    for (const s of part.shards) {
      const bytes = count(s?.bytes);
      if (typeof s?.sha256 === 'string' && !heldShards.has(s.sha256)) heldShards.set(s.sha256, { from: part.file, offset, bytes });
      offset += bytes;
    }
  }
  /** @type {Download[]} */
  const out = [];
  const listed = new Set();
  /** @param {Download} d */
  const push = (d) => {
    if (!plain(d.file) || listed.has(d.file)) return;
    listed.add(d.file);
    out.push(d);
  };
  for (const part of Object.values(manifest?.parts ?? {})) {
    const shards = Array.isArray(part?.shards) ? part.shards : null;
    const whole = { file: part?.file, bytes: count(part?.bytes), sha256: part?.sha256 };
    if (shards && !(plain(whole.file) && typeof whole.sha256 === 'string')) {  // shards only
      for (const s of shards) push({ file: s?.file, bytes: count(s?.bytes), sha256: s?.sha256 });
      continue;
    }
    if (!shards || heldFiles.has(whole.file)) {  // one file; or a part the client holds as it is
      push(whole);
      continue;
    }
    /** @type {Array<HeldPiece | ShardPiece>} */
    const pieces = [];
    let reused = 0;
    for (const s of shards) {
      const from = heldShards.get(s?.sha256);
      if (from && from.bytes === count(s?.bytes)) {
        pieces.push(from);
        reused += from.bytes;
      } else {
        pieces.push({ shard: s?.file, bytes: count(s?.bytes) });
      }
    }
    const usable = pieces.every((p) => 'from' in p || plain(p.shard));
    push(usable && reused > 0 && 2 * reused >= whole.bytes ? { ...whole, pieces } : whole);
  }
  return out;
}

/**
 * Puts a download together from its pieces: `read(file)` gives a held file's bytes, `fetchShard(file)`
 * a shard's (both may reject). Resolves to the `d.bytes` bytes; the caller checks their SHA-256.
 * @param {Download} d
 * @param {(file: string) => Promise<Uint8Array>} read
 * @param {(file: string) => Promise<Uint8Array>} fetchShard
 * @returns {Promise<Uint8Array>}
 */
export async function assemble(d, read, fetchShard) {
  const pieces = d.pieces ?? [];
  /** @type {Map<string, Promise<Uint8Array>>} */
  const held = new Map();
  const bodies = await Promise.all(pieces.map((p) => {
    if ('shard' in p) return fetchShard(p.shard);
    if (!held.has(p.from)) held.set(p.from, read(p.from));
    return /** @type {Promise<Uint8Array>} */ (held.get(p.from)).then((b) => b.subarray(p.offset, p.offset + p.bytes));
  }));
  const out = new Uint8Array(d.bytes);
  let at = 0;
  for (const b of bodies) {
    if (at + b.length > out.length) throw new Error(`the pieces of ${d.file} hold more than its ${d.bytes} bytes`);
    out.set(b, at);
    at += b.length;
  }
  if (at !== out.length) throw new Error(`the pieces of ${d.file} hold ${at} bytes, the manifest says ${d.bytes}`);
  return out;
}
