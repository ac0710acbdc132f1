// The feed's note on items of unknown price under a budget (web/src/views/feed.js unpricedNote):
// the engine lets an unknown price pass any budget, and a CoCo learner with a $20 budget saw 7 of
// 10 cards "price unknown" under sentences about staying within the budget, with nothing saying
// why (a helper's trial). Counted from what the cards show: the catalog's price, and for a mentor
// the engine's booking. English and Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const load = (file) => import(pathToFileURL(path.join(root, file)).href);
const { setLocale } = await load('web/src/i18n.js');
const { unpricedNote } = await load('web/src/views/feed.js');

const items = [
  { id: 'c1', kind: 'course', price: 12 },
  { id: 'c2', kind: 'course', price: null },
  { id: 'e1', kind: 'ebook', price: null },
  { id: 'm1', kind: 'mentor', price: null },
  { id: 'm2', kind: 'mentor', price: 80 },
];
const app = (budget) => ({ learner: { prefs: { budget, currency: 'USD' } }, byId: new Map(items.map((i) => [i.id, i])) });
const group = (pricePerSeat) => ({ format: 'group', seats: 6, openSeats: 3, pricePerSeat, currency: 'USD' });

test('unknown prices under a budget are said to pass it, counted as the cards show them', () => {
  setLocale('en');
  // c2 and e1 have no price; m1's booking has none; m2's booking has one (its catalog price does not count).
  const shown = [{ id: 'c1' }, { id: 'c2' }, { id: 'e1' }, { id: 'm1', booking: group(null) }, { id: 'm2', booking: group(25) }];
  assert.equal(unpricedNote(app(20), shown),
    '3 of these items have no price in the catalog (“price unknown”, “price not listed”), so they are not held to your budget of $20.00: check the price before you buy.');
  assert.match(unpricedNote(app(20), [{ id: 'c2' }]) ?? '', /^1 of these items has no price in the catalog .* so it is not held to your budget of \$20\.00/);
  // No budget: nothing to say. Only known prices: nothing to say. A mentor with no booking: none shown.
  assert.equal(unpricedNote(app(null), shown), null);
  assert.equal(unpricedNote(app(20), [{ id: 'c1' }, { id: 'm2', booking: group(25) }, { id: 'm1', booking: null }]), null);
  setLocale('zh-CN');
  assert.match(unpricedNote(app(20), shown) ?? '', /^其中 3 项在目录中没有价格.*不受你的预算 US\$20\.00 限制/);
  setLocale('en');
});
