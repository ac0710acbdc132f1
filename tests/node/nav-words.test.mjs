// Sentences that send the learner somewhere name a place the app has: a view by its label in the
// main navigation (web/index.html, nav.*), or a section by its heading together with the view it
// is on. "What you did … is in My learning" sent learners looking for a "My learning" link the
// navigation does not have: My learning is a panel of the Feed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

const { MESSAGES } = await import(pathToFileURL(path.join(root, 'web/src/messages.js')).href);
const html = readFileSync(path.join(root, 'web/index.html'), 'utf8');
const navKeys = [...html.matchAll(/<a href="#\/(\w+)" data-route="\1" data-i18n="(nav\.\w+)"/g)].map((m) => m[2]);
// Sections that are not in the navigation, each with the view it is on (web/src/views/feed.js
// renders My learning; e2e checks it is there).
const SECTIONS = { 'learning.title': 'nav.feed' };

test('the navigation has the five views', () => {
  assert.deepEqual(navKeys, ['nav.feed', 'nav.path', 'nav.mentors', 'nav.profile', 'nav.privacy']);
});

for (const [locale, messages] of Object.entries(MESSAGES)) {
  test(`${locale}: a sentence naming a section off the navigation also names the view it is on`, () => {
    let named = 0;
    for (const [key, text] of Object.entries(messages)) {
      if (typeof text !== 'string' || key.startsWith('nav.')) continue;
      for (const [section, view] of Object.entries(SECTIONS)) {
        if (key === section || !text.includes(messages[section])) continue;
        named += 1;
        assert.ok(navKeys.includes(view), view);
        assert.ok(text.includes(messages[view]), `${locale} ${key}: “${text}” names ${messages[section]} but not ${messages[view]}, where it is`);
      }
    }
    assert.ok(named >= 1, 'profile.taken.none names My learning');
  });
}
