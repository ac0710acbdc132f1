// What the Path page says of the engine's totals (web/src/views/path.js): with no item to take
// because the filters leave steps uncovered it said "No items to take", and beside "Total price:
// unknown" it said the unpriced items were "not in the total" (a helper's sentence check). The
// totals are shaped as the engine's path().totals; English and Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const load = (file) => import(pathToFileURL(path.join(root, file)).href);
const { setLocale } = await load('web/src/i18n.js');
const { totalPriceText, totalHoursText, unpricedText } = await load('web/src/views/path.js');

const totals = (over) => ({ items: 0, price: [], unpricedItems: 0, hours: null, untimedItems: 0, monthly: [], memberships: 0,
  uncoveredSteps: 0, weeks: null, weeksUnknown: [], mentorBooking: null, priceWithMentor: [], ...over });

test('no item to take: "fits your filters" when steps are uncovered, "to take" when none is left', () => {
  setLocale('en');
  assert.equal(totalPriceText(totals({ uncoveredSteps: 4 })), 'No item fits your filters');
  assert.equal(totalHoursText(totals({ uncoveredSteps: 4 })), 'No item fits your filters');
  assert.equal(totalPriceText(totals({})), 'No items to take');
  setLocale('zh-CN');
  assert.equal(totalPriceText(totals({ uncoveredSteps: 1 })), '没有符合筛选条件的内容');
  setLocale('en');
});

test('unknown prices are "not in the total" only beside a total', () => {
  setLocale('en');
  const none = totals({ items: 1, unpricedItems: 1, hours: 12 });
  assert.equal(totalPriceText(none), 'unknown');
  assert.equal(unpricedText(none), '1 item has no known price.');
  const some = totals({ items: 2, unpricedItems: 1, price: [{ currency: 'USD', amount: 20 }], hours: 3 });
  assert.equal(unpricedText(some), '1 item has no known price and is not in the total.');
  assert.equal(unpricedText(totals({ items: 1, price: [{ currency: 'USD', amount: 20 }] })), null);
});
