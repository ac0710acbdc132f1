// One contract: the engine's parameter table (core/src/api_params.cpp, the `describe` answer) is
// checked against wasm/pathlight.d.ts (every method's `…Params` interface: names, optionality and
// types), against docs/API.md (its generated tables must be current), and the ranking terms table
// against docs/HYPERPARAMETERS.md. The .d.ts is read with TypeScript's own parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { root } from './harness.mjs';
import { describe as engineDescribe, tables, withTables } from '../../scripts/api-doc.mjs';

const d = engineDescribe();
const dts = ts.createSourceFile('pathlight.d.ts', readFileSync(path.join(root, 'wasm/pathlight.d.ts'), 'utf8'),
  ts.ScriptTarget.Latest, true);

// Interfaces and type aliases of the .d.ts by name.
const interfaces = new Map();
const aliases = new Map();
dts.forEachChild((node) => {
  if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type);
});

/** Properties of an interface with those of the interfaces it extends: name → {optional, type node}. */
function members(name) {
  const decl = interfaces.get(name);
  assert.ok(decl, `pathlight.d.ts has no interface ${name}`);
  const out = new Map();
  for (const h of decl.heritageClauses ?? [])
    for (const t of h.types) for (const [k, v] of members(t.expression.getText(dts))) out.set(k, v);
  for (const m of decl.members)
    if (ts.isPropertySignature(m)) out.set(m.name.getText(dts), { optional: Boolean(m.questionToken), type: m.type });
  return out;
}

/** A type node as the table's vocabulary: {type, values?, nullable}. */
function shape(node) {
  if (ts.isParenthesizedTypeNode(node)) return shape(node.type);
  if (ts.isTypeReferenceNode(node)) {
    const name = node.typeName.getText(dts);
    if (aliases.has(name)) return shape(aliases.get(name));
    if (name === 'LearnerEvent') return { type: 'object' };
    if (name === 'Array' && node.typeArguments?.length === 1) return listOf(shape(node.typeArguments[0]));
    return { type: `ref:${name}` };
  }
  if (ts.isArrayTypeNode(node)) return listOf(shape(node.elementType));
  if (ts.isUnionTypeNode(node)) {
    const parts = node.types.map(shape);
    const nullable = parts.some((p) => p.type === 'null');
    const rest = parts.filter((p) => p.type !== 'null');
    if (rest.length && rest.every((p) => p.type === 'literal')) return { type: 'enum', values: rest.map((p) => p.value), nullable };
    if (rest.length === 2 && rest.some((p) => p.type === 'ref:ProfileDocument') && rest.some((p) => p.type === 'string'))
      return { type: 'profile', nullable };
    if (rest.length === 1) return { ...rest[0], nullable };
    if (rest.every((p) => p.type === 'enum')) return { type: 'enum', values: rest.flatMap((p) => p.values), nullable };
    return { type: `union:${node.getText(dts)}`, nullable };
  }
  if (ts.isLiteralTypeNode(node)) {
    if (node.literal.kind === ts.SyntaxKind.NullKeyword) return { type: 'null' };
    return { type: 'literal', value: node.literal.text };
  }
  const text = node.getText(dts);
  if (text === 'boolean' || text === 'number' || text === 'string') return { type: text };
  return { type: `other:${text}` };
}
function listOf(el) {
  if (el.type === 'string') return { type: 'string[]' };
  if (el.type === 'enum') return { type: 'enum[]', values: el.values };
  return { type: `array:${el.type}` };
}

const pascal = (name) => name[0].toUpperCase() + name.slice(1);

test('every method\'s parameters in pathlight.d.ts match the engine\'s parameter table', () => {
  for (const m of d.methods) {
    const iface = m.params.length === 0 ? 'NoParams' : `${pascal(m.name)}Params`;
    const props = members(iface);
    const want = [...m.params, d.now];
    assert.deepEqual([...props.keys()].sort(), want.map((p) => p.name).sort(), `${iface} (method ${m.name}): parameter names`);
    for (const p of want) {
      const got = props.get(p.name);
      const where = `${iface}.${p.name}`;
      assert.equal(got.optional, !p.required, `${where}: optional ↔ not required`);
      const s = shape(got.type);
      const type = p.type === 'integer' ? 'number' : p.type;
      assert.equal(s.type, type, `${where}: type`);
      assert.equal(Boolean(s.nullable), p.nullable, `${where}: nullable`);
      if (p.values) assert.deepEqual([...s.values].sort(), [...p.values].sort(), `${where}: values`);
    }
  }
});

test('reason kinds and event types in pathlight.d.ts are the engine\'s', () => {
  assert.deepEqual([...shape(aliases.get('ReasonKind')).values].sort(), [...d.reasonKinds].sort());
  assert.deepEqual([...shape(aliases.get('EventType')).values].sort(), [...d.eventTypes].sort());
});

test('docs/API.md\'s parameter tables are generated from the current table', () => {
  const doc = readFileSync(path.join(root, 'docs/API.md'), 'utf8');
  assert.equal(doc, withTables(doc, tables(d)), 'stale: run node scripts/api-doc.mjs --write');
});

test('docs/HYPERPARAMETERS.md documents every ranking term with its option and product weight', () => {
  const doc = readFileSync(path.join(root, 'docs/HYPERPARAMETERS.md'), 'utf8');
  for (const t of d.rankingTerms) {
    const row = doc.split('\n').find((line) => line.includes(`\`${t.option}\``));
    assert.ok(row, `docs/HYPERPARAMETERS.md has no row for \`${t.option}\` (term ${t.name})`);
    assert.ok(row.includes(String(t.productWeight)), `the row of \`${t.option}\` does not state its product weight ${t.productWeight}: ${row}`);
  }
});
