// The widget's recordActivity (web/widget/reader.js toEvent, docs/WIDGET.md "The reader acted"):
// a completion records what the reader knows, so only a concept the host names exactly (id, English
// or Chinese name) is recorded; words are matched like `topic` only for an interest (view/read).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './harness.mjs';

const { toEvent } = await import(pathToFileURL(path.join(root, 'web/widget/reader.js')).href);
const catalog = JSON.parse(readFileSync(path.join(root, 'data/demo/catalog.json'), 'utf8'));
const reader = { concepts: catalog.concepts.map((c) => ({ id: c.id, name: c.name, nameZh: c.name_zh ?? '', prerequisites: [] })) };

test('a completion names a concept exactly: its id, its name or its Chinese name', () => {
  for (const concept of ['docker', 'DOCKER', 'Docker and containers', ' docker and containers ', 'Docker 容器', 'ｄｏｃｋｅｒ']) {
    assert.deepEqual(toEvent({ type: 'complete', concept }, reader), { event: { type: 'know_concept', concept: 'docker' } }, concept);
    assert.deepEqual(toEvent({ type: 'know_concept', concept }, reader), { event: { type: 'know_concept', concept: 'docker' } }, concept);
  }
});

test('words are not knowledge: a completion in words is refused, naming the concept they would match', () => {
  // A thread title the host passed: "Docker" is in it, but the reader never said they learned Docker.
  assert.throws(() => toEvent({ type: 'complete', concept: 'Why my Docker build is slow' }, reader), (e) =>
    e.code === 'unknown_id' && /is not a concept id or name/.test(e.message) && /did you mean "docker"\?/.test(e.message));
  assert.throws(() => toEvent({ type: 'know_concept', concept: 'docker, kubernetes' }, reader), (e) => e.code === 'unknown_id');
  assert.throws(() => toEvent({ type: 'complete', concept: 'gardening' }, reader), (e) =>
    e.code === 'unknown_id' && !/did you mean/.test(e.message));
});

test('an interest may be words, matched like the topic attribute', () => {
  assert.deepEqual(toEvent({ type: 'read', concept: 'Why my Docker build is slow' }, reader), { interest: 'docker' });
  assert.deepEqual(toEvent({ type: 'view', concept: 'kubernetes' }, reader), { interest: 'kubernetes' });
  assert.throws(() => toEvent({ type: 'read', concept: 'gardening' }, reader), (e) => e.code === 'unknown_id');
});
