// The feed's note on items of unknown price under a budget (web/src/views/feed.js unpricedNote):
// the engine lets an unknown price pass any budget, and a CoCo learner with a $20 budget saw 7 of
// 10 cards "price unknown" under sentences about staying within the budget, with nothing saying
// why (a helper's trial). The count is the engine's (recommend's `unpriced`, checked by hand in
// GroupMentoringTest.FeedMentorsCarryTheOfferingTheLearnerWouldBook); here, its words in English
// and Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const load = (file) => import(pathToFileURL(path.join(root, file)).href);
const { setLocale } = await load('web/src/i18n.js');
const { unpricedNote } = await load('web/src/views/feed.js');

const app = (budget) => ({ learner: { prefs: { budget, currency: 'USD' } } });

test('unknown prices under a budget are said to pass it, as many as the engine counts', () => {
  setLocale('en');
  assert.equal(unpricedNote(app(20), 3),
    '3 of these items have no known price (“price unknown”, “price not listed”, or a price per hour with no session length), so they are not held to your budget of $20.00: check the price before you buy.');
  assert.match(unpricedNote(app(20), 1) ?? '', /^1 of these items has no known price .* so it is not held to your budget of \$20\.00/);
  // No budget: nothing to say. None unpriced: nothing to say.
  assert.equal(unpricedNote(app(null), 3), null);
  assert.equal(unpricedNote(app(20), 0), null);
  setLocale('zh-CN');
  assert.match(unpricedNote(app(20), 3) ?? '', /^其中 3 项没有已知价格.*不受你的预算 US\$20\.00 限制/);
  setLocale('en');
});
