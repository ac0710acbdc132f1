// The wording of reasons (web/shared/wording.js), shared by the app and the widget, against the
// engine: every reason kind the engine gives (describe().reasonKinds) and every `via` of
// because_item (the contract's ItemRelation) has a sentence in English and in Simplified Chinese;
// no sentence is left over for a kind the engine does not have; and each sentence says the
// reason's own fields (the names of its concepts and items, its numbers) — nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, root } from './harness.mjs';

const { WORDING, reasonSentence, sharedSentence, reasonData } = await import(pathToFileURL(path.join(root, 'web/shared/wording.js')).href);
const engine = await createEngine('demo');
const { reasonKinds } = await engine.describe();

/** The string literals of a union type in the contract (wasm/pathlight.d.ts). */
function unionOf(name) {
  const text = readFileSync(path.join(root, 'wasm/pathlight.d.ts'), 'utf8');
  const m = text.match(new RegExp(`export type ${name} =([^;]+);`));
  assert.ok(m, `wasm/pathlight.d.ts has no type ${name}`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}
const RELATIONS = unionOf('ItemRelation');
const LANGUAGES = ['en', 'zh'];

// Names that mark where each field went: a sentence must contain the marker of every field its
// kind carries (reasons.h says which fields each kind has).
const names = {
  concept: (id) => `<c:${id}>`,
  title: (id) => `<i:${id}>`,
  level: (l) => `<l:${l}>`,
  language: (code) => `<lang:${code}>`,
  list: (parts) => parts.join('|'),
  ratingMax: 7,
  number: (n) => `<n:${n}>`,
  goalsChosen: true,
};
const SAMPLES = {
  teaches_goal: [{ goal: 'g1' }, ['<c:g1>']],
  prerequisite_for_goal: [{ goal: 'g1', concepts: ['a', 'b'] }, ['<c:g1>', '<c:a>|<c:b>']],
  you_know: [{ concept: 'k' }, ['<c:k>']],
  ready: [{}, []],
  level_fit: [{ level: 'beginner' }, ['<l:beginner>']],
  because_item: [{ item: 'it', via: 'completed' }, ['<i:it>']],
  peers_of_goal: [{ goal: 'g2' }, ['<c:g2>']],
  peers_of_known: [{ concept: 'k2' }, ['<c:k2>']],
  popular: [{}, []],
  covers_gap: [{ concepts: ['a', 'b'], of: 9 }, ['<c:a>|<c:b>', '9', '2']],
  speaks: [{ language: 'zh' }, ['<lang:zh>']],
  within_budget: [{}, []],
  top_rated: [{ rating: 4.8 }, ['<n:4.8>']],
};

test('the engine describes its reason kinds', () => {
  assert.ok(Array.isArray(reasonKinds) && reasonKinds.length >= 10, JSON.stringify(reasonKinds));
  assert.ok(RELATIONS.length >= 6, JSON.stringify(RELATIONS));
});

for (const lang of LANGUAGES) {
  test(`${lang}: every reason kind of the engine has a sentence built from its fields`, () => {
    for (const kind of reasonKinds) {
      assert.equal(typeof WORDING[lang].reasons[kind], 'function', `${lang}: no sentence for reason kind "${kind}"`);
      assert.ok(SAMPLES[kind], `this test has no sample for the engine's new kind "${kind}": add one (and its sentence)`);
      const [fields, markers] = SAMPLES[kind];
      const text = reasonSentence({ kind, ...fields }, lang, names);
      assert.ok(text.length > 5, `${lang} ${kind}: "${text}"`);
      assert.doesNotMatch(text, /undefined|NaN|\{|\}/, `${lang} ${kind}: "${text}"`);
      for (const m of markers) assert.ok(text.includes(m), `${lang} ${kind}: "${text}" does not say ${m}`);
      if (lang === 'zh') assert.match(text, /[\u4e00-\u9fff]/, `zh ${kind} is not Chinese: "${text}"`);
    }
  });

  test(`${lang}: every via of because_item has its sentence ("Because you completed / enrolled in / rated …")`, () => {
    assert.deepEqual(Object.keys(WORDING[lang].because).sort(), [...RELATIONS].sort(), `${lang}: the because sentences and the contract's ItemRelation differ`);
    const seen = new Set();
    for (const via of RELATIONS) {
      const text = reasonSentence({ kind: 'because_item', item: 'it', via, rating: 3 }, lang, names);
      assert.ok(text.includes('<i:it>'), `${lang} ${via}: "${text}" does not name the item`);
      assert.ok(!seen.has(text), `${lang} ${via}: the same sentence as another via: "${text}"`);
      seen.add(text);
    }
    // A rating says its value and the top of the bundle's scale ("3 of 7").
    const rated = reasonSentence({ kind: 'because_item', item: 'it', via: 'rated', rating: 3 }, lang, names);
    assert.ok(rated.includes('<n:3>') && rated.includes('7'), `${lang} rated: "${rated}"`);
  });

  test(`${lang}: no sentence is left over for a kind the engine does not have`, () => {
    for (const kind of Object.keys(WORDING[lang].reasons)) assert.ok(reasonKinds.includes(kind), `${lang}: sentence for unknown kind "${kind}"`);
    for (const kind of Object.keys(WORDING[lang].shared)) assert.ok(reasonKinds.includes(kind), `${lang}: shared sentence for unknown kind "${kind}"`);
  });
}

test('peers_of_goal is said as collaborative, never as "because your goal"', () => {
  const en = reasonSentence({ kind: 'peers_of_goal', goal: 'g' }, 'en', names);
  assert.match(en, /^Learners aiming for <c:g> also take this$/);
  assert.doesNotMatch(en, /your goal/i);
  const zh = reasonSentence({ kind: 'peers_of_goal', goal: 'g' }, 'zh-CN', names);
  assert.doesNotMatch(zh, /你的目标/);
});

test('a shared reason says how many results it is about', () => {
  const text = sharedSentence({ kind: 'you_know', concept: 'k', items: ['a', 'b', 'c'] }, 'en', names);
  assert.ok(text.includes('<c:k>') && text.startsWith('3 '), text);
});

test('a kind the table does not know says nothing (not something untrue)', () => {
  assert.equal(reasonSentence({ kind: 'no_such_kind' }, 'en', names), '');
});

test('the data attributes carry every field of the reason', () => {
  const r = { kind: 'because_item', item: 'it', via: 'rated', rating: 4, concepts: ['a', 'b'], items: ['x'] };
  const d = reasonData(r);
  assert.equal(d.reasonKind, 'because_item');
  assert.equal(d.item, 'it');
  assert.equal(d.via, 'rated');
  assert.equal(d.rating, '4');
  assert.equal(d.concepts, 'a b');
  assert.deepEqual(JSON.parse(d.reason), r);
});

test('real reasons from the engine all have sentences in both languages', async () => {
  await engine.setPreferences({ goals: ['deep-learning', 'kubernetes'], known: ['python-basics'] });
  await engine.addEvent({ type: 'rate', item: 'ebook-ml-field-manual', rating: 5 });
  const feed = await engine.recommend({ k: 20 });
  const mentors = await engine.mentors({ k: 5 });
  const all = [...feed.items.flatMap((i) => i.reasons ?? []), ...feed.sharedReasons, ...mentors.items.flatMap((m) => m.reasons)];
  assert.ok(all.length > 20);
  for (const r of all) {
    for (const lang of LANGUAGES) assert.ok(reasonSentence(r, lang, names).length > 5, `${lang}: ${JSON.stringify(r)}`);
  }
});

// Group mentoring: every offering format and status of the contract has words in both languages,
// and the sentence says the engine's own numbers — for the demo's mentors as mentors() returns them.
const { offeringSentence } = await import(pathToFileURL(path.join(root, 'web/shared/wording.js')).href);
test('offering sentences: every format and status in both languages, saying the engine\'s numbers', async () => {
  for (const lang of LANGUAGES) {
    assert.deepEqual(Object.keys(WORDING[lang].offering).sort(), [...unionOf('OfferingFormat')].sort(), lang);
    assert.deepEqual(Object.keys(WORDING[lang].offeringStatus).sort(), [...unionOf('OfferingStatus')].sort(), lang);
  }
  const money = (amount, currency) => `<${amount} ${currency}>`;
  const group = { format: 'group', seats: 6, openSeats: 3, pricePerSeat: 25, currency: 'USD' };
  assert.equal(offeringSentence(group, 'en', money), 'Group · 3 of 6 seats open · <25 USD> per seat');
  assert.equal(offeringSentence({ ...group, openSeats: 0, status: 'full' }, 'en', money), 'Group · 0 of 6 seats open · <25 USD> per seat · Full');
  assert.equal(offeringSentence({ format: 'one_to_one', seats: 1, openSeats: 1, pricePerSeat: 80, currency: 'USD' }, 'en', money), 'One-to-one · <80 USD> per session');
  assert.equal(offeringSentence(group, 'zh-CN', money), '小组辅导 · 6 个席位中 3 个空余 · 每席位 <25 USD>');
  assert.equal(offeringSentence({ ...group, pricePerSeat: null }, 'en', money), 'Group · 3 of 6 seats open · price not listed');
  // The demo's matched mentors: each offering's sentence carries its seats, open seats and price.
  const { items } = await engine.mentors({ k: 25, gap: [] });
  let groups = 0;
  for (const m of items) {
    for (const o of m.offerings) {
      const s = offeringSentence(o, 'en', money);
      if (o.pricePerSeat !== null) assert.ok(s.includes(`<${o.pricePerSeat} ${o.currency}>`), s);
      if (o.format === 'group') {
        groups++;
        assert.ok(s.startsWith(`Group · ${o.openSeats} of ${o.seats} seats open`), s);
      }
      assert.equal(o.status === 'full', o.openSeats === 0, JSON.stringify(o));
      if (o.booked) assert.ok(o.openSeats > 0 && o.status === 'available', JSON.stringify(o));
    }
  }
  assert.ok(groups > 0, 'the demo catalog has group offerings');
});

test('"your goal" only where the learner picked the goals (the app), never in the widget', () => {
  const r = { kind: 'teaches_goal', goal: 'g1' };
  assert.equal(reasonSentence(r, 'en', names), 'Teaches your goal: <c:g1>');
  assert.equal(reasonSentence(r, 'en', { ...names, goalsChosen: false }), 'Teaches a next step: <c:g1>');
  assert.equal(reasonSentence(r, 'zh', names), '直接教授你的目标：<c:g1>');
  assert.equal(reasonSentence(r, 'zh', { ...names, goalsChosen: false }), '直接教授下一步：<c:g1>');
  // No other sentence claims a goal is the learner's own.
  for (const lang of LANGUAGES) {
    for (const [kind, [fields]] of Object.entries(SAMPLES)) {
      if (kind === 'teaches_goal') continue;
      const text = reasonSentence({ kind, ...fields }, lang, { ...names, goalsChosen: false });
      assert.ok(!/your goal|你的目标/.test(text), `${lang} ${kind}: ${text}`);
    }
  }
});
