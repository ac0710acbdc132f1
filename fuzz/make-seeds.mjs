#!/usr/bin/env node
// Seed corpora for the libFuzzer harnesses, made from the project's own fixtures (data/demo, the
// JSON fixtures inside tests/*.cpp, the demo bundle) — never from ../shared/data.
//
//   node fuzz/make-seeds.mjs --out build-fuzz/seeds --bundles DIR[,DIR…]   (f32 bundles: f16 and
//   int8 variants are derived, as in hostile-corpus.mjs)
//
// Each harness fuzz/targets/<name>_fuzzer.cpp declares its seeds in one comment line:
//   // fuzz-seeds: data/demo/*.json @catalogs
// A path or glob (repo-relative, `*` within one path segment) adds each file as one seed; an
// @token adds the seeds of the generator of that name below. Seeds land in <out>/<name>_fuzzer/.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCatalog } from '../wasm/catalog.js';
import { loadBundle, variantF16, variantI8 } from './hostile-corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RS = '\x1e'; // file separator of importer inputs (fuzz/fuzz_util.h)

function args() {
  const a = { out: path.join(root, 'build-fuzz/seeds'), bundles: [] };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') a.out = path.resolve(argv[++i]);
    else if (argv[i] === '--bundles') a.bundles = argv[++i].split(',').filter(Boolean).map((d) => path.resolve(d));
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

function glob(pattern) {
  const parts = pattern.split('/');
  let dirs = [root];
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const re = new RegExp('^' + parts[i].replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '$');
    const next = [];
    for (const d of dirs) {
      if (!existsSync(d)) continue;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (!re.test(e.name)) continue;
        if (last ? e.isFile() : e.isDirectory()) next.push(path.join(d, e.name));
      }
    }
    dirs = next;
  }
  return dirs.sort();
}

const demoCatalog = () => JSON.parse(readFileSync(path.join(root, 'data/demo/catalog.json'), 'utf8'));

// JSON fixtures written inside the GoogleTest sources as raw strings R"(...)".
function testJsonFixtures(pred) {
  const out = [];
  for (const f of glob('tests/*.cpp')) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/R"\(([\s\S]*?)\)"/g)) {
      try {
        const v = JSON.parse(m[1]);
        if (pred(v)) out.push(m[1]);
      } catch { /* not JSON */ }
    }
  }
  return out;
}

// ---- bundle container (fuzz/fuzz_util.h, DecodeContainer) ---------------------------------------
function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
function container(flags, manifest, parts) {
  const chunks = [Buffer.from([flags])];
  const rec = (name, bytes) => chunks.push(u32(Buffer.byteLength(name)), Buffer.from(name), u32(bytes.length), bytes);
  rec('manifest.json', manifest);
  for (const [name, bytes] of parts) rec(name, bytes);
  return Buffer.concat(chunks);
}
// A bundle's catalog document, from its catalog part in either encoding.
function catalogOf(good) {
  const { file, dtype } = good.manifest.parts.catalog;
  const bytes = good.files.get(file);
  return dtype === 'json' ? JSON.parse(bytes) : decodeCatalog(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
}

// The first items and concepts of a bundle with 4 seeded factors: a valid bundle of a few KiB
// (its catalog part as JSON text, the other encoding readers accept).
function small4(good) {
  const cat = catalogOf(good);
  const concepts = cat.concepts.slice(0, 6);
  const ids = new Set(concepts.map((c) => c.id));
  const keep = (l) => (l ?? []).filter((x) => ids.has(x));
  const items = cat.items.filter((it) => (it.teaches ?? []).some((c) => ids.has(c)) || it.kind === 'mentor').slice(0, 12)
    .map((it) => ({ ...it, teaches: keep(it.teaches), requires: keep(it.requires),
      ...(it.expertise ? { expertise: Object.fromEntries(Object.entries(it.expertise).filter(([c]) => ids.has(c))) } : {}) }));
  const catalog = { concepts: concepts.map((c) => ({ ...c, prerequisites: keep(c.prerequisites) })), items };
  const n = items.length, c = concepts.length, k = 4;
  let x = 1;
  const floats = (count, scale = 0.5) => {
    const b = Buffer.alloc(4 * count);
    for (let j = 0; j < count; j++) b.writeFloatLE(scale * (((x = (x * 48271) % 2147483647) / 2147483647) - 0.5), 4 * j);
    return b;
  };
  const y = floats(n * k);
  const gram = Buffer.alloc(4 * k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y.readFloatLE(4 * (i * k + a)) * y.readFloatLE(4 * (i * k + b));
    gram.writeFloatLE(sum, 4 * (a * k + b));
  }
  const files = new Map([['catalog.json', Buffer.from(JSON.stringify(catalog))], ['item_factors.f32', y],
    ['item_bias.f32', Buffer.alloc(4 * n)], ['item_popularity.f32', floats(n, 1)], ['gram.f32', gram],
    ['concept_vectors.f32', floats(c * k)]]);
  const part = (file, dtype, shape) => ({ file, dtype, shape, bytes: files.get(file).length, sha256: createHash('sha256').update(files.get(file)).digest('hex') });
  const manifest = { ...structuredClone(good.manifest), counts: { items: n, concepts: c }, model: { ...good.manifest.model, factors: k },
    parts: { catalog: part('catalog.json', 'json', []), item_factors: part('item_factors.f32', 'f32', [n, k]),
      item_bias: part('item_bias.f32', 'f32', [n]), item_popularity: part('item_popularity.f32', 'f32', [n]),
      gram: part('gram.f32', 'f32', [k, k]), concept_vectors: part('concept_vectors.f32', 'f32', [c, k]) } };
  return { manifest, files };
}

// ---- generators ---------------------------------------------------------------------------------
const generators = {
  // The CSV round trip (csv_roundtrip_fuzzer.cpp): its input drives a generator, so seeds are
  // seeded byte strings of a few lengths (deterministic).
  roundtrip() {
    const seeds = [];
    let x = 12345;
    for (const n of [0, 16, 64, 256, 1024, 4096]) {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) >>> 0;
        b[i] = x >>> 24;
      }
      seeds.push(b);
    }
    return seeds;
  },
  // Every good bundle as-is (checks on) and re-signed (checks bypassed), plus small variants that
  // start the fuzzer inside the interesting branches.
  bundle(opts) {
    const seeds = [];
    for (const dir of opts.bundles) {
      const good = loadBundle(dir);
      const variants = good.manifest.parts.item_factors.dtype === 'f32' ? [good, variantF16(good), variantI8(good)] : [good];
      for (const { manifest, files } of variants) {
        const parts = [...files];
        seeds.push(container(0, Buffer.from(JSON.stringify(manifest, null, 2)), parts), container(1, Buffer.from(JSON.stringify(manifest)), parts));
      }
      // A small bundle (a slice of the catalog, k = 4): fast executions, so the fuzzer goes deep.
      for (const { manifest, files } of [small4(good)].flatMap((b) => [b, variantF16(b), variantI8(b)])) {
        seeds.push(container(1, Buffer.from(JSON.stringify(manifest)), [...files]));
      }
      const v2 = structuredClone(good.manifest);
      v2.version = 2;
      seeds.push(container(1, Buffer.from(JSON.stringify(v2)), [...good.files]));
      const small = structuredClone(good.manifest);
      small.counts.items = 1;
      seeds.push(container(1, Buffer.from(JSON.stringify(small)), [...good.files]));
    }
    return seeds;
  },
  // Compact catalog parts (catalog-v1, and catalog-v2 with mentors' offerings, which the demo
  // bundle carries since its mentors have group offerings) of the good bundles.
  catalog_bins(opts) {
    return opts.bundles.map(loadBundle).filter((b) => ['catalog-v1', 'catalog-v2'].includes(b.manifest.parts.catalog.dtype))
      .map((b) => b.files.get(b.manifest.parts.catalog.file));
  },
  // Catalog JSON: the fixtures of the GoogleTest suite and slices of the demo catalog.
  catalogs() {
    const seeds = testJsonFixtures((v) => v && typeof v === 'object' && Array.isArray(v.concepts));
    const cat = demoCatalog();
    for (const n of [1, 5, 20]) {
      const concepts = cat.concepts.slice(0, n);
      const ids = new Set(concepts.map((c) => c.id));
      const keep = (l) => (l ?? []).filter((x) => ids.has(x));
      const items = cat.items
        .filter((it) => (it.teaches ?? []).some((c) => ids.has(c)))
        .slice(0, 3 * n)
        .map((it) => ({
          ...it, teaches: keep(it.teaches), requires: keep(it.requires),
          ...(it.expertise ? { expertise: Object.fromEntries(Object.entries(it.expertise).filter(([c]) => ids.has(c))) } : {}),
        }));
      seeds.push(JSON.stringify({ concepts: concepts.map((c) => ({ ...c, prerequisites: keep(c.prerequisites) })), items }));
    }
    seeds.push('{"concepts":[{"id":"a","prerequisites":["b"]},{"id":"b","prerequisites":["a"]}],"items":[]}');
    return seeds;
  },
  // Learner profiles over demo ids: every event type, goals, known concepts, a compacted summary.
  profiles() {
    const cat = demoCatalog();
    const items = cat.items.map((i) => i.id);
    const concepts = cat.concepts.map((c) => c.id);
    const t0 = 1.7e9;
    const types = ['view', 'bookmark', 'enroll', 'complete', 'rate', 'dismiss', 'mentor_booked', 'mentor_rated'];
    const seeds = testJsonFixtures((v) => v && v.format === 'pathlight-profile');
    seeds.push(JSON.stringify({ format: 'pathlight-profile', version: 1 }));
    const events = [];
    for (let j = 0; j < 40; j++) {
      const type = types[j % types.length];
      events.push({ type, item: items[(j * 7) % items.length], t: t0 + j * 3600, ...(type === 'rate' || type === 'mentor_rated' ? { rating: 1 + (j % 5) } : {}) });
    }
    events.push({ type: 'know_concept', concept: concepts[1], t: t0 });
    events.push({ type: 'compacted', item: items[3], t: t0, weight: 2.5, preference: 1, consumed: true, dismissed: false });
    seeds.push(JSON.stringify({
      format: 'pathlight-profile', version: 1, events, goals: [concepts.at(-1)], known: [concepts[0]],
      budget: 120, currency: 'USD', language: 'en', weekly_hours: 5,
    }));
    seeds.push(JSON.stringify({ format: 'pathlight-profile', version: 1, events: events.slice(0, 3), goals: ['no-such-concept'] }));
    // Version 2: camelCase, event ids, a stated level, compacted summaries with the learner's relation.
    seeds.push(JSON.stringify({
      format: 'pathlight-profile', version: 2,
      events: [...events.slice(0, 12).map((e, j) => ({ ...e, id: `e${j}` })),
        { type: 'compacted', item: items[5], t: t0, weight: 4, preference: 1, rating: 4.5, completed: true, bookmarked: true }],
      goals: [concepts.at(-1)], known: [concepts[0]], budget: 80, currency: 'USD', language: 'zh', weeklyHours: 3, level: 'beginner',
    }));
    return seeds;
  },
  // Engine API sessions: one JSON request per line, over demo ids (as tests/node/behaviour does).
  api() {
    const cat = demoCatalog();
    const courses = cat.items.filter((i) => i.kind === 'course').map((i) => i.id);
    const mentor = cat.items.find((i) => i.kind === 'mentor')?.id ?? courses[0];
    const concepts = cat.concepts.map((c) => c.id);
    const t0 = 1.7e9;
    const L = (method, params = {}) => JSON.stringify({ method, params });
    const ev = (type, item, dt, extra = {}) => L('addEvent', { event: { type, item, t: t0 + dt, ...extra } });
    return [
      [L('info'), L('recommend', { k: 5 }), L('catalog')],
      [L('setPreferences', { goals: [concepts.at(-1)], known: [concepts[0]], budget: 100, language: 'en' }),
        ev('enroll', courses[0], 1), ev('view', courses[1], 2), ev('rate', courses[2], 3, { rating: 4 }),
        ev('dismiss', courses[3], 4), L('recommend', { k: 10, kinds: ['course', 'ebook'], mmrLambda: 0.5 }),
        L('path', {}), L('mentors', { k: 3 }), L('explain', { id: courses[2] }), L('similar', { id: courses[0], k: 5 })],
      [ev('mentor_booked', mentor, 5), L('addEvent', { event: { type: 'know_concept', concept: concepts[2], t: t0 } }),
        L('foldIn'), L('refine', { epochs: 3 }), L('recommend', { pure: true, maxPrice: 50, levels: ['beginner'] }),
        L('resetPersonalization'), L('exportProfile')],
      [L('setProfile', { profile: { format: 'pathlight-profile', version: 1, events: [{ type: 'view', item: courses[4], t: t0 }] } }),
        L('recommend', { k: 0 }), ev('view', 'no-such-item', 1), L('path', { goals: ['no-such-concept'] })],
      [L('describe'), L('setPreferences', { goals: [concepts.at(-1)], weeklyHours: 4, level: 'intermediate' }),
        L('addEvent', { event: { type: 'know_concept', concept: concepts[1], t: t0, id: 'k1' } }),
        ev('complete', courses[5], 6, { id: 'c1' }), L('learner'), L('forgetConcept', { concept: concepts[1] }),
        L('nextConcepts', { concepts: [concepts[0], concepts.at(-1)] }), L('recommend', { hideKnown: false, matchMentors: false }),
        L('setProfile', { lenient: true, profile: { format: 'pathlight-profile', version: 2, events: [
          { type: 'rate', item: courses[1], t: t0, rating: 9 }, { type: 'view', item: courses[2], t: t0, id: 'v' }] } }),
        L('setPreferences', { budget: null, level: null })],
    ].map((lines) => lines.join('\n'));
  },
  // The CoCo file set (fuzz/targets/importer_coco_fuzzer.cpp), synthesized from demo courses.
  coco() {
    const cat = demoCatalog();
    const courses = cat.items.filter((i) => i.kind === 'course').slice(0, 12);
    const concepts = cat.concepts.slice(0, 6);
    const emap = ['eid\tname\tentity'], i2kg = ['eid\tpid\tname\tentity'], kg = ['entity_head\trelation\tentity_tail'];
    courses.forEach((c, j) => {
      emap.push(`${j}\t${1000 + j}\t${1000 + j}`);
      i2kg.push(`${j}\t${1000 + j}\t${c.id}\t${1000 + j}`);
    });
    concepts.forEach((c, j) => emap.push(`${100 + j}\t${c.id}\t${c.id}`));
    emap.push('200\tbeginner\tbeginner', '201\tenglish\tenglish');
    courses.forEach((c, j) => kg.push(`${j}\t1\t${100 + (j % concepts.length)}`, `${j}\t2\t200`, `${j}\t3\t201`));
    const valid = [], test = [];
    for (let u = 0; u < 20; u++) {
      for (let s = 0; s < 4; s++) valid.push(`${u}\t${1000 + ((u + s * 3) % courses.length)}\t1\t${1.5e9 + u * 100 + s}`);
      test.push(`${u}\t${1000 + ((u + 13) % courses.length)}\t1\t${1.6e9 + u}`);
    }
    const meta = ['pid,title,price,currency,duration_hours,level',
      ...courses.slice(0, 6).map((c, j) => `${1000 + j},"${c.title.replace(/"/g, '""')}",${c.price ?? ''},USD,${c.hours ?? ''},beginner`)];
    const mentors = ['mentor_idx,skills,country,rating,num_reviews,price_month',
      `1,${concepts.slice(0, 3).map((c) => c.id).join('|')},DE,4.8,12,150`, '2,unrelated,US,,0,'];
    const files = [emap, i2kg, kg, valid, test, meta, mentors].map((l) => l.join('\n') + '\n');
    return [files.join(RS), files.slice(0, 5).join(RS)];
  },
  // MovieLens 100k layout (importer_movielens_fuzzer.cpp): demo concepts as genres, courses as movies.
  movielens() {
    const cat = demoCatalog();
    const genres = cat.concepts.slice(0, 5);
    const movies = cat.items.filter((i) => i.kind === 'course').slice(0, 15);
    const genre = genres.map((g, j) => `${g.name}|${j}`);
    const item = movies.map((m, j) => [j + 1, m.title.replace(/\|/g, '/'), '01-Jan-1995', '', 'http://example.invalid/',
      ...genres.map((g) => ((m.teaches ?? []).includes(g.id) || j % genres.length === genres.indexOf(g) ? 1 : 0))].join('|'));
    const ratings = (users, offset) => {
      const rows = [];
      for (let u = 1; u <= users; u++) for (let s = 0; s < 4; s++) rows.push(`${u}\t${1 + ((u * 3 + s + offset) % movies.length)}\t${1 + ((u + s) % 5)}\t${874965758 + u * 10 + s}`);
      return rows;
    };
    const files = [genre, item, ratings(12, 0), ratings(12, 7).slice(0, 12)].map((l) => l.join('\n') + '\n');
    return [files.join(RS)];
  },
  // Junyi Academy layout (importer_junyi_fuzzer.cpp): demo concepts as exercises, gzipped attempts.
  junyi() {
    const cat = demoCatalog();
    const ex = cat.concepts.slice(0, 12);
    const ids = new Set(ex.map((c) => c.id));
    const table = ['name,live,pretty_display_name,topic,area', ...ex.map((c) => `${c.id},TRUE,${c.name_zh ?? c.name},topic,area`)];
    const edges = ['prerequisite,exercise'];
    for (const c of ex) for (const p of c.prerequisites ?? []) if (ids.has(p)) edges.push(`${p},${c.id}`);
    const log = ['user_id,exercise'];
    for (let u = 0; u < 15; u++) for (let s = 0; s < 3; s++) log.push(`${u},${ex[(u + s * 5) % ex.length].id}`);
    const text = [table, edges].map((l) => l.join('\n') + '\n');
    return [Buffer.concat([Buffer.from(text.join(RS) + RS), gzipSync(log.join('\n') + '\n')])];
  },
  // Metacademy layout (importer_metacademy_fuzzer.cpp): demo concepts, prerequisites and resources.
  metacademy() {
    const cat = demoCatalog();
    const cs = cat.concepts.slice(0, 10);
    const ids = new Set(cs.map((c) => c.id));
    const q = (x) => `"${String(x).replace(/"/g, '""')}"`;
    const concepts = ['node_kind,tag,title', ...cs.map((c) => `concept,${c.id},${q(c.name)}`), 'shortcut,short-cut,Shortcut'];
    const pre = ['node_kind,concept,prerequisite'];
    for (const c of cs) for (const p of c.prerequisites ?? []) if (ids.has(p)) pre.push(`concept,${c.id},${p}`);
    pre.push('concept,' + cs[0].id + ',no-such-tag');
    const items = cat.items.filter((i) => i.kind !== 'mentor').slice(0, 6);
    const res = ['key,title,url,resource_type,free,level', ...items.map((it, j) => `r${j},${q(it.title)},http://example.invalid/${j},${it.kind},${j % 2},introductory`)];
    const links = ['node_kind,concept,source,title,url,resource_type,free,level,dependencies,core'];
    cs.forEach((c, j) => links.push(`concept,${c.id},r${j % items.length},,,,,,,1`, `concept,${c.id},,Inline notes ${j},http://example.invalid/n${j},notes,1,,,0`));
    return [[concepts, pre, res, links].map((l) => l.join('\n') + '\n').join(RS)];
  },
  // Stack Exchange layout (importer_stackexchange_fuzzer.cpp): demo concepts as tags.
  stackexchange() {
    const tags = demoCatalog().concepts.slice(0, 8).map((c) => c.id);
    const answers = ['user_id,tag,n_answers,sum_answer_score,n_accepted'];
    const questions = ['user_id,tag,n_questions'];
    for (let u = 0; u < 10; u++) {
      answers.push(`${u},${tags[u % tags.length]},${1 + u},${u * 3 - 4},${u % 2}`);
      questions.push(`${100 + u},${tags[(u * 3) % tags.length]},${1 + (u % 4)}`);
    }
    answers.push(`-1,${tags[0]},2,0,0`);
    return [[answers, questions].map((l) => l.join('\n') + '\n').join(RS)];
  },
  // Spark MLlib itemFactors as JSON lines (importer_spark_fuzzer.cpp): demo item ids (strings,
  // and a numeric id that matches nothing), k = 4.
  spark() {
    const ids = demoCatalog().items.map((i) => i.id).slice(0, 10);
    const line = (id, j) => JSON.stringify({ id, features: [0.1 * j, -0.25, 1e-3 * j, 2.5] });
    return [ids.map(line).join('\n') + '\n', [...ids.slice(0, 3).map(line), line(17, 9)].join('\r\n') + '\r\n'];
  },
  // The generic CSV schema (importer_csv_fuzzer.cpp, docs/csv-schema.md), from the demo catalog.
  csv() {
    const cat = demoCatalog();
    const cs = cat.concepts.slice(0, 10);
    const ids = new Set(cs.map((c) => c.id));
    const q = (x) => `"${String(x ?? '').replace(/"/g, '""')}"`;
    const concepts = ['id,name,name_zh', ...cs.map((c) => `${c.id},${q(c.name)},${q(c.name_zh)}`)];
    const edges = ['prerequisite,concept'];
    for (const c of cs) for (const p of c.prerequisites ?? []) if (ids.has(p)) edges.push(`${p},${c.id}`);
    const keep = (l) => (l ?? []).filter((x) => ids.has(x)).join('|');
    const its = cat.items.filter((it) => it.kind === 'mentor' || (it.teaches ?? []).some((c) => ids.has(c))).slice(0, 14);
    const items = ['id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages',
      ...its.map((it) => [it.id, it.kind, q(it.title), it.price ?? '', it.currency ?? 'USD', it.level ?? '', it.language ?? 'en',
        it.hours ?? '', keep(it.teaches), keep(it.requires),
        Object.entries(it.expertise ?? {}).filter(([c]) => ids.has(c)).map(([c, w]) => `${c}:${w}`).join('|'),
        it.rating ?? '', it.capacity ?? '', (it.languages ?? []).join('|')].join(','))];
    const inter = ['user,item,weight,timestamp,split'];
    for (let u = 0; u < 12; u++) for (let s = 0; s < 3; s++) inter.push(`u${u},${its[(u + s * 4) % its.length].id},${1 + s},${1.6e9 + u * 100 + s},${s === 2 ? 'test' : 'train'}`);
    return [[concepts, edges, items, inter].map((l) => l.join('\n') + '\n').join(RS)];
  },
};

function main() {
  const opts = args();
  const targets = glob('fuzz/targets/*_fuzzer.cpp');
  const summary = [];
  for (const src of targets) {
    const name = path.basename(src, '.cpp');
    const line = readFileSync(src, 'utf8').split('\n').find((l) => l.startsWith('// fuzz-seeds:'));
    if (!line) throw new Error(`${src}: no "// fuzz-seeds:" line`);
    const seeds = [];
    for (const token of line.slice('// fuzz-seeds:'.length).trim().split(/\s+/)) {
      if (token.startsWith('@')) {
        const gen = generators[token.slice(1)];
        if (!gen) throw new Error(`${src}: unknown seed generator ${token}`);
        seeds.push(...gen(opts));
      } else {
        const files = glob(token);
        if (!files.length) throw new Error(`${src}: "${token}" matches no file`);
        seeds.push(...files.map((f) => readFileSync(f)));
      }
    }
    const dir = path.join(opts.out, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const s of seeds) {
      const bytes = Buffer.isBuffer(s) ? s : Buffer.from(s);
      writeFileSync(path.join(dir, createHash('sha1').update(bytes).digest('hex')), bytes);
    }
    summary.push(`${name}: ${seeds.length} seeds`);
  }
  console.log(summary.join('\n'));
}

main();
