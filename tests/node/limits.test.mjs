// The page's catalog decoder (wasm/catalog.js) and the engine read the same bytes: its constants
// must be the engine's one table of limits (core/include/pathlight/limits.h, printed by
// `pathlight limits`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_FORMAT } from '../../wasm/catalog.js';
import { root } from './harness.mjs';

const cli = path.join(root, 'build/trainer/pathlight');

test('catalog.js constants equal the engine limits table', { skip: !existsSync(cli) && 'build/trainer/pathlight not built' }, () => {
  const limits = JSON.parse(execFileSync(cli, ['limits']).toString().trim().split('\n').pop());
  assert.equal(CATALOG_FORMAT.magic, limits.catalog.magic);
  assert.equal(CATALOG_FORMAT.headerBytes, limits.catalog.header_bytes);
  assert.equal(8 + 4 * CATALOG_FORMAT.counts, limits.catalog.header_bytes);
  assert.deepEqual(CATALOG_FORMAT.kinds, limits.catalog.kinds);
  assert.deepEqual(CATALOG_FORMAT.levels, limits.catalog.levels);
});
