// Peer-relative measures in the package (issue 16, item 4): quantiles from
// a portfolio, the percentile rule, and per-seat values, the same through
// scoreMany as through score. Numbers as in tests/percentile.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';

const bands = [
  { id: 'low', label: 'Low', color: '#d55e00', from: 0 },
  { id: 'high', label: 'High', color: '#009e73', from: 50 },
];

test('quantiles from a portfolio make a percentile rule', () => {
  const logins = [11, 1, null, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN];
  const q = HealthModel.quantiles(logins, 5);
  assert.deepEqual(q, [1, 3.5, 6, 8.5, 11]);
  const model = new HealthModel({
    version: 1, id: 'peers', bands,
    categories: [{ id: 'c', weight: 1, measures: [{ id: 'logins', weight: 1, rule: { type: 'percentile', quantiles: [0, 0, 0, 10, 20] } }] }],
  });
  const accounts = [0, 5, 10, 15, 30].map((x, i) => ({ id: `a${i}`, values: { logins: x } }));
  const { scorecards } = model.scoreMany(accounts);
  assert.deepEqual(scorecards.map((c) => c.score), [25, 50, 75, 87.5, 100]);
  for (const [i, a] of accounts.entries()) assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(a));
  assert.throws(() => HealthModel.quantiles([1, 2], 1), (e) => e.code === 'invalid_value' && e.path === 'count');
  assert.throws(() => HealthModel.quantiles([1, 'two']), (e) => e.code === 'wrong_type' && e.path === 'values[1]');
  model.free();
});

test('per seat: the value divided by a field, through scoreMany as through score', () => {
  const model = new HealthModel({
    version: 1, id: 'seats', bands,
    categories: [{ id: 'c', weight: 1, measures: [{ id: 'logins', weight: 1, per: 'seats', rule: { type: 'scale', min: 0, max: 10 } }] }],
  });
  const accounts = [
    { id: 'a', values: { logins: 50 }, fields: { seats: 10 } },
    { id: 'b', values: { logins: 50 } },
    { id: 'c', values: {} },
  ];
  const { scorecards } = model.scoreMany(accounts);
  assert.equal(scorecards[0].score, 50);
  assert.deepEqual(scorecards[0].categories[0].measures[0].per, { by: 'seats', divisor: 10, value: 5 });
  assert.equal(scorecards[0].categories[0].measures[0].value, 50);
  assert.equal(scorecards[1].score, null);
  for (const [i, a] of accounts.entries()) assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(a));
  const up = model.update(scorecards[0], { logins: 80 });
  assert.equal(up.scorecard.score, 80);
  model.free();
});
