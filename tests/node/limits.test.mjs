// The page's catalog decoder (wasm/catalog.js) and the engine read the same bytes: its constants
// must be the engine's one table of limits (core/include/pathlight/limits.h, printed by
// `pathlight limits`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CATALOG_FORMAT } from '../../wasm/catalog.js';
import { root } from './harness.mjs';

const cli = path.join(root, 'build/trainer/pathlight');

test('catalog.js constants equal the engine limits table', { skip: !existsSync(cli) && 'build/trainer/pathlight not built' }, () => {
  const limits = JSON.parse(execFileSync(cli, ['limits']).toString().trim().split('\n').pop());
  assert.equal(CATALOG_FORMAT.magic, limits.catalog.magic);
  assert.equal(CATALOG_FORMAT.magicV2, limits.catalog.magic_v2);
  assert.deepEqual(CATALOG_FORMAT.offeringFormats, limits.catalog.offering_formats);
  assert.equal(CATALOG_FORMAT.headerBytes, limits.catalog.header_bytes);
  assert.equal(8 + 4 * CATALOG_FORMAT.counts, limits.catalog.header_bytes);
  assert.deepEqual(CATALOG_FORMAT.kinds, limits.catalog.kinds);
  assert.deepEqual(CATALOG_FORMAT.levels, limits.catalog.levels);
});

// Text that is not UTF-8 is refused at import naming file, line and column, and `import
// --catalog-out` ends with that error (exit 1), never an abort; a clean catalog is written as JSON.
test('import --catalog-out: non-UTF-8 refused with file, line, column; never an abort', { skip: !existsSync(cli) && 'build/trainer/pathlight not built' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'pathlight-catalog-out-'));
  const header = 'id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages\n';
  writeFileSync(path.join(dir, 'concepts.csv'), 'id,name\npython,Python\n');
  writeFileSync(path.join(dir, 'interactions.csv'), 'user,item,weight\nu1,c-python,1\n');
  const out = path.join(dir, 'catalog.json');
  writeFileSync(path.join(dir, 'items.csv'), Buffer.concat([
    Buffer.from(header + 'c-python,course,Py'), Buffer.from([0xc3, 0x28]), Buffer.from('thon,1,USD,,en,1,python,,,,,\n')]));
  const bad = spawnSync(cli, ['import', '--dataset', 'csv', '--data', dir, '--catalog-out', out]);
  assert.equal(bad.signal, null, `import aborted: ${bad.stderr}`);
  assert.equal(bad.status, 1);
  const err = bad.stderr.toString();
  for (const part of ['items.csv', 'line 2', 'column "title"', 'not UTF-8']) assert.ok(err.includes(part), `${part} missing from: ${err}`);
  assert.ok(!existsSync(out));
  writeFileSync(path.join(dir, 'items.csv'), header + 'c-python,course,Pythön,1,USD,,en,1,python,,,,,\n');
  const good = spawnSync(cli, ['import', '--dataset', 'csv', '--data', dir, '--catalog-out', out]);
  assert.equal(good.status, 0, good.stderr.toString());
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(doc.items[0].title, 'Pythön');
});
