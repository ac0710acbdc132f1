// What a card says of an item's time and price (web/src/i18n.js formatHours, formatPrice), by the
// unit the engine says each kind's price is per (info.priceUnits; core PriceUnitOf): with a price
// per hour, hours are one session's length, so an unknown one reads "session length unknown" — a CoCo
// MentorCruise card read "$100.00 / hour · hours unknown" — and a course's total reads "hours
// unknown". In English and in Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

// setLocale also sets <html lang>: the one piece of the page it touches.
globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const { formatHours, formatPrice, setLocale } = await import(pathToFileURL(path.join(root, 'web/src/i18n.js')).href);

test('an unknown session length is called one, and a known one is a session', () => {
  const cases = [
    [{ kind: 'mentor', hours: 0 }, 'hour', 'session length unknown', '每次时长未知'],
    [{ kind: 'consultation', hours: null }, 'hour', 'session length unknown', '每次时长未知'],
    [{ kind: 'course', hours: 0 }, 'once', 'hours unknown', '时长未知'],
    [{ kind: 'mentor', hours: 1.5 }, 'hour', '1.5 h session', '每次 1.5 小时'],
    [{ kind: 'course', hours: 12 }, 'once', '12 h', null],
    [{ kind: 'membership', hours: 10 }, 'month', '10 h / month', null],
  ];
  for (const [item, unit, en, zh] of cases) {
    setLocale('en');
    assert.equal(formatHours(item, unit), en, JSON.stringify(item));
    if (zh === null) continue;
    setLocale('zh-CN');
    assert.equal(formatHours(item, unit), zh, JSON.stringify(item));
  }
  setLocale('en');
});

test('a price is printed per the unit the engine gives, never per a kind rule of its own', () => {
  setLocale('en');
  const item = { kind: 'consultation', price: 90, currency: 'USD' };
  assert.equal(formatPrice(item, 'hour'), '$90.00 / hour');
  assert.equal(formatPrice({ ...item, kind: 'membership' }, 'month'), '$90.00 / month');
  assert.equal(formatPrice({ ...item, kind: 'course' }, 'once'), '$90.00');
  assert.equal(formatPrice({ ...item, price: null }, 'hour'), 'price unknown');
  assert.equal(formatPrice({ ...item, price: 0 }, 'hour'), 'Free');
  setLocale('zh-CN');
  assert.match(formatPrice(item, 'hour'), /^US\$90\.00.*小时$/);
  setLocale('en');
});
