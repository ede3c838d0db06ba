// model.plan(account): the fewest changes to the next band up (worked by
// hand as in tests/plan.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';

// Three equal categories of one 0..10 scale each; red below 50, amber from
// 50, green above 75.
const scale = (id) => ({ id: id.toUpperCase(), weight: 1, measures: [{ id, weight: 1, rule: { type: 'scale', min: 0, max: 10 } }] });
const three = new HealthModel({
  version: 1, id: 'three',
  bands: [
    { id: 'red', label: 'Red', color: '#d55e00', from: 0 },
    { id: 'amber', label: 'Amber', color: '#e69f00', from: 50 },
    { id: 'green', label: 'Green', color: '#009e73', above: 75 },
  ],
  categories: [scale('a'), scale('b'), scale('c')],
});

test('one change when one lever reaches, several when none does', () => {
  // a 2, b 3, c 4 (score 30): a → 8 alone gives the 20 points amber needs.
  const one = three.plan({ id: 'x', values: { a: 2, b: 3, c: 4 } });
  assert.equal(one.band, 'amber');
  assert.deepEqual(one.changes.map((c) => [c.measureId, c.from, c.to]), [['a', 2, 8]]);
  // a 1, b 1, c 1 (score 10): 40 points; one scale gives at most 30, so a
  // goes to its best (10) and b to 4.
  const two = three.plan({ id: 'x', values: { a: 1, b: 1, c: 1 } });
  assert.equal(two.band, 'amber');
  assert.deepEqual(two.changes.map((c) => c.measureId), ['a', 'b']);
  assert.equal(two.changes[0].to, 10);
  assert.ok(Math.abs(two.changes[1].to - 4) < 1e-9);
  assert.ok(Math.abs(two.score - 50) < 1e-9);
  // Rescoring with the plan reaches the band.
  const after = three.score({ id: 'x', values: { a: 10, b: two.changes[1].to, c: 1 } });
  assert.equal(after.band.id, 'amber');
  // Nothing to plan in the top band or without data.
  assert.equal(three.plan({ id: 'x', values: { a: 10, b: 10, c: 9 } }), null);
  assert.equal(three.plan({ id: 'x', values: {} }), null);
  assert.throws(() => three.plan({ id: 'x', values: { a: 'high' } }), (e) => e.code === 'not_a_number' && e.path === 'values.a');
});
