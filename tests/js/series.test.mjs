// Trend measures in the package (issue 16, item 5): an account may give a
// measure with a `series` its points; scoreMany and score agree, and the
// breakdown shows the derived value. Numbers as in tests/series.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';

const doc = {
  version: 1, id: 'trend',
  bands: [
    { id: 'falling', label: 'Falling', color: '#d55e00', from: 0 },
    { id: 'steady', label: 'Steady', color: '#009e73', from: 50 },
  ],
  categories: [{ id: 'usage', weight: 1, measures: [
    { id: 'logins', label: 'Logins, slope per 30 days', weight: 1, series: { derive: 'slope' }, rule: { type: 'linear', points: [[-30, 0], [0, 10]] } },
  ] }],
};

test('a series is scored by its derived value, the same through scoreMany and score', () => {
  const model = new HealthModel(doc);
  const accounts = [
    { id: 'falling', values: { logins: [{ at: '2026-10-01', value: 30 }, { at: '2026-10-11', value: 20 }, { at: '2026-10-21', value: 10 }] } },
    { id: 'given', values: { logins: -15 } },
    { id: 'one-point', values: { logins: [{ at: '2026-10-01', value: 30 }] } },
  ];
  const { scorecards, errors } = model.scoreMany(accounts);
  assert.deepEqual(errors, []);
  const m = (c) => c.categories[0].measures[0];
  assert.deepEqual([scorecards[0].score, m(scorecards[0]).value, m(scorecards[0]).seriesPoints], [0, -30, 3]);
  assert.deepEqual([scorecards[1].score, m(scorecards[1]).value, m(scorecards[1]).seriesPoints], [50, -15, null]);
  assert.deepEqual([scorecards[2].score, scorecards[2].band.id, m(scorecards[2]).value], [null, 'insufficient_data', null]);
  for (const [i, account] of accounts.entries()) {
    assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(account));
  }
  assert.throws(() => model.score({ id: 'x', values: { logins: [{ at: 'soon', value: 1 }] } }), (e) => e.code === 'invalid_date' && e.path === 'values.logins[0].at');
  model.free();
});
