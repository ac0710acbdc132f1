// What a card says of an item's time (web/src/i18n.js formatHours): a mentor's or consultation's
// hours are one session's length, so an unknown one reads "session length unknown" — a CoCo
// MentorCruise card read "$100.00 / hour · hours unknown" — and a course's total reads "hours
// unknown". In English and in Simplified Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

// setLocale also sets <html lang>: the one piece of the page it touches.
globalThis.document ??= /** @type {any} */ ({ documentElement: {} });
const { formatHours, setLocale } = await import(pathToFileURL(path.join(root, 'web/src/i18n.js')).href);

test('an unknown session length is called one, and a known one is a session', () => {
  const cases = [
    [{ kind: 'mentor', hours: 0 }, 'session length unknown', '每次时长未知'],
    [{ kind: 'consultation', hours: null }, 'session length unknown', '每次时长未知'],
    [{ kind: 'course', hours: 0 }, 'hours unknown', '时长未知'],
    [{ kind: 'mentor', hours: 1.5 }, '1.5 h session', '每次 1.5 小时'],
    [{ kind: 'course', hours: 12 }, '12 h', null],
  ];
  for (const [item, en, zh] of cases) {
    setLocale('en');
    assert.equal(formatHours(item), en, JSON.stringify(item));
    if (zh === null) continue;
    setLocale('zh-CN');
    assert.equal(formatHours(item), zh, JSON.stringify(item));
  }
  setLocale('en');
});
