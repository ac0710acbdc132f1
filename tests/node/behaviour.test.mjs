// One behavioural suite, two backends: the same scripted learner session runs through the
// native engine (`pathlight api`, the C++ Session over stdin/stdout) and through the WebAssembly
// engine in Node (the EngineHost the Web Worker runs). Every response must agree: strings,
// ids, orders and error codes exactly, numbers to 1e-4.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { wasmHost, root, bundleDir } from './harness.mjs';

const cli = path.join(root, 'build/trainer/pathlight');

function nativeSession(bundle, requests) {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const out = execFileSync(cli, ['api', bundleDir(bundle)], { input, maxBuffer: 64 << 20 });
  return out.toString().trim().split('\n').map((l) => JSON.parse(l));
}

function wasmSession(host, requests) {
  return requests.map(({ method, params }) => {
    try {
      return { result: host.call(method, params ?? {}) };
    } catch (e) {
      return { error: { code: e.code, message: e.message } };
    }
  });
}

function assertSame(a, b, where) {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-4 * Math.max(1, Math.abs(a)), `${where}: ${a} vs ${b}`);
  } else if (Array.isArray(a)) {
    assert.ok(Array.isArray(b), `${where}: array vs ${typeof b}`);
    assert.equal(a.length, b.length, `${where}: length`);
    a.forEach((v, i) => assertSame(v, b[i], `${where}[${i}]`));
  } else if (a && typeof a === 'object') {
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b ?? {}).sort(), `${where}: keys`);
    for (const k of Object.keys(a)) assertSame(a[k], b[k], `${where}.${k}`);
  } else {
    assert.equal(a, b, where);
  }
}

// A scripted session built from the bundle's own catalog (no hard-coded ids).
function script(catalog) {
  const items = catalog.items;
  const concepts = catalog.concepts;
  const pick = (kind, n) => items.filter((it) => it.kind === kind).slice(0, n).map((it) => it.id);
  const courses = pick('course', 12);
  const mentors = pick('mentor', 2);
  const deep = [...concepts].sort((a, b) => b.prerequisites.length - a.prerequisites.length)[0].id;
  const t0 = 1.7e9;
  const ev = (type, id, dt, extra = {}) => ({ method: 'addEvent', params: { event: { type, item: id, t: t0 + dt, ...extra } } });
  const rec = (params = {}) => ({ method: 'recommend', params: { k: 10, ...params } });
  return [
    { method: 'info', params: {} },
    { method: 'setProfile', params: { now: t0, profile: { format: 'pathlight-profile', version: 1 } } },
    rec(),                                                   // empty learner → most popular
    { method: 'setPreferences', params: { goals: [deep], known: [concepts[0].id], budget: 100, language: 'en' } },
    rec(), rec({ kinds: ['course', 'ebook'], mmrLambda: 0.5 }),
    ev('enroll', courses[0], 10), ev('view', courses[1], 20), ev('bookmark', courses[2], 30),
    ev('rate', courses[3], 40, { rating: 5 }), ev('rate', courses[4], 50, { rating: 1 }),
    ev('dismiss', courses[5], 60), ev('complete', courses[0], 70),
    { method: 'addEvent', params: { event: { type: 'know_concept', concept: concepts[1].id, t: t0 + 80 } } },
    ...(mentors.length ? [ev('mentor_booked', mentors[0], 90)] : []),
    rec(), rec({ maxPrice: 50, levels: ['beginner', 'all'], languages: ['en'] }),
    rec({ pure: true }), rec({ readinessWeight: 5, goalWeight: 0 }),
    { method: 'path', params: {} }, { method: 'path', params: { goals: [concepts[concepts.length - 1].id] } },
    { method: 'mentors', params: { k: 3 } },
    // Group mentoring: the format filter, the offerings and the booking agree on both backends.
    { method: 'mentors', params: { k: 10, format: 'group' } }, { method: 'mentors', params: { k: 10, format: 'one_to_one' } },
    { method: 'setPreferences', params: { budget: 30 } }, { method: 'mentors', params: { k: 10 } },
    { method: 'path', params: {} }, { method: 'setPreferences', params: { budget: 100 } },
    { method: 'explain', params: { id: courses[6] } },
    { method: 'similar', params: { id: courses[0], k: 5 } },
    { method: 'foldIn', params: {} },
    { method: 'learner', params: {} },
    { method: 'nextConcepts', params: { concepts: [concepts[0].id, deep] } },
    { method: 'setPreferences', params: { weeklyHours: 6, level: 'beginner' } },
    { method: 'forgetConcept', params: { concept: concepts[1].id } },
    { method: 'path', params: {} },
    { method: 'learner', params: {} },
    { method: 'refine', params: { epochs: 5 } }, rec(), { method: 'resetPersonalization', params: {} }, rec(),
    { method: 'exportProfile', params: {} },
    // Bad input: each must give the same error code on both backends and change nothing.
    ev('view', 'no-such-item', 100),
    ev('rate', courses[7], 110, { rating: 9 }),
    { method: 'path', params: { goals: ['no-such-concept'] } },
    { method: 'recommend', params: { k: 0 } },
    { method: 'recommend', params: { kinds: ['podcast'] } },
    { method: 'mentors', params: { format: 'pair' } },
    { method: 'setProfile', params: { profile: { format: 'pathlight-profile', version: 99 } } },
    { method: 'setProfile', params: { profile: '['.repeat(3000) + ']'.repeat(3000) } },
    { method: 'teleport', params: {} },
    rec(),
    { method: 'exportProfile', params: {} },
  ];
}

// An explicit-rating bundle (biased MF on MovieLens 100k, trained here into build/; never shipped):
// its learners fold their ratings in with the biased ridge solve, and lists carry predictedRating.
// Trained afresh on every run (well under a second), so the test also runs the trainer as built.
const ml100k = path.resolve(root, '../shared/data/ml-100k');
const explicitBundle = path.join(root, 'build/test-bundles/movielens-explicit');
function trainExplicitBundle() {
  rmSync(explicitBundle, { recursive: true, force: true });
  execFileSync(cli, ['train', '--dataset', 'movielens', '--data', ml100k, '--model', 'biased-mf', '--solver', 'als',
    '--iterations', '5', '--factors', '16', '--out', explicitBundle], { stdio: ['ignore', 'ignore', 'pipe'] });
  return explicitBundle;
}

for (const name of ['demo', 'coco', 'movielens-explicit']) {
  const explicit = name === 'movielens-explicit';
  const present = explicit ? existsSync(ml100k) : existsSync(path.join(bundleDir(name), 'manifest.json'));
  const why = explicit ? 'MovieLens 100k not found at ../shared/data/ml-100k' : `bundle ${name} not built (scripts/bundle ${name} builds it; coco needs ../shared/data)`;
  test(`${name}: native and WASM sessions agree on every response`, { skip: !present && why }, async () => {
    const bundle = explicit ? trainExplicitBundle() : name;
    const host = await wasmHost(bundle);
    const requests = script(host.call('catalog', {}));
    const wasm = wasmSession(host, requests);
    const native = nativeSession(bundle, requests);
    assert.equal(native.length, requests.length);
    requests.forEach((r, i) => assertSame(native[i], wasm[i], `request ${i} (${r.method})`));
    // And the session really did something: lists of 10, errors where expected.
    const codes = wasm.filter((r) => r.error).map((r) => r.error.code);
    assert.deepEqual(codes, ['unknown_id', 'invalid_argument', 'unknown_id', 'invalid_argument', 'invalid_argument',
      'invalid_argument', 'unsupported_version', 'limit_exceeded', 'invalid_argument']);
    // Group mentoring: a format filter keeps only mentors offering it; a booked offering has an open seat.
    for (const [i, r] of requests.entries()) {
      if (r.method !== 'mentors' || !wasm[i].result) continue;
      for (const m of wasm[i].result.items) {
        if (r.params.format && r.params.format !== 'any') assert.ok(m.offerings.length > 0 && m.offerings.every((o) => o.format === r.params.format), JSON.stringify(m));
        if (m.booking) assert.ok(m.booking.openSeats > 0, JSON.stringify(m));
      }
    }
    const lists = wasm.filter((r, i) => requests[i].method === 'recommend' && r.result).map((r) => r.result.items);
    assert.ok(lists.every((l) => l.length === 10), 'every list has 10 items');
    // Only rating models predict ratings; theirs lie on the scale and follow the list's order
    // when no knowledge-graph term or diversity re-orders it ({pure: true}).
    const info = wasm[requests.findIndex((r) => r.method === 'info')].result;
    assert.equal(lists.every((l) => l.every((it) => 'predictedRating' in it)), explicit, 'predictedRating only for rating models');
    if (explicit) {
      assert.deepEqual(info.ratingScale, [1, 5]);
      const pure = wasm[requests.findIndex((r) => r.method === 'recommend' && r.params.pure)].result.items;
      for (let j = 1; j < pure.length; j++) assert.ok(pure[j - 1].predictedRating >= pure[j].predictedRating - 1e-6);
      assert.ok(pure.every((it) => it.predictedRating >= 1 && it.predictedRating <= 5));
    } else {
      assert.deepEqual(info.ratingScale, [1, 5]);  // the scale of rate events
    }
    assert.equal(info.predictsRatings, explicit);
    // The bad requests changed nothing: the last export equals the one before them.
    const exports = wasm.filter((r, i) => requests[i].method === 'exportProfile').map((r) => r.result);
    assert.deepEqual(exports[1], exports[0]);
    host.dispose();
  });
}
