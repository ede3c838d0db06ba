// Overrides in the package (issue 16, item 3): the scorecards `scoreMany`
// builds from the kernel's columns list the same overrides, with the same
// numbers, as `score`; unknown options are errors. Numbers as in
// tests/overrides.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';
import { aAndB } from './a-and-b.mjs';

const doc = aAndB({
  id: 'ovr',
  caps: [{ when: { measure: 'b', op: '>=', value: 9 }, max: 70, reason: 'test cap' }],
  overrides: [
    { when: { all: [{ measure: 'a', op: '<=', value: 2 }, { measure: 'b', op: '<=', value: 2 }] }, set: 10, reason: 'Both signals dead' },
    { when: { any: [{ measure: 'a', op: '>=', value: 9 }, { measure: 'b', op: '>=', value: 9 }] }, floor: 60, reason: 'Champion on record' },
    { when: { all: [{ measure: 'a', op: '>=', value: 0 }], any: [{ measure: 'b', op: '==', value: 5 }, { measure: 'b', op: '==', value: 6 }] }, cap: 52, reason: 'Renewal at risk' },
  ],
});
const accounts = [
  { id: 'dead', values: { a: 2, b: 2 } },
  { id: 'plain', values: { a: 2, b: 3 } },
  { id: 'champion', values: { a: 9, b: 3 } },
  { id: 'renewal', values: { a: 9, b: 6 } },
  { id: 'top', values: { a: 10, b: 10 } },
  { id: 'thin', values: { b: 1 } },
];

test('the columnar scorecards list the overrides that held, as score does', () => {
  const model = new HealthModel(doc);
  const { scorecards } = model.scoreMany(accounts);
  const brief = (c) => [c.score, c.band.id, c.overrides.map((o) => `${o.kind} ${o.value}: ${o.before}→${o.after}`)];
  assert.deepEqual(brief(scorecards[0]), [10, 'red', ['set 10: 20→10']]);
  assert.deepEqual(scorecards[1].overrides, []);
  assert.equal(scorecards[2].score, 60);
  assert.equal(scorecards[2].overrides[0].kind, 'floor');
  assert.deepEqual(brief(scorecards[3]), [52, 'amber', ['floor 60: 67.5→67.5', 'cap 52: 67.5→52']]);
  // 100, the cap 70, then the floor without binding.
  assert.deepEqual(brief(scorecards[4]), [70, 'amber', ['floor 60: 70→70']]);
  assert.deepEqual(scorecards[4].caps, [{ reason: 'test cap', max: 70 }]);
  assert.deepEqual(scorecards[5].overrides, []);
  for (const [i, account] of accounts.entries()) {
    assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(account));
  }
  // Columns give the same scores.
  const cols = model.scoreColumns({ a: [2, 2, 9, 9, null, 10], b: [2, 3, 3, 6, 1, 10] });
  assert.deepEqual([...cols.scores].map((x) => Math.round(x * 1e9) / 1e9), [10, 27.5, 60, 52, 10, 70]);
  model.free();
});

test('an unknown scoring option is an error, and the next call works', () => {
  const model = new HealthModel(doc);
  assert.throws(() => model.score(accounts[0], { override: { set: 100 } }), (e) => e.code === 'unknown_field' && /override/.test(e.path));
  assert.throws(() => model.scoreMany(accounts, { override: 1 }), (e) => e.code === 'unknown_field');
  assert.equal(model.score(accounts[0]).score, 10);
  model.free();
});

test('a bad override is a coded error with its path', () => {
  const bad = { ...doc, overrides: [{ when: { any: [{ measure: 'a', op: '>', value: 1 }] }, set: 10, cap: 20, reason: 'two' }] };
  assert.throws(() => new HealthModel(bad), (e) => e.errors.some((x) => x.code === 'invalid_override' && x.path === 'overrides[0]'));
});

test('more caps and overrides than a row\'s word holds: the scorecards still equal score', () => {
  // 60 caps and 9 overrides (69 > 64): every row goes through JSON.
  const caps = Array.from({ length: 60 }, (_, i) => ({ when: { measure: 'a', op: '>=', value: i / 10 }, max: 100 - i, reason: `cap${i}` }));
  const overrides = Array.from({ length: 9 }, (_, i) => ({ when: { any: [{ measure: 'b', op: '>=', value: i }] }, floor: 10 + i, reason: `floor${i}` }));
  const model = new HealthModel(aAndB({ id: 'many', caps, overrides }));
  const accounts = [{ id: 'x', values: { a: 4, b: 3 } }, { id: 'y', values: { a: 0.5, b: 9 } }];
  const { scorecards } = model.scoreMany(accounts);
  for (const [i, a] of accounts.entries()) assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(a));
  assert.equal(scorecards[0].caps.length, 41); // a 4 ≥ 0, 0.1, …, 4.0
  assert.equal(scorecards[0].overrides.length, 4); // b 3 ≥ 0, 1, 2, 3
  model.free();
});
