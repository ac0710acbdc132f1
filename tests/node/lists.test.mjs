// Lists of names joined for display (web/shared/lists.js, used by the app's formatList and the
// widget): the locale's own form, except where a name contains the conjunction — "Linux and Docker
// and containers" reads as three names — where the names are separated unambiguously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

const { formatList } = await import(pathToFileURL(path.join(root, 'web/shared/lists.js')).href);
const { reasonSentence } = await import(pathToFileURL(path.join(root, 'web/shared/wording.js')).href);
const catalog = JSON.parse(readFileSync(path.join(root, 'data/demo/catalog.json'), 'utf8'));

test('English: the locale form, and "; " when a name contains "and"', () => {
  assert.equal(formatList('en', []), '');
  assert.equal(formatList('en', ['Linux']), 'Linux');
  assert.equal(formatList('en', ['Linux', 'Git']), 'Linux and Git');
  assert.equal(formatList('en', ['Linux', 'Git', 'Docker']), 'Linux, Git, and Docker');
  assert.equal(formatList('en', ['Linux', 'Docker and containers']), 'Linux; Docker and containers');
  assert.equal(formatList('en', ['HTML and CSS', 'Linux', 'Git']), 'HTML and CSS; Linux; Git');
  assert.equal(formatList('en', ['R&D', 'Git']), 'R&D; Git');
  // "and" inside a word is not the conjunction.
  assert.equal(formatList('en', ['Android', 'Brand design']), 'Android and Brand design');
  // One name alone is never ambiguous.
  assert.equal(formatList('en', ['Docker and containers']), 'Docker and containers');
});

test('Chinese: the locale form, and 、 when a name contains 和, 与 or 及', () => {
  assert.equal(formatList('zh-CN', ['Linux', 'Git']), 'Linux和Git');
  assert.equal(formatList('zh-CN', ['Linux', 'Git', 'Docker']), 'Linux、Git和Docker');
  assert.equal(formatList('zh-CN', ['Linux', 'HTML 与 CSS']), 'Linux、HTML 与 CSS');
  assert.equal(formatList('zh-CN', ['Linux', 'Docker和容器']), 'Linux、Docker和容器');
});

test('every demo concept name joined with another reads back as exactly those names', () => {
  for (const [locale, key, separator] of [['en', 'name', '; '], ['zh-CN', 'name_zh', '、']]) {
    const conjunction = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' })
      .formatToParts(['A', 'B']).find((p) => p.type === 'literal').value;
    const names = catalog.concepts.map((c) => c[key] ?? c.name);
    let ambiguous = 0;
    for (const name of names) {
      const parts = ['Linux', name];
      const joined = formatList(locale, parts);
      if (joined === parts.join(conjunction)) {
        // The locale form: the conjunction appears once, so the list splits into the two names.
        assert.equal(joined.split(conjunction).length, 2, `${locale}: "${joined}"`);
      } else {
        ambiguous += 1;
        assert.deepEqual(joined.split(separator), parts, `${locale}: "${joined}"`);
      }
    }
    // The demo has such names (Docker and containers, HTML and CSS, HTTP and REST APIs; HTML 与 CSS).
    assert.ok(ambiguous >= 2, `${locale}: ${ambiguous}`);
  }
});

test('a reason that lists concepts says them unambiguously', () => {
  const name = (id) => catalog.concepts.find((c) => c.id === id).name;
  const sentence = reasonSentence({ kind: 'prerequisite_for_goal', goal: 'kubernetes', concepts: ['linux', 'docker'] }, 'en', {
    concept: name, title: (id) => id, level: (l) => l, language: (c) => c,
    list: (parts) => formatList('en', parts), ratingMax: 5, number: String,
  });
  assert.equal(sentence, 'Covers Linux; Docker and containers on the way to Kubernetes');
});
