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
const { feedSummary } = await load('web/src/views/feed.js');
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

test('an open goal no shown item leads toward is not "Toward": the feed says none of them does', () => {
  // At a $10 budget the feed said "Toward Machine learning" above a list in which no reason named it.
  setLocale('en');
  const b = { items: 2, skills: 0 };
  const goals = [{ id: 'ml', reached: false }, { id: 'git', reached: false }];
  assert.equal(feedSummary(app(), goals, b, ['ml']), 'Toward Git, from what you did with 2 items. None of the items shown leads toward Machine learning.');
  assert.equal(feedSummary(app(), goals, b, ['ml', 'git']), 'From what you did with 2 items. None of the items shown leads toward Machine learning and Git.');
  assert.equal(feedSummary(app(), goals, { items: 0, skills: 0 }, ['ml', 'git']), 'You have not acted on anything yet, so these are popular with other learners. None of the items shown leads toward Machine learning and Git.');
  assert.equal(feedSummary(app(), goals, b, []), 'Toward Machine learning and Git, from what you did with 2 items.');
  setLocale('zh-CN');
  assert.equal(feedSummary(app(), goals, b, ['ml']), '面向Git 版本控制，依据你对 2 个项目的操作。这里显示的项目都不通向机器学习。');
  setLocale('en');
});

test('every goal reached: the feed says so, never "no goal chosen"', () => {
  setLocale('en');
  const goals = [{ id: 'ml', reached: true }];
  const b = (items, skills) => ({ items, skills });
  assert.equal(feedSummary(app(), goals, b(2, 0)), 'From what you did with 2 items. You’ve reached every goal you chose (Machine learning): choose a new goal to keep going.');
  assert.equal(feedSummary(app(), goals, b(0, 0)), 'You’ve reached every goal you chose (Machine learning). Choose a new goal to make the list yours.');
  // One open, one reached: toward the open one, and the reached one acknowledged.
  const mixed = feedSummary(app(), [{ id: 'ml', reached: false }, { id: 'git', reached: true }], b(3, 1));
  assert.equal(mixed, 'Toward Machine learning, from what you did with 3 items and the 1 skill you said you know. You’ve reached Git.');
  // Nothing done and nothing said: where the list comes from instead of "from 0 items".
  assert.equal(feedSummary(app(), [{ id: 'ml', reached: false }], b(0, 0)), 'Toward Machine learning. You have not acted on anything yet, so this list starts from your goals and what other learners take; every action makes it more yours.');
  // No goal at all: then, and only then, "no goal chosen".
  assert.equal(feedSummary(app(), [], b(0, 2)), 'From the 2 skills you said you know. No goal chosen yet.');
  for (const text of [feedSummary(app(), goals, b(2, 0)), feedSummary(app(), goals, b(0, 0)), mixed]) assert.doesNotMatch(text, /No goal/);
  setLocale('zh-CN');
  assert.equal(feedSummary(app(), goals, b(2, 0)), '依据你对 2 个项目的操作。你已达成所选的全部目标（机器学习）：选择一个新目标继续前进。');
  assert.equal(feedSummary(app(), [], b(1, 2)), '依据你对 1 个项目的操作和你说已掌握的 2 项技能。还没有选择目标。');
  assert.doesNotMatch(feedSummary(app(), goals, b(2, 0)), /还没有选择目标/);
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
  // Goal states as recommend() answers them.
  const open = (n) => Array.from({ length: n }, (_, i) => ({ id: `g${i}`, reached: false }));
  setLocale('en');
  assert.equal(previewStatus(null, [], 1), 'Personal to your 1 action, computed on this device. Choose a goal to aim it.');
  assert.equal(previewStatus(null, open(2), 3), 'Personal to your 2 goals and 3 actions, computed on this device.');
  assert.equal(previewStatus(null, [], 0), 'Starting from the skills you know and what other learners take; choose a goal to aim it.');
  assert.match(previewStatus(null, open(1), 0), /^Starting from your 1 goal /);
  assert.match(previewStatus('popular', [], 0), /^Popular picks/);
  for (const [g, e] of [[[], 1], [[], 0], [[], 5]]) assert.doesNotMatch(previewStatus(null, g, e), /\b0 goals?\b/);
  // One goal reached through the skills stated (a helper read "Starting from your 1 goal"), and
  // two chosen with one reached: the list starts from the open one only.
  assert.equal(previewStatus(null, [{ id: 'ml', reached: true }], 0),
    'You already know the goal you chose, so this starts from the skills you know and what other learners take; choose a new goal to aim it.');
  assert.match(previewStatus(null, [{ id: 'a', reached: true }, { id: 'b', reached: true }], 2), /^You already know every goal you chose/);
  assert.match(previewStatus(null, [{ id: 'a', reached: true }, { id: 'b', reached: false }], 0), /^Starting from your 1 goal /);
  setLocale('zh-CN');
  assert.doesNotMatch(previewStatus(null, [], 1), /0 个目标/);
  assert.match(previewStatus(null, [{ id: 'ml', reached: true }], 0), /^你选择的目标都已掌握/);
  setLocale('en');
});
