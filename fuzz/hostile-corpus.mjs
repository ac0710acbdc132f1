#!/usr/bin/env node
// Hostile bundle corpus: damaged copies of one good bundle, each with the error code the reader
// must give. Used by the native GoogleTest (tests/hostile_bundle_test.cpp, HostileBundleTest) and
// by the WASM suite (tests/node/hostile.test.mjs), so both engines are held to the same list.
//
//   node fuzz/hostile-corpus.mjs --good web/public/bundles/demo --out build-asan/hostile-corpus
//
// The good bundle must use f32 factors in one file per part (`pathlight train --factor-encoding f32
// --layout plain`; version-2 shards and catalog changes are derived from it here); f16 and int8 variants are derived from it here. Output:
// <out>/cases.json = [{name, category, expect, expectWasm?}] and one folder per case holding
// manifest.json and the part files (unchanged parts are symbolic links to <out>/_base-*/).
// `expect` is the native error code ("ok" for the good controls); `expectWasm`, where present, is
// the JS engine's code when it differs for a reason outside the core (a missing file is an HTTP
// 404 there: network_error). Families: truncation at every part/section boundary (checksums
// left stale and re-signed), bit flips, wrong versions and dtypes, lying sizes, shapes and
// counts, huge counts, NaN/Inf in every float part with re-signed checksums, cyclic
// prerequisites, dangling references, catalog schema damage, JSON nested thousands deep,
// oversized strings and lists, path tricks in part file names.
import { readFileSync, writeFileSync, mkdirSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogLayout, decodeCatalog } from '../wasm/catalog.js';

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// Deterministic PRNG (mulberry32) so the corpus is the same on every machine (also used by
// tests/node/stability.test.mjs).
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// IEEE binary16 from a float (round to nearest even), for the f16 variant.
function toHalf(f) {
  const buf = new DataView(new ArrayBuffer(4));
  buf.setFloat32(0, f, true);
  const x = buf.getUint32(0, true);
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs >= 0x7f800000) return sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0);
  if (abs >= 0x477ff000) return sign | 0x7c00;
  if (abs < 0x38800000) return sign | Math.round(Math.abs(f) * 16777216);
  const r = abs + 0xfff + ((abs >>> 13) & 1);
  return sign | ((r - (112 << 23)) >>> 13);
}

/** A bundle in memory: manifest object and file name → bytes. */
export function loadBundle(dir) {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const files = new Map();
  // A sharded part (format version 2) becomes one plain file named by the part, as the corpus's
  // cases damage whole parts; the shards family below cuts them again.
  const ext = { 'catalog-v1': 'bin', 'catalog-v2': 'bin', json: 'json' };
  // Writer parts (the content model) are one file each.
  for (const p of Object.values(manifest.writer_parts ?? {})) files.set(p.file, readFileSync(path.join(dir, p.file)));
  for (const [name, p] of Object.entries(manifest.parts)) {
    if (!Array.isArray(p.shards)) {
      files.set(p.file, readFileSync(path.join(dir, p.file)));
      continue;
    }
    const bytes = Buffer.concat(p.shards.map((s) => readFileSync(path.join(dir, s.file))));
    const file = `${name === 'catalog' ? 'catalog' : name}.${ext[p.dtype] ?? p.dtype}`;
    files.set(file, bytes);
    delete p.shards;
    Object.assign(p, { file, sha256: sha256(bytes), bytes: bytes.length });
  }
  return { manifest, files };
}

function resign(b) {
  for (const p of [...Object.values(b.manifest.parts), ...Object.values(b.manifest.writer_parts ?? {})]) {
    if (!p || typeof p !== 'object' || !b.files.has(p.file)) continue;
    p.bytes = b.files.get(p.file).length;
    p.sha256 = sha256(b.files.get(p.file));
  }
  return b;
}

const clone = (b) => ({ manifest: structuredClone(b.manifest), files: new Map(b.files) });

export function variantF16(good) {
  const b = clone(good);
  const f32 = b.files.get('item_factors.f32');
  const out = Buffer.alloc(f32.length / 2);
  for (let j = 0; j < f32.length / 4; j++) out.writeUInt16LE(toHalf(f32.readFloatLE(4 * j)), 2 * j);
  b.files.delete('item_factors.f32');
  b.files.set('item_factors.f16', out);
  Object.assign(b.manifest.parts.item_factors, { file: 'item_factors.f16', dtype: 'f16' });
  return resign(b);
}

export function variantI8(good) {
  const b = clone(good);
  const [n, k] = b.manifest.parts.item_factors.shape;
  const f32 = b.files.get('item_factors.f32');
  const q = Buffer.alloc(n * k);
  const scales = Buffer.alloc(4 * n);
  for (let i = 0; i < n; i++) {
    let amax = 0;
    for (let d = 0; d < k; d++) amax = Math.max(amax, Math.abs(f32.readFloatLE(4 * (i * k + d))));
    const s = amax > 0 ? Math.fround(amax / 127) : 1;
    scales.writeFloatLE(s, 4 * i);
    for (let d = 0; d < k; d++) q.writeInt8(Math.max(-127, Math.min(127, Math.round(f32.readFloatLE(4 * (i * k + d)) / s))), i * k + d);
  }
  b.files.delete('item_factors.f32');
  b.files.set('item_factors.i8', q);
  b.files.set('item_factor_scales.f32', scales);
  Object.assign(b.manifest.parts.item_factors, { file: 'item_factors.i8', dtype: 'i8' });
  b.manifest.parts.item_factor_scales = { file: 'item_factor_scales.f32', bytes: 0, sha256: '', dtype: 'f32', shape: [n] };
  return resign(b);
}

// Byte offsets of the element boundaries of the catalog's "concepts" and "items" arrays (depth 2)
// and of its top-level keys (depth 1), found by scanning outside strings.
function jsonBoundaries(text) {
  const out = [];
  let depth = 0, inString = false, escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') { depth++; if (depth <= 2) out.push(i + 1); }
    else if (ch === '}' || ch === ']') { if (depth <= 2) out.push(i); depth--; }
    else if (ch === ',' && depth <= 2) out.push(i, i + 1);
  }
  return [...new Set(out)].filter((o) => o > 0 && o < text.length);
}

const RAW = '"__RAW__"';
function rawNumber(obj, setter, raw) {
  const m = structuredClone(obj);
  setter(m, '__RAW__');
  return JSON.stringify(m, null, 2).replace(RAW, raw);
}

/** Builds every case; returns [{name, category, expect, expectWasm?, bundle | manifestText}] */
function buildCases(good) {
  const cases = [];
  const f16 = variantF16(good);
  const i8 = variantI8(good);
  const add = (category, name, expect, b, extra = {}) => cases.push({ category, name, expect, bundle: b, ...extra });
  const [n, k] = good.manifest.parts.item_factors.shape;
  const c = good.manifest.counts.concepts;
  // concept_vectors is optional in format version 2 (computed by the reader when left out).
  const floatParts = ['item_factors', 'item_bias', 'item_popularity', 'gram', 'concept_vectors'].filter((p) => good.manifest.parts[p]);
  const fileOf = (b, part) => b.manifest.parts[part].file;
  const withFile = (b, file, bytes, sign) => {
    const x = clone(b);
    x.files.set(file, bytes);
    return sign ? resign(x) : x;
  };
  const withManifest = (b, edit) => {
    const x = clone(b);
    edit(x.manifest);
    return x;
  };
  // The catalog's JSON form: the schema, cycle and reference cases below edit it as text and
  // publish it as a JSON catalog part (dtype "json", the encoding readers accept beside catalog-v1).
  const catalogEntry = good.manifest.parts.catalog;
  const catalogBytes = good.files.get(catalogEntry.file);
  const catalogText = catalogEntry.dtype === 'json' ? catalogBytes.toString('utf8') : JSON.stringify(decodeCatalog(new Uint8Array(catalogBytes)));
  const withCatalog = (edit, b = good) => {
    const cat = JSON.parse(catalogText);
    const r = edit(cat);
    const x = clone(b);
    x.files.delete(catalogEntry.file);
    x.files.set('catalog.json', Buffer.from(typeof r === 'string' ? r : JSON.stringify(cat)));
    Object.assign(x.manifest.parts.catalog, { file: 'catalog.json', dtype: 'json' });
    return resign(x);
  };
  // The compact catalog part with one field damaged in place (re-signed); `at(section, i)` is the
  // byte offset of entry i of a section (wasm/catalog.js catalogLayout).
  const withBinaryCatalog = (edit) => {
    const bytes = Buffer.from(catalogBytes);
    const layout = catalogLayout(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    const at = (section, i = 0) => layout.sections[section].offset + i * layout.sections[section].width;
    edit(bytes, at, layout);
    return withFile(good, catalogEntry.file, bytes, true);
  };

  // ---- controls: the good bundles decode --------------------------------------------------------
  add('control', 'good-f32', 'ok', good);
  add('control', 'good-f16', 'ok', f16);
  add('control', 'good-i8', 'ok', i8);

  // ---- truncation at every part boundary and at sampled section boundaries -------------------------
  for (const [vname, base] of [['f32', good], ['f16', f16], ['i8', i8]]) {
    for (const [part, entry] of Object.entries(base.manifest.parts)) {
      if (vname !== 'f32' && part !== 'item_factors' && part !== 'item_factor_scales') continue;  // the rest is shared
      const bytes = base.files.get(entry.file);
      let cuts;
      if (entry.dtype === 'json') {
        const bounds = jsonBoundaries(bytes.toString('latin1'));
        const step = Math.max(1, Math.floor(bounds.length / 12));
        cuts = [0, 1, ...bounds.filter((_, j) => j % step === 0), bytes.length - 1];
      } else if (entry.dtype === 'catalog-v1' || entry.dtype === 'catalog-v2') {
        // Inside the header, then at every section's start (a cut at 48 bytes or more leaves a
        // header whose counts disagree with the size).
        const { sections } = catalogLayout(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        cuts = [0, 1, 8, 47, ...Object.values(sections).map((x) => x.offset), bytes.length - 1].filter((x) => x < bytes.length);
      } else if (entry.dtype === 'content-v1') {
        // Inside the 40-byte header, then in the vocabulary and the weights.
        cuts = [0, 1, 8, 39, 40, 41, Math.floor(bytes.length / 2), bytes.length - 1].filter((x) => x < bytes.length);
      } else {
        const rowBytes = bytes.length / entry.shape[0];
        const rows = entry.shape[0];
        cuts = [0, 1, rowBytes - 1, rowBytes, Math.floor(rows / 2) * rowBytes, (rows - 1) * rowBytes,
          (rows - 1) * rowBytes + 1, bytes.length - 1].filter((x) => x >= 0 && x < bytes.length);
      }
      for (const cut of [...new Set(cuts)]) {
        const t = bytes.subarray(0, cut);
        add('truncation', `truncate-${vname}-${part}-at-${cut}`, 'corrupt_bundle', withFile(base, entry.file, t, false));
        const resigned = entry.dtype === 'json' || ((entry.dtype === 'catalog-v1' || entry.dtype === 'catalog-v2') && cut < 48) ||
          (entry.dtype === 'content-v1' && cut < 40) ? 'parse_error' : 'corrupt_bundle';
        add('truncation', `truncate-resigned-${vname}-${part}-at-${cut}`, resigned, withFile(base, entry.file, t, true));
      }
      // One byte too many, and a whole extra row (re-signed: sizes then disagree with shapes).
      add('truncation', `extend-${vname}-${part}-by-1`, 'corrupt_bundle', withFile(base, entry.file, Buffer.concat([bytes, Buffer.from([0])]), false));
      if (entry.shape?.length) {
        const row = bytes.subarray(0, bytes.length / entry.shape[0]);
        add('truncation', `extend-resigned-${vname}-${part}-by-a-row`, 'corrupt_bundle', withFile(base, entry.file, Buffer.concat([bytes, row]), true));
      }
    }
  }
  // The manifest itself, cut at every line boundary (all invalid JSON).
  const manifestText = JSON.stringify(good.manifest, null, 2);
  const lastBrace = manifestText.lastIndexOf('}');
  const lineCuts = [0, 1];
  for (let i = manifestText.indexOf('\n'); i >= 0 && i < lastBrace; i = manifestText.indexOf('\n', i + 1)) lineCuts.push(i);
  const step = Math.max(1, Math.floor(lineCuts.length / 30));
  for (const cut of lineCuts.filter((_, j) => j % step === 0)) {
    add('truncation', `truncate-manifest-at-${cut}`, 'parse_error', good, { manifestText: manifestText.slice(0, cut) });
  }

  // ---- missing files ------------------------------------------------------------------------------
  for (const base of [good, i8]) {
    for (const [part, entry] of Object.entries(base.manifest.parts)) {
      if (base === i8 && part !== 'item_factor_scales') continue;
      const x = clone(base);
      x.files.delete(entry.file);
      add('missing', `missing-${part}-file`, 'io_error', x, { expectWasm: 'network_error' });
    }
  }
  add('missing', 'missing-manifest', 'io_error', good, { noManifest: true, expectWasm: 'network_error' });

  // ---- the content model (content-v1; core/src/content_model.cpp), damaged and re-signed ----------
  // Writers keep it as a writer part, which only a writer reads (natively, DecodeBundle with its
  // file); bundles written before list it among the parts, and every reader decodes it there: the
  // decoder's checks are held to the same list in both engines through such a bundle.
  const writerEntry = good.manifest.writer_parts?.content_model;
  if (writerEntry) {
    const legacy = withManifest(good, (m) => {
      m.parts.content_model = m.writer_parts.content_model;
      delete m.writer_parts;
    });
    add('content', 'content-as-part', 'ok', legacy);
    const bytes = good.files.get(writerEntry.file);
    const withContent = (edit) => {
      const b = Buffer.from(bytes);
      edit(b);
      return withFile(legacy, writerEntry.file, b, true);
    };
    const u32 = (b, at) => b.readUInt32LE(at);
    const nStrings = u32(bytes, 16) + u32(bytes, 20);
    const stringsAt = 40 + 4 * (nStrings + 1);
    add('content', 'content-magic', 'parse_error', withContent((b) => { b[7] ^= 1; }));
    add('content', 'content-other-concept-count', 'corrupt_bundle', withContent((b) => { b.writeUInt32LE(u32(b, 8) + 1, 8); }));
    add('content', 'content-other-k', 'corrupt_bundle', withContent((b) => { b.writeUInt32LE(u32(b, 12) + 1, 12); }));
    add('content', 'content-reserved-nonzero', 'corrupt_bundle', withContent((b) => { b[32] = 1; }));
    add('content', 'content-huge-vocabulary', 'limit_exceeded', withContent((b) => { b.writeUInt32LE(0xffffffff, 20); }));
    add('content', 'content-nan-weight', 'not_finite', withContent((b) => { b.writeFloatLE(NaN, b.length - 4); }));
    add('content', 'content-inf-intercept', 'not_finite', withContent((b) => {
      b.writeFloatLE(Infinity, (stringsAt + u32(b, 24) + 7) & ~7);
    }));
    if (u32(bytes, 24) > 0) add('content', 'content-string-not-utf8', 'parse_error', withContent((b) => { b[stringsAt] = 0xff; }));
    if (u32(bytes, 20) >= 2) {
      // The first title word made "~…", above every other (ASCII words are lower-case letters and digits).
      const firstWord = stringsAt + u32(bytes, 40 + 4 * u32(bytes, 16));
      add('content', 'content-words-out-of-order', 'corrupt_bundle', withContent((b) => { b[firstWord] = 0x7e; }));
    }
    add('content', 'content-truncated-header', 'parse_error', withFile(legacy, writerEntry.file, bytes.subarray(0, 20), true));
    for (const [label, at] of [['half', bytes.length >> 1], ['last-byte', bytes.length - 1]])
      add('content', `content-truncated-${label}`, 'corrupt_bundle', withFile(legacy, writerEntry.file, bytes.subarray(0, at), true));
    add('content', 'content-dtype-unknown', 'unsupported_version', withManifest(legacy, (m) => { m.parts.content_model.dtype = 'content-v9'; }));
    add('content', 'content-part-unlisted', 'ok', withManifest(legacy, (m) => { delete m.parts.content_model; }));
    // As a writer part: checked natively (the folder reader adds its file); the engine never
    // fetches it, so a damaged file there cannot stop a learner's load. The manifest entry itself
    // is checked by both.
    const damagedWriter = (edit, sign) => {
      const b = Buffer.from(bytes);
      edit(b);
      return withFile(good, writerEntry.file, b, sign);
    };
    add('content', 'writer-content-checksum', 'checksum_mismatch', damagedWriter((b) => { b[40] ^= 1; }, false), { expectWasm: 'ok' });
    add('content', 'writer-content-nan-weight', 'not_finite', damagedWriter((b) => { b.writeFloatLE(NaN, b.length - 4); }, true), { expectWasm: 'ok' });
    add('content', 'writer-content-file-missing', 'ok', (() => { const x = clone(good); x.files.delete(writerEntry.file); return x; })());
    add('content', 'writer-content-dtype-unknown', 'unsupported_version', withManifest(good, (m) => { m.writer_parts.content_model.dtype = 'content-v9'; }));
    add('content', 'writer-parts-unknown', 'parse_error', withManifest(good, (m) => { m.writer_parts.item_bias = m.parts.item_bias; }));
    add('content', 'writer-parts-not-object', 'parse_error', withManifest(good, (m) => { m.writer_parts = ['content_model']; }));
    add('content', 'writer-content-file-subdir', 'corrupt_bundle', withManifest(good, (m) => { m.writer_parts.content_model.file = 'sub/content.bin'; }));
    // Beside a model among the parts, "writer_parts" is checked all the same (it was skipped, and
    // `pathlight inspect` then crashed on its unchecked entries); the map listed in both is refused.
    add('content', 'writer-parts-not-object-beside-content-part', 'parse_error', withManifest(legacy, (m) => { m.writer_parts = ['x']; }));
    add('content', 'writer-parts-unknown-beside-content-part', 'parse_error', withManifest(legacy, (m) => { m.writer_parts = { evil: { file: 7 } }; }));
    add('content', 'content-in-parts-and-writer-parts', 'parse_error', withManifest(legacy, (m) => { m.writer_parts = { content_model: m.parts.content_model }; }));
    add('content', 'writer-content-not-object', 'corrupt_bundle', withManifest(good, (m) => { m.writer_parts.content_model = 'content.bin'; }));
    add('content', 'writer-content-file-is-a-part', 'corrupt_bundle', withManifest(good, (m) => {
      const { shape, ...gram } = m.parts.gram;
      m.writer_parts.content_model = { ...gram, dtype: 'content-v1' };
    }));
  }

  // ---- bit flips ------------------------------------------------------------------------------------
  const rand = rng(20240601);
  for (const base of [good, f16, i8]) {
    for (const [part, entry] of Object.entries(base.manifest.parts)) {
      if (base !== good && part !== 'item_factors' && part !== 'item_factor_scales') continue;
      const bytes = base.files.get(entry.file);
      const flips = base === good ? 10 : 6;
      for (let j = 0; j < flips; j++) {
        const x = Buffer.from(bytes);
        const nbits = j < flips - 2 ? 1 : 8;  // single-bit flips, then bursts
        const at = [];
        for (let b = 0; b < nbits; b++) {
          const pos = Math.floor(rand() * x.length);
          const bit = Math.floor(rand() * 8);
          x[pos] ^= 1 << bit;
          at.push(`${pos}.${bit}`);
        }
        if (x.equals(bytes)) continue;  // two flips of the same bit cancel
        add('bitflip', `bitflip-${entry.dtype}-${part}-${j}-at-${at[0]}${nbits > 1 ? `-and-${nbits - 1}-more` : ''}`, 'checksum_mismatch',
          withFile(base, entry.file, x, false));
      }
    }
  }
  // Flipped bits in the published checksums themselves (hex digit → another printable character).
  for (const part of Object.keys(good.manifest.parts)) {
    for (const pos of [0, 63]) {
      const x = withManifest(good, (m) => {
        const s = m.parts[part].sha256;
        m.parts[part].sha256 = s.slice(0, pos) + String.fromCharCode(s.charCodeAt(pos) ^ 1) + s.slice(pos + 1);
      });
      add('bitflip', `bitflip-manifest-sha256-${part}-char-${pos}`, 'checksum_mismatch', x);
    }
  }

  // ---- versions, formats and dtypes -------------------------------------------------------------------
  for (const v of [0, 3, 4, 999, -1, 2147483648]) add('version', `version-${v}`, 'unsupported_version', withManifest(good, (m) => { m.version = v; }));
  add('version', 'version-2^64-1', 'unsupported_version', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.version = r; }, '18446744073709551615') });
  add('version', 'version-1.0-float', 'parse_error', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.version = r; }, '1.0') });
  add('version', 'version-1e400', 'parse_error', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.version = r; }, '1e400') });
  for (const [label, v] of [['string', '1'], ['null', null], ['array', [1]], ['object', { major: 1 }], ['true', true]]) {
    add('version', `version-${label}`, 'parse_error', withManifest(good, (m) => { m.version = v; }));
  }
  add('version', 'version-missing', 'parse_error', withManifest(good, (m) => { delete m.version; }));
  for (const [label, f] of [['other', 'pathlight-bundle-v2'], ['empty', ''], ['number', 7], ['null', null], ['array', ['pathlight-bundle']], ['object', {}]]) {
    add('version', `format-${label}`, 'parse_error', withManifest(good, (m) => { m.format = f; }));
  }
  add('version', 'format-missing', 'parse_error', withManifest(good, (m) => { delete m.format; }));
  for (const [part, dt] of [['item_factors', 'f64'], ['item_factors', 'F32'], ['item_factors', 'bf16'], ['gram', 'f16'], ['gram', 'i8'],
    ['item_bias', 'f64'], ['catalog', 'yaml'], ['catalog', 'f32'], ['concept_vectors', 'json']]) {
    if (!good.manifest.parts[part]) continue;  // concept_vectors: absent from a v2 bundle that can compute them
    add('version', `dtype-${part}-${dt}`, 'unsupported_version', withManifest(good, (m) => { m.parts[part].dtype = dt; }));
  }
  add('version', 'dtype-number', 'parse_error', withManifest(good, (m) => { m.parts.gram.dtype = 32; }));

  // ---- lying sizes ----------------------------------------------------------------------------------
  for (const part of Object.keys(good.manifest.parts)) {
    const real = good.manifest.parts[part].bytes;
    for (const [label, v] of [['plus-1', real + 1], ['minus-1', real - 1], ['zero', 0], ['double', real * 2]]) {
      add('size', `bytes-${part}-${label}`, 'corrupt_bundle', withManifest(good, (m) => { m.parts[part].bytes = v; }));
    }
  }
  add('size', 'bytes-over-2GiB', 'limit_exceeded', withManifest(good, (m) => { m.parts.item_factors.bytes = 2 ** 31 + 1; }));
  add('size', 'bytes-2^53', 'limit_exceeded', withManifest(good, (m) => { m.parts.catalog.bytes = 2 ** 53; }));
  add('size', 'bytes-2^64-1', 'limit_exceeded', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.parts.gram.bytes = r; }, '18446744073709551615') });
  for (const [label, v] of [['negative', -4], ['string', '4096'], ['null', null], ['float', 4096.5]]) {
    add('size', `bytes-${label}`, 'parse_error', withManifest(good, (m) => { m.parts.gram.bytes = v; }));
  }
  // Two parts naming the same file: sizes disagree.
  add('size', 'gram-names-bias-file', 'corrupt_bundle', withManifest(good, (m) => { m.parts.gram.file = 'item_bias.f32'; }));

  // ---- lying shapes and counts ------------------------------------------------------------------------
  for (const part of floatParts) {
    const sh = good.manifest.parts[part].shape;
    const lies = [['first-plus-1', [sh[0] + 1, ...sh.slice(1)]], ['first-minus-1', [sh[0] - 1, ...sh.slice(1)]],
      ['reversed', [...sh].reverse()], ['extra-dim', [...sh, 1]], ['empty', []], ['negative', sh.map((x) => -x)],
      ['string', sh.map(String)], ['not-array', sh[0]]];
    for (const [label, v] of lies) {
      if (JSON.stringify(v) === JSON.stringify(sh)) continue;  // reversing a square shape changes nothing
      add('shape', `shape-${part}-${label}`, 'corrupt_bundle', withManifest(good, (m) => { m.parts[part].shape = v; }));
    }
    add('shape', `shape-${part}-missing`, 'corrupt_bundle', withManifest(good, (m) => { delete m.parts[part].shape; }));
  }
  for (const [label, edit] of [['items-plus-1', (m) => { m.counts.items = n + 1; }], ['items-minus-1', (m) => { m.counts.items = n - 1; }],
    ['items-zero', (m) => { m.counts.items = 0; }], ['concepts-plus-1', (m) => { m.counts.concepts = c + 1; }],
    ['concepts-minus-1', (m) => { m.counts.concepts = c - 1; }], ['factors-plus-1', (m) => { m.model.factors = k + 1; }],
    ['factors-minus-1', (m) => { m.model.factors = k - 1; }]]) {
    add('count', `count-${label}`, 'corrupt_bundle', withManifest(good, edit));
  }
  // Consistent lie: every array has n − 1 rows and says so, re-signed; only the catalog disagrees.
  {
    const x = withManifest(good, (m) => {
      m.counts.items = n - 1;
      for (const p of ['item_factors', 'item_bias', 'item_popularity']) m.parts[p].shape[0] = n - 1;
    });
    for (const p of ['item_factors', 'item_bias', 'item_popularity']) {
      const f = fileOf(x, p);
      x.files.set(f, x.files.get(f).subarray(0, x.files.get(f).length - x.files.get(f).length / n));
    }
    add('count', 'count-items-consistent-lie', 'corrupt_bundle', resign(x));
    // Every part shaped by the concept count agrees with the lie; only the catalog tells the truth.
    const y = withManifest(good, (m) => {
      m.counts.concepts = c - 1;
      if (m.parts.concept_vectors) m.parts.concept_vectors.shape[0] = c - 1;
    });
    if (good.manifest.parts.concept_vectors) {
      y.files.set('concept_vectors.f32', y.files.get('concept_vectors.f32').subarray(0, (c - 1) * k * 4));
    }
    add('count', 'count-concepts-consistent-lie', 'corrupt_bundle', resign(y));
  }
  // Huge counts: refused before any allocation.
  for (const [label, edit] of [['items-2^24+1', (m) => { m.counts.items = 2 ** 24 + 1; }], ['items-1e15', (m) => { m.counts.items = 1e15; }],
    ['concepts-2^20+1', (m) => { m.counts.concepts = 2 ** 20 + 1; }], ['concepts-2^40', (m) => { m.counts.concepts = 2 ** 40; }],
    ['factors-0', (m) => { m.model.factors = 0; }], ['factors-1025', (m) => { m.model.factors = 1025; }],
    ['factors-2^40', (m) => { m.model.factors = 2 ** 40; }]]) {
    add('count', `huge-${label}`, 'limit_exceeded', withManifest(good, edit));
  }
  for (const [label, field] of [['items', (m, r) => { m.counts.items = r; }], ['concepts', (m, r) => { m.counts.concepts = r; }],
    ['factors', (m, r) => { m.model.factors = r; }]]) {
    add('count', `huge-${label}-2^64-1`, 'limit_exceeded', good, { manifestText: rawNumber(good.manifest, field, '18446744073709551615') });
    add('count', `huge-${label}-2^63`, 'limit_exceeded', good, { manifestText: rawNumber(good.manifest, field, '9223372036854775808') });
  }
  for (const [label, edit] of [['items-negative', (m) => { m.counts.items = -1; }], ['items-string', (m) => { m.counts.items = String(n); }],
    ['items-float', (m) => { m.counts.items = n + 0.5; }], ['counts-missing', (m) => { delete m.counts; }],
    ['factors-negative', (m) => { m.model.factors = -k; }], ['model-missing', (m) => { delete m.model; }],
    ['counts-array', (m) => { m.counts = [n, c]; }]]) {
    add('count', `count-${label}`, 'parse_error', withManifest(good, edit));
  }

  // ---- NaN and ±∞ with re-signed checksums --------------------------------------------------------------
  const specials = [['nan', 0x7fc00000], ['snan', 0x7f800001], ['inf', 0x7f800000], ['neg-inf', 0xff800000], ['neg-nan', 0xffc00000]];
  for (const part of floatParts) {
    const file = fileOf(good, part);
    const bytes = good.files.get(file);
    const count = bytes.length / 4;
    for (const [label, bits] of specials) {
      for (const at of [0, Math.floor(count / 2), count - 1]) {
        const x = Buffer.from(bytes);
        x.writeUInt32LE(bits, 4 * at);
        add('nonfinite', `${label}-${part}-at-${at}`, 'not_finite', withFile(good, file, x, true));
      }
    }
  }
  {
    const bytes = f16.files.get('item_factors.f16');
    const count = bytes.length / 2;
    for (const [label, bits] of [['inf', 0x7c00], ['neg-inf', 0xfc00], ['nan', 0x7e00], ['snan', 0x7c01]]) {
      for (const at of [0, Math.floor(count / 2), count - 1]) {
        const x = Buffer.from(bytes);
        x.writeUInt16LE(bits, 2 * at);
        add('nonfinite', `${label}-f16-item_factors-at-${at}`, 'not_finite', withFile(f16, 'item_factors.f16', x, true));
      }
    }
    const scales = i8.files.get('item_factor_scales.f32');
    for (const [label, bits] of [['nan', 0x7fc00000], ['inf', 0x7f800000], ['negative', 0xbf800000]]) {
      for (const at of [0, n - 1]) {
        const x = Buffer.from(scales);
        x.writeUInt32LE(bits, 4 * at);
        add('nonfinite', `${label}-i8-scale-at-${at}`, 'not_finite', withFile(i8, 'item_factor_scales.f32', x, true));
      }
    }
  }
  for (const [label, edit] of [['regularization-negative', (m) => { m.model.regularization = -1; }], ['alpha-negative', (m) => { m.model.alpha = -0.5; }]]) {
    add('nonfinite', `model-${label}`, 'not_finite', withManifest(good, edit));
  }
  add('nonfinite', 'model-regularization-1e39', 'not_finite', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.model.regularization = r; }, '1e39') });
  add('manifest', 'model-alpha-1e400-overflows-json', 'parse_error', good, { manifestText: rawNumber(good.manifest, (m, r) => { m.model.alpha = r; }, '1e400') });

  // ---- knowledge graph: cycles and dangling references ------------------------------------------------------
  const cat0 = JSON.parse(catalogText);
  const deepest = cat0.concepts.reduce((best, x, j) => (x.prerequisites.length > cat0.concepts[best].prerequisites.length ? j : best), 0);
  const withPre = cat0.concepts.map((x, j) => [x, j]).filter(([x]) => x.prerequisites.length > 0).map(([, j]) => j);
  for (const j of [0, deepest, cat0.concepts.length - 1]) {
    add('cycle', `cycle-self-loop-concept-${j}`, 'prerequisite_cycle', withCatalog((cat) => { cat.concepts[j].prerequisites.push(cat.concepts[j].id); }));
  }
  for (const j of withPre.slice(0, 4)) {
    add('cycle', `cycle-two-concept-${j}`, 'prerequisite_cycle', withCatalog((cat) => {
      const p = cat.concepts.find((x) => x.id === cat.concepts[j].prerequisites[0]);
      p.prerequisites.push(cat.concepts[j].id);
    }));
  }
  // Long cycle: a root of the deepest concept's chain now requires the deepest concept.
  add('cycle', 'cycle-through-deepest-chain', 'prerequisite_cycle', withCatalog((cat) => {
    let x = cat.concepts[deepest];
    while (x.prerequisites.length) x = cat.concepts.find((y) => y.id === x.prerequisites[0]);
    x.prerequisites.push(cat.concepts[deepest].id);
  }));
  const firstWith = (pred) => cat0.items.findIndex(pred);
  const mentorIdx = firstWith((it) => it.kind === 'mentor' && it.expertise && Object.keys(it.expertise).length);
  const requiresIdx = firstWith((it) => (it.requires ?? []).length > 0);
  for (const [label, edit] of [
    ['concept-prerequisite', (cat) => { cat.concepts[0].prerequisites.push('no-such-concept'); }],
    ['last-concept-prerequisite', (cat) => { cat.concepts.at(-1).prerequisites = ['no-such-concept']; }],
    ['item-teaches', (cat) => { cat.items[0].teaches.push('no-such-concept'); }],
    ['last-item-teaches', (cat) => { cat.items.at(-1).teaches = ['no-such-concept']; }],
    ['item-requires', (cat) => { cat.items[requiresIdx].requires.push('no-such-concept'); }],
    ['mentor-expertise', (cat) => { cat.items[mentorIdx].expertise['no-such-concept'] = 0.5; }],
    ['prerequisite-empty-id', (cat) => { cat.concepts[1].prerequisites.push(''); }],
    ['teaches-removed-concept', (cat) => { const gone = cat.concepts.pop(); cat.items[0].teaches.push(gone.id); }],
  ]) {
    add('dangling', `dangling-${label}`, 'unknown_id', withCatalog(edit));
  }

  // ---- the compact catalog part, one field damaged in place (re-signed) ----------------------------------
  if (catalogEntry.dtype === 'catalog-v1' || catalogEntry.dtype === 'catalog-v2') {
    const lay = catalogLayout(new Uint8Array(catalogBytes.buffer, catalogBytes.byteOffset, catalogBytes.length));
    const u32 = (section, i) => catalogBytes.readUInt32LE(lay.sections[section].offset + 4 * i);
    const withPrerequisite = cat0.concepts.findIndex((x) => x.prerequisites.length > 0);
    const nonAsciiTitle = cat0.items.findIndex((it) => /[^\x00-\x7f]/.test(it.title));
    const firstWithOfferings = () => cat0.items.findIndex((it) => (it.offerings ?? []).length > 0);
    for (const [label, expect, edit] of [
      ['magic', 'parse_error', (b) => { b.write('XLCATLG1', 0, 'latin1'); }],
      ['count-items-plus-1', 'corrupt_bundle', (b) => { b.writeUInt32LE(n + 1, 12); }],
      ['count-strings-2^32-1', 'limit_exceeded', (b) => { b.writeUInt32LE(0xffffffff, 16); }],
      ['reserved-nonzero', 'corrupt_bundle', (b) => { b.writeUInt32LE(1, 44); }],
      ['string-offsets-out-of-order', 'corrupt_bundle', (b, at) => { b.writeUInt32LE(0xfffffff0, at('stringOffsets', 1)); }],
      ['item-kind-9', 'corrupt_bundle', (b, at) => { b[at('itemKind', 0)] = 9; }],
      ['item-level-9', 'corrupt_bundle', (b, at) => { b[at('itemLevel', n - 1)] = 9; }],
      ['item-price-nan', 'not_finite', (b, at) => { b[at('itemPriceKnown', 0)] = 1; b.writeDoubleLE(NaN, at('itemPrice', 0)); }],
      ['item-price-negative', 'invalid_argument', (b, at) => { b[at('itemPriceKnown', 0)] = 1; b.writeDoubleLE(-1, at('itemPrice', 0)); }],
      ['item-hours-infinite', 'not_finite', (b, at) => { b.writeDoubleLE(Infinity, at('itemHours', n - 1)); }],
      ['item-id-string-out-of-range', 'corrupt_bundle', (b, at, l) => { b.writeUInt32LE(l.counts.strings, at('itemId', 0)); }],
      ['item-id-empty', 'parse_error', (b, at) => { b.writeUInt32LE(0, at('itemId', 0)); }],
      ['item-id-duplicate', 'invalid_argument', (b, at) => { b.writeUInt32LE(u32('itemId', 0), at('itemId', n - 1)); }],
      ['concept-id-duplicate', 'invalid_argument', (b, at) => { b.writeUInt32LE(u32('conceptId', 0), at('conceptId', c - 1)); }],
      ['teaches-concept-out-of-range', 'corrupt_bundle', (b, at, l) => { b.writeUInt32LE(c, at('teaches', l.counts.teaches - 1)); }],
      ['prerequisite-self-loop', 'prerequisite_cycle', (b, at) => {
        b.writeUInt32LE(withPrerequisite, at('prerequisites', u32('prerequisiteOffsets', withPrerequisite)));
      }],
      ['title-invalid-utf8', 'parse_error', (b, at) => {
        const s = u32('itemTitle', nonAsciiTitle >= 0 ? nonAsciiTitle : 0);
        b[at('stringData', u32('stringOffsets', s))] = 0xff;
      }],
      ['strings-out-of-order', 'corrupt_bundle', (b, at) => { b[at('stringData', u32('stringOffsets', 1))] = 0x7f; }],
      ['list-offsets-end-beyond', 'corrupt_bundle', (b, at) => { b.writeUInt32LE(0xffff, at('requiresOffsets', n)); }],
      // Mentors' offerings (catalog-v2, group mentoring): each value as the one validator checks it.
      ...(lay.counts.offerings > 0 ? [
        ['offering-format-7', 'corrupt_bundle', (b, at) => { b[at('offeringFormat', 0)] = 7; }],
        ['offering-price-known-2', 'corrupt_bundle', (b, at) => { b[at('offeringPriceKnown', 0)] = 2; }],
        ['offering-seats-0', 'invalid_argument', (b, at) => { b.writeUInt32LE(0, at('offeringSeats', 0)); b.writeUInt32LE(0, at('offeringOpenSeats', 0)); }],
        ['offering-seats-1001', 'invalid_argument', (b, at) => { b[at('offeringFormat', 0)] = 1; b.writeUInt32LE(1001, at('offeringSeats', 0)); }],
        ['offering-one-to-one-2-seats', 'invalid_argument', (b, at) => { b[at('offeringFormat', 0)] = 0; b.writeUInt32LE(2, at('offeringSeats', 0)); }],
        ['offering-open-seats-over-seats', 'invalid_argument', (b, at) => { b.writeUInt32LE(u32('offeringSeats', 0) + 1, at('offeringOpenSeats', 0)); }],
        ['offering-price-nan', 'not_finite', (b, at) => { b[at('offeringPriceKnown', 0)] = 1; b.writeDoubleLE(NaN, at('offeringPrice', 0)); }],
        ['offering-price-negative', 'invalid_argument', (b, at) => { b[at('offeringPriceKnown', 0)] = 1; b.writeDoubleLE(-1, at('offeringPrice', 0)); }],
        ['offering-unknown-price-nonzero', 'invalid_argument', (b, at) => { b[at('offeringPriceKnown', 0)] = 0; b.writeDoubleLE(5, at('offeringPrice', 0)); }],
        ['offerings-offsets-beyond', 'corrupt_bundle', (b, at) => { b.writeUInt32LE(0xffff, at('offeringsOffsets', n)); }],
        ['offerings-on-a-course', 'invalid_argument', (b, at) => { b[at('itemKind', firstWithOfferings())] = 0; }],
      ] : []),
    ]) {
      add('catalog-bin', `catalog-bin-${label}`, expect, withBinaryCatalog(edit));
    }
  }

  // ---- catalog schema damage (re-signed) ------------------------------------------------------------------
  for (const [label, expect, edit] of [
    ['duplicate-concept-id', 'invalid_argument', (cat) => { cat.concepts[1].id = cat.concepts[0].id; }],
    ['duplicate-item-id', 'invalid_argument', (cat) => { cat.items.at(-1).id = cat.items[0].id; }],
    ['negative-price', 'invalid_argument', (cat) => { cat.items[0].price = -1; }],
    ['price-over-1e9', 'invalid_argument', (cat) => { cat.items[0].price = 2e9; }],
    ['rating-6', 'invalid_argument', (cat) => { cat.items[mentorIdx].rating = 6; }],
    ['negative-hours', 'invalid_argument', (cat) => { cat.items[0].hours = -3; }],
    ['negative-capacity', 'invalid_argument', (cat) => { cat.items[mentorIdx].capacity = -1; }],
    ['offering-format-pair', 'parse_error', (cat) => { cat.items[mentorIdx].offerings = [{ format: 'pair', seats: 2, open_seats: 1 }]; }],
    ['offering-open-seats-over-seats', 'invalid_argument', (cat) => { cat.items[mentorIdx].offerings = [{ format: 'group', seats: 6, open_seats: 7, price_per_seat: 25 }]; }],
    ['offering-seats-fraction', 'invalid_argument', (cat) => { cat.items[mentorIdx].offerings = [{ format: 'group', seats: 2.5, open_seats: 1 }]; }],
    ['offering-price-negative', 'invalid_argument', (cat) => { cat.items[mentorIdx].offerings = [{ format: 'group', seats: 6, open_seats: 1, price_per_seat: -1 }]; }],
    ['offerings-on-a-course', 'invalid_argument', (cat) => { cat.items[0].offerings = [{ format: 'group', seats: 6, open_seats: 1 }]; }],
    ['expertise-zero', 'invalid_argument', (cat) => { const e = cat.items[mentorIdx].expertise; e[Object.keys(e)[0]] = 0; }],
    ['expertise-two', 'invalid_argument', (cat) => { const e = cat.items[mentorIdx].expertise; e[Object.keys(e)[0]] = 2; }],
    ['price-string', 'parse_error', (cat) => { cat.items[0].price = '10'; }],
    ['kind-podcast', 'parse_error', (cat) => { cat.items[0].kind = 'podcast'; }],
    ['level-expert', 'parse_error', (cat) => { cat.items[0].level = 'expert'; }],
    ['item-id-missing', 'parse_error', (cat) => { delete cat.items[0].id; }],
    ['item-id-number', 'parse_error', (cat) => { cat.items[0].id = 7; }],
    ['item-id-empty', 'parse_error', (cat) => { cat.items[0].id = ''; }],
    ['concept-id-missing', 'parse_error', (cat) => { delete cat.concepts[0].id; }],
    ['item-not-object', 'parse_error', (cat) => { cat.items[0] = 'course'; }],
    ['teaches-not-array', 'parse_error', (cat) => { cat.items[0].teaches = cat.items[0].teaches[0] ?? 'x'; }],
    ['teaches-number', 'parse_error', (cat) => { cat.items[0].teaches = [1]; }],
    ['expertise-array', 'parse_error', (cat) => { cat.items[mentorIdx].expertise = [0.5]; }],
    ['items-missing', 'parse_error', (cat) => { delete cat.items; }],
    ['concepts-not-array', 'parse_error', (cat) => { cat.concepts = {}; }],
    ['catalog-array', 'parse_error', (cat) => JSON.stringify([cat])],
    ['catalog-null', 'parse_error', () => 'null'],
    ['catalog-empty-object', 'parse_error', () => '{}'],
    ['catalog-not-json', 'parse_error', () => '<catalog/>'],
    ['catalog-nan-literal', 'parse_error', () => catalogText.replace('"price":', '"price":NaN,"x":')],
    ['item-removed', 'corrupt_bundle', (cat) => { cat.items.pop(); }],
    ['item-added', 'corrupt_bundle', (cat) => { cat.items.push({ id: 'extra-item', kind: 'course', teaches: [] }); }],
    ['concept-added', 'corrupt_bundle', (cat) => { cat.concepts.push({ id: 'extra-concept', prerequisites: [] }); }],
  ]) {
    add('schema', `catalog-${label}`, expect, withCatalog(edit));
  }

  // ---- limits: JSON depth, string and list sizes -------------------------------------------------------------
  for (const depth of [65, 1000, 100000]) {
    add('limit', `manifest-metrics-nested-${depth}`, 'limit_exceeded', good, {
      manifestText: rawNumber(good.manifest, (m, r) => { m.metrics.nested = r; }, '['.repeat(depth) + ']'.repeat(depth)),
    });
    add('limit', `catalog-item-field-nested-${depth}`, 'limit_exceeded', withCatalog(() =>
      catalogText.replace('"items":[{', `"items":[{"extra":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},`)));
  }
  add('limit', 'catalog-title-100KiB', 'limit_exceeded', withCatalog((cat) => { cat.items[0].title = 'x'.repeat(100 << 10); }));
  add('limit', 'catalog-concept-name-100KiB', 'limit_exceeded', withCatalog((cat) => { cat.concepts[0].name = 'é'.repeat(50000); }));
  add('limit', 'catalog-teaches-10k-entries', 'limit_exceeded', withCatalog((cat) => { cat.items[0].teaches = new Array(10000).fill(cat.concepts[0].id); }));
  add('limit', 'catalog-languages-10k-entries', 'limit_exceeded', withCatalog((cat) => { cat.items[mentorIdx].languages = new Array(10000).fill('en'); }));
  add('limit', 'catalog-prerequisites-10k-entries', 'limit_exceeded', withCatalog((cat) => { cat.concepts.at(-1).prerequisites = new Array(10000).fill(cat.concepts[0].id); }));

  // ---- manifest structure ----------------------------------------------------------------------------------
  for (const [label, expect, edit] of [
    ['parts-missing', 'parse_error', (m) => { delete m.parts; }],
    ['parts-array', 'parse_error', (m) => { m.parts = Object.values(m.parts); }],
    ['part-entry-string', 'corrupt_bundle', (m) => { m.parts.gram = 'gram.f32'; }],
    ['part-file-missing', 'parse_error', (m) => { delete m.parts.gram.file; }],
    ['part-file-number', 'parse_error', (m) => { m.parts.gram.file = 7; }],
    ['part-sha256-number', 'parse_error', (m) => { m.parts.gram.sha256 = 7; }],
    ['part-sha256-missing', 'parse_error', (m) => { delete m.parts.gram.sha256; }],
    ['part-dtype-missing', 'parse_error', (m) => { delete m.parts.item_factors.dtype; }],
    ['part-file-parent-dir', 'corrupt_bundle', (m) => { m.parts.gram.file = '../gram.f32'; }],
    ['part-file-absolute', 'corrupt_bundle', (m) => { m.parts.gram.file = '/etc/passwd'; }],
    ['part-file-subdir', 'corrupt_bundle', (m) => { m.parts.catalog.file = 'sub/catalog.json'; }],
    ['part-file-empty', 'corrupt_bundle', (m) => { m.parts.catalog.file = ''; }],
    ['part-file-dotdot', 'corrupt_bundle', (m) => { m.parts.item_bias.file = '..'; }],
    ...Object.keys(good.manifest.parts).map((p) => [`part-${p}-unlisted`, 'corrupt_bundle', (m) => { delete m.parts[p]; }]),
    ['i8-scales-unlisted', 'corrupt_bundle', null],
  ]) {
    if (edit) add('manifest', `manifest-${label}`, expect, withManifest(good, edit));
  }
  add('manifest', 'manifest-i8-scales-unlisted', 'corrupt_bundle', withManifest(i8, (m) => { delete m.parts.item_factor_scales; }));
  for (const [label, text] of [['empty', ''], ['whitespace', '  \n'], ['array', '[]'], ['null', 'null'], ['number', '1'], ['string', '"pathlight-bundle"'],
    ['binary', '\u0000\u0001\u0002PK\u0003\u0004'], ['html', '<!doctype html><title>404</title>'], ['trailing-garbage', `${manifestText}}`],
    ['two-objects', `${manifestText}${manifestText}`], ['single-quotes', manifestText.replace(/"/g, "'")]]) {
    add('manifest', `manifest-text-${label}`, 'parse_error', good, { manifestText: text });
  }
  // ---- format version 2: shards, catalog changes, version 1 rules --------------------------------------
  // A good version-2 bundle with item_factors and the catalog cut into content-addressed shards.
  const shardPart = (b, part, cuts) => {
    const x = clone(b);
    const entry = x.manifest.parts[part];
    const bytes = x.files.get(entry.file);
    const ext = entry.file.split('.').pop();
    const bounds = [0, ...cuts.filter((q) => q > 0 && q < bytes.length), bytes.length];
    x.files.delete(entry.file);
    entry.shards = bounds.slice(1).map((end, j) => {
      const shard = bytes.subarray(bounds[j], end);
      const file = `${sha256(shard)}.${ext}`;
      x.files.set(file, shard);
      return { file, bytes: shard.length, sha256: sha256(shard) };
    });
    delete entry.file;
    delete entry.sha256;
    return x;
  };
  const factorBytes = good.files.get(good.manifest.parts.item_factors.file).length;
  const sharded = shardPart(shardPart(good, 'item_factors', [Math.floor(factorBytes / 3), Math.floor((2 * factorBytes) / 3)]),
    'catalog', [Math.floor(catalogBytes.length / 2)]);
  const shardsOf = (b) => b.manifest.parts.item_factors.shards;
  const withShard = (b, j, edit) => {
    const x = clone(b);
    x.manifest = structuredClone(b.manifest);
    edit(x, shardsOf(x)[j], x.files.get(shardsOf(b)[j].file));
    return x;
  };
  add('control', 'good-v2-sharded', 'ok', sharded);
  add('shards', 'shard-bitflip-stale-sha', 'checksum_mismatch', withShard(sharded, 1, (x, e, bytes) => {
    const y = Buffer.from(bytes);
    y[3] ^= 0x20;
    x.files.set(e.file, y);
  }));
  add('shards', 'shard-truncated-stale-size', 'corrupt_bundle', withShard(sharded, 0, (x, e, bytes) => {
    x.files.set(e.file, bytes.subarray(0, bytes.length - 1));
  }));
  add('shards', 'shard-truncated-resigned', 'corrupt_bundle', withShard(sharded, 2, (x, e, bytes) => {
    const y = bytes.subarray(0, bytes.length - 4);
    x.files.set(e.file, y);
    Object.assign(e, { bytes: y.length, sha256: sha256(y) });
  }));
  add('shards', 'shard-missing-file', 'io_error', withShard(sharded, 1, (x, e) => { x.files.delete(e.file); }), { expectWasm: 'network_error' });
  add('shards', 'shard-path-trick', 'corrupt_bundle', withShard(sharded, 0, (x, e) => { e.file = `../${e.file}`; }));
  add('shards', 'shard-bytes-zero', 'corrupt_bundle', withShard(sharded, 0, (x, e) => { e.bytes = 0; }));
  add('shards', 'shards-sum-short', 'corrupt_bundle', withShard(sharded, 0, (x) => { x.manifest.parts.item_factors.shards.pop(); }));
  add('shards', 'shards-empty', 'parse_error', withShard(sharded, 0, (x) => { x.manifest.parts.item_factors.shards = []; }));
  add('shards', 'shard-entry-not-object', 'parse_error', withShard(sharded, 0, (x) => { x.manifest.parts.item_factors.shards[0] = 'x'; }));
  add('shards', 'shards-in-version-1', 'parse_error', withManifest(sharded, (m) => { m.version = 1; }));
  // Whole parts beside their shards (docs/bundle-format.md, "Whole parts and shards"): a reader
  // adds the whole file (the engine's first load) or the shards.
  const withWhole = (b, part) => {
    const x = clone(b);
    const entry = x.manifest.parts[part];
    const bytes = Buffer.concat(entry.shards.map((e) => x.files.get(e.file)));
    const file = `${sha256(bytes)}.${entry.shards[0].file.split('.').pop()}`;
    x.files.set(file, bytes);
    Object.assign(entry, { file, sha256: sha256(bytes) });
    return x;
  };
  const whole = withWhole(sharded, 'item_factors');
  add('control', 'good-v2-whole-and-shards', 'ok', whole);
  add('shards', 'whole-bitflip-stale-sha', 'checksum_mismatch', (() => {
    const x = clone(whole);
    const f = whole.manifest.parts.item_factors.file;
    const y = Buffer.from(x.files.get(f));
    y[5] ^= 0x10;
    x.files.set(f, y);
    return x;
  })());
  add('shards', 'whole-without-sha', 'parse_error', withManifest(whole, (m) => { delete m.parts.item_factors.sha256; }));
  add('shards', 'whole-path-trick', 'corrupt_bundle', withManifest(whole, (m) => { m.parts.item_factors.file = `../${m.parts.item_factors.file}`; }));
  add('shards', 'one-shard-two-digests', 'corrupt_bundle', withManifest(shardPart(good, 'gram', []), (m) => {
    Object.assign(m.parts.gram, { file: m.parts.gram.shards[0].file, sha256: '0'.repeat(64) });
  }));
  add('version', 'version-1-without-concept-vectors', good.manifest.parts.concept_vectors ? 'ok' : 'corrupt_bundle',
    withManifest(good, (m) => { m.version = 1; }));
  // Catalog changes (an updated bundle): one item's new price over the unchanged catalog part.
  const withChanges = (changes, edit = () => {}) => {
    const x = clone(good);
    const bytes = Buffer.from(typeof changes === 'string' ? changes : JSON.stringify(changes));
    x.files.set('catalog_changes.json', bytes);
    x.manifest.parts.catalog_changes = { file: 'catalog_changes.json', bytes: bytes.length, sha256: sha256(bytes), dtype: 'json' };
    edit(x.manifest);
    return x;
  };
  const first = structuredClone(cat0.items[0]);
  add('control', 'good-catalog-changes', 'ok', withChanges({ items: [{ ...first, price: 12.5 }], retired: [] }));
  add('changes', 'changes-not-json', 'parse_error', withChanges('{"items": ['));
  add('changes', 'changes-unknown-key', 'parse_error', withChanges({ items: [], retried: [] }));
  add('changes', 'changes-retire-unknown-id', 'unknown_id', withChanges({ items: [], retired: ['no-such-item'] }));
  add('changes', 'changes-retire-twice', 'invalid_argument', withChanges({ items: [], retired: [first.id, first.id] }));
  add('changes', 'changes-unknown-concept', 'unknown_id', withChanges({ items: [{ ...first, teaches: ['no-such-concept'] }] }));
  add('changes', 'changes-retire-without-rows', 'corrupt_bundle', withChanges({ retired: [first.id] }));
  add('changes', 'changes-count-lies', 'parse_error', withManifest(good, (m) => { m.counts.catalog_items = n + 1; }));
  add('changes', 'changes-price-negative', 'invalid_argument', withChanges({ items: [{ ...first, price: -1 }] }));
  return cases;
}

/** Writes the corpus to `outDir`; returns the case list (as written to cases.json). */
export function writeHostileCorpus(goodDir, outDir) {
  const good = loadBundle(goodDir);
  if (good.manifest.parts.item_factors.dtype !== 'f32') throw new Error(`${goodDir}: the good bundle must have f32 factors`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Base files, shared by symbolic links: every distinct (name, content) pair once.
  const baseDir = path.join(outDir, '_base');
  mkdirSync(baseDir);
  const stored = new Map();
  const store = (file, bytes) => {
    const key = `${file}:${sha256(bytes)}`;
    if (!stored.has(key)) {
      const name = `${stored.size}-${file}`;
      writeFileSync(path.join(baseDir, name), bytes);
      stored.set(key, name);
    }
    return stored.get(key);
  };
  const cases = buildCases(good);
  const names = new Set();
  const list = [];
  for (const kase of cases) {
    if (names.has(kase.name)) throw new Error(`duplicate case name ${kase.name}`);
    names.add(kase.name);
    const dir = path.join(outDir, kase.name);
    mkdirSync(dir);
    if (!kase.noManifest) writeFileSync(path.join(dir, 'manifest.json'), kase.manifestText ?? JSON.stringify(kase.bundle.manifest, null, 2));
    for (const [file, bytes] of kase.bundle.files) {
      if (bytes.length > 1 << 16) writeFileSync(path.join(dir, file), bytes);  // big edits: a real file
      else symlinkSync(path.join('..', '_base', store(file, bytes)), path.join(dir, file));
    }
    const entry = { name: kase.name, category: kase.category, expect: kase.expect };
    if (kase.expectWasm) entry.expectWasm = kase.expectWasm;
    list.push(entry);
  }
  writeFileSync(path.join(outDir, 'cases.json'), JSON.stringify(list, null, 1));
  return list;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const get = (flag) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  const good = get('--good'), out = get('--out');
  if (!good || !out || !existsSync(path.join(good, 'manifest.json'))) {
    console.error('usage: node fuzz/hostile-corpus.mjs --good BUNDLE_DIR --out DIR');
    process.exit(2);
  }
  const list = writeHostileCorpus(good, out);
  const byCat = {};
  for (const c of list) byCat[c.category] = (byCat[c.category] ?? 0) + 1;
  console.log(`${list.length} cases (${Object.entries(byCat).map(([k, v]) => `${k} ${v}`).join(', ')}) → ${out}`);
}
