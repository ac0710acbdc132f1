// What the feed's summary line and the mentors' intro say about the learner's goals (web/src/views):
// with goals chosen and every one reached, they said "No goal chosen yet" and "Choose a goal" (a
// helper's trial: goal Machine learning, then "Done already" on a membership teaching it). The
// goal states are the engine's (recommend().goals, learner().goals); the sentences are checked in
// English and Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

// setLocale also sets <html lang>: the one piece of the page these modules touch on import.
globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const load = (file) => import(pathToFileURL(path.join(root, file)).href);
const { setLocale } = await load('web/src/i18n.js');
const { exclusionNote, feedSummary } = await load('web/src/views/feed.js');
const { mentorsIntro } = await load('web/src/views/mentors.js');

const concepts = [['ml', 'Machine learning', '机器学习'], ['git', 'Git', 'Git 版本控制']];
const app = (goals = []) => ({
  conceptById: new Map(concepts.map(([id, name, nameZh]) => [id, { id, name, nameZh, prerequisites: [] }])),
  conceptName(/** @type {string} */ id, /** @type {boolean} */ zh) {
    const c = this.conceptById.get(id);
    return zh && c.nameZh ? c.nameZh : c.name;
  },
  getLocale: () => 'en',
  summary: { goals },
});

// recommend()'s answer as the feed reads it: goal states, the goals the shown reasons name
// (goalsServed), those none names (goalsUnserved), and the popularity fallback.
// One item shown unless a test says otherwise.
const feed = (goals, served = [], unserved = [], fallback = null) => ({ goals, goalsServed: served, goalsUnserved: unserved, fallback, items: [{}] });

test('an open goal no shown item leads toward is not "Toward": the feed says none of them does', () => {
  // At a $10 budget the feed said "Toward Machine learning" above a list in which no reason named it.
  setLocale('en');
  const b = { items: 2, skills: 0 };
  const goals = [{ id: 'ml', reached: false }, { id: 'git', reached: false }];
  assert.equal(feedSummary(app(), feed(goals, ['git'], ['ml']), b), 'Toward Git, from what you did with 2 items. None of the items shown leads toward Machine learning.');
  assert.equal(feedSummary(app(), feed(goals, [], ['ml', 'git']), b), 'From what you did with 2 items. None of the items shown leads toward Machine learning and Git.');
  // Goals but nothing done: the list is not the popularity fallback (the engine's fallback is null
  // whenever a goal is set), so it is not "popular with other learners" — it said so.
  const fresh = feedSummary(app(), feed(goals, [], ['ml', 'git']), { items: 0, skills: 0 });
  assert.equal(fresh, 'You have not acted on anything yet, so this list starts from your goals and what other learners take; every action makes it more yours. None of the items shown leads toward Machine learning and Git.');
  assert.doesNotMatch(fresh, /popular/);
  assert.equal(feedSummary(app(), feed(goals, ['ml', 'git']), b), 'Toward Machine learning and Git, from what you did with 2 items.');
  // An empty list: no "None of the items shown …" (none is shown); the list says why it is empty.
  assert.equal(feedSummary(app(), { ...feed(goals, [], ['ml', 'git']), items: [] }, b), 'From what you did with 2 items.');
  // "Popular with other learners" only for the engine's popularity fallback.
  assert.equal(feedSummary(app(), feed([], [], [], 'popular'), { items: 0, skills: 0 }), 'No goals or activity yet, so these are popular with other learners. Choose a goal to make the list yours.');
  setLocale('zh-CN');
  assert.equal(feedSummary(app(), feed(goals, ['git'], ['ml']), b), '面向Git 版本控制，依据你对 2 个项目的操作。这里显示的项目都不通向机器学习。');
  setLocale('en');
});

test('every goal reached: the feed says so, never "no goal chosen"', () => {
  setLocale('en');
  const goals = [{ id: 'ml', reached: true }];
  const b = (items, skills) => ({ items, skills });
  assert.equal(feedSummary(app(), feed(goals), b(2, 0)), 'From what you did with 2 items. You’ve reached every goal you chose (Machine learning): choose a new goal to keep going.');
  assert.equal(feedSummary(app(), feed(goals), b(0, 0)), 'You’ve reached every goal you chose (Machine learning). Choose a new goal to make the list yours.');
  // One open, one reached: toward the open one, and the reached one acknowledged.
  const mixed = feedSummary(app(), feed([{ id: 'ml', reached: false }, { id: 'git', reached: true }], ['ml']), b(3, 1));
  assert.equal(mixed, 'Toward Machine learning, from what you did with 3 items and the 1 skill you said you know. You’ve reached Git.');
  // Nothing done and nothing said: where the list comes from instead of "from 0 items".
  assert.equal(feedSummary(app(), feed([{ id: 'ml', reached: false }], ['ml']), b(0, 0)), 'Toward Machine learning. You have not acted on anything yet, so this list starts from your goals and what other learners take; every action makes it more yours.');
  // No goal at all: then, and only then, "no goal chosen".
  assert.equal(feedSummary(app(), feed([]), b(0, 2)), 'From the 2 skills you said you know. No goal chosen yet.');
  for (const text of [feedSummary(app(), feed(goals), b(2, 0)), feedSummary(app(), feed(goals), b(0, 0)), mixed]) assert.doesNotMatch(text, /No goal/);
  setLocale('zh-CN');
  assert.equal(feedSummary(app(), feed(goals), b(2, 0)), '依据你对 2 个项目的操作。你已达成所选的全部目标（机器学习）：选择一个新目标继续前进。');
  assert.equal(feedSummary(app(), feed([]), b(1, 2)), '依据你对 1 个项目的操作和你说已掌握的 2 项技能。还没有选择目标。');
  assert.doesNotMatch(feedSummary(app(), feed(goals), b(2, 0)), /还没有选择目标/);
  setLocale('en');
});

test('a short list says what each filter left out, from the engine\'s counts, adding up to the catalog', () => {
  // It said "Nothing left to recommend within your budget and language" whatever had emptied the list.
  setLocale('en');
  const withPrefs = (budget) => ({ ...app(), learner: { prefs: { budget, currency: 'USD' } } });
  const none = { consumed: 0, dismissed: 0, kinds: 0, levels: 0, budget: 0, language: 0, known: 0, mentors: 0, readiness: 0, eligible: 0 };
  assert.equal(exclusionNote(withPrefs(null), null, 10), null);
  assert.equal(exclusionNote(withPrefs(40), { ...none, consumed: 1, dismissed: 1, kinds: 2, budget: 5, mentors: 1, eligible: 3 }, 3),
    'No more to show. Of the catalog’s 13 items, 3 are shown, 2 are of other kinds, 1 you have already taken, 1 you marked “Not interested”, 5 cost more than your budget of $40.00, and 1 is a mentor with no expertise in the skills on your way, or no open seat. You can change your budget in Goals & settings. Choose “Everything” to see every kind.');
  assert.equal(exclusionNote(withPrefs(null), { ...none, consumed: 4, known: 2 }, 0),
    'Nothing left to show. Of the catalog’s 6 items, 4 you have already taken and 2 only teach what you know.');
  // Eligible items the list does not hold: the one-mentor, one-membership slate.
  assert.equal(exclusionNote(withPrefs(null), { ...none, consumed: 1, eligible: 5 }, 3),
    'No more to show. Of the catalog’s 6 items, 3 are shown, 1 you have already taken, and 2 more are held back. A mixed list shows one mentor and one membership at a time; choose Mentors or Memberships to see them all.');
  setLocale('zh-CN');
  assert.equal(exclusionNote(withPrefs(null), { ...none, consumed: 4, known: 2 }, 0), '没有可显示的内容了。目录的 6 项中，4 项你已经选过，2 项只教你已掌握的内容。');
  setLocale('en');
});

test('no gap because every goal is reached: the mentors say so, not "choose a goal"', () => {
  setLocale('en');
  assert.equal(mentorsIntro(app([{ id: 'ml', reached: true }]), []),
    'You’ve reached every goal you chose (Machine learning), so no step is left to match: mentors are ranked by your taste and their ratings. Choose a new goal to match them to it.');
  assert.match(mentorsIntro(app([]), []), /^Choose a goal to match mentors/);
  assert.equal(mentorsIntro(app([{ id: 'ml', reached: false }]), ['ml']), 'Matched to the 1 step you still need: Machine learning.');
  setLocale('zh-CN');
  assert.match(mentorsIntro(app([{ id: 'ml', reached: true }]), []), /^你已达成所选的全部目标（机器学习）/);
  setLocale('en');
});

test('the onboarding preview never says "your 0 goals", nor starts from a goal already reached', async () => {
  const { previewStatus } = await load('web/src/views/profile.js');
  // Goal states as recommend() answers them; basis as learner() counts it (items with any event,
  // skills said known) — it counted stored events, so two views of one item were "2 actions".
  const open = (n) => Array.from({ length: n }, (_, i) => ({ id: `g${i}`, reached: false }));
  const b = (items, skills = 0) => ({ items, skills });
  setLocale('en');
  assert.equal(previewStatus(null, [], b(1)), 'Personal to what you did with 1 item, computed on this device. Choose a goal to aim it.');
  assert.equal(previewStatus(null, open(2), b(3, 1)), 'Personal to your 2 goals and what you did with 3 items and the 1 skill you said you know, computed on this device.');
  assert.equal(previewStatus(null, [], b(0)), 'Starting from the skills you know and what other learners take; choose a goal to aim it.');
  assert.match(previewStatus(null, open(1), b(0)), /^Starting from your 1 goal /);
  assert.match(previewStatus('popular', [], b(0)), /^Popular picks/);
  for (const [g, items] of [[[], 1], [[], 0], [[], 5]]) assert.doesNotMatch(previewStatus(null, g, b(items)), /\b0 goals?\b/);
  // One goal reached through the skills stated (a helper read "Starting from your 1 goal"), and
  // two chosen with one reached: the list starts from the open one only.
  assert.equal(previewStatus(null, [{ id: 'ml', reached: true }], b(0)),
    'You already know the goal you chose, so this starts from the skills you know and what other learners take; choose a new goal to aim it.');
  assert.match(previewStatus(null, [{ id: 'a', reached: true }, { id: 'b', reached: true }], b(2)), /^You already know every goal you chose/);
  assert.match(previewStatus(null, [{ id: 'a', reached: true }, { id: 'b', reached: false }], b(0)), /^Starting from your 1 goal /);
  setLocale('zh-CN');
  assert.doesNotMatch(previewStatus(null, [], b(1)), /0 个目标/);
  // One 和 at most: "目标和…操作和…技能" read badly (helper-41).
  assert.equal(previewStatus(null, open(1), b(2, 1)), '根据你的 1 个目标、你对 2 个项目的操作和你说已掌握的 1 项技能在本设备上计算。');
  assert.match(previewStatus(null, [{ id: 'ml', reached: true }], b(0)), /^你选择的目标都已掌握/);
  setLocale('en');
});
