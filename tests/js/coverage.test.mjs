// Honesty about missing data in the package (issue 16, item 7): the
// low-coverage flag, its count in the summary, the coverage penalty and
// stale values, the same from `score`, from `scoreMany`'s columnar
// scorecards and from a model set. Numbers as in tests/coverage.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel, HealthModelSet } from '../../pkg/index.node.mjs';
import { aAndB } from './a-and-b.mjs';

const two = (extra = {}) => aAndB({ id: 'two', ...extra });
const accounts = [
  { id: 'thin', values: { a: 9 } },
  { id: 'full', values: { a: 7, b: 7 } },
  { id: 'low', values: { a: 1 } },
  { id: 'none', values: {} },
];

test('a score on a quarter of the data is flagged, counted, and pulled toward 50 by the penalty', () => {
  const model = new HealthModel(two({ coveragePenalty: 0.5 }));
  assert.equal(model.lowCoverageBelow, 0.8);
  const { scorecards, summary } = model.scoreMany(accounts, { at: '2026-10-01' });
  const [thin, full, low, none] = scorecards;
  // 90 − 0.5 × 0.75 × 40 = 75; 10 − 0.5 × 0.75 × (−40) = 25.
  assert.deepEqual([thin.uncappedScore, thin.coveragePenalty, thin.score, thin.lowCoverage], [90, 15, 75, true]);
  assert.deepEqual([full.score, full.coveragePenalty, full.lowCoverage], [70, 0, false]);
  assert.deepEqual([low.score, low.coveragePenalty, low.lowCoverage], [25, -15, true]);
  assert.deepEqual([none.score, none.lowCoverage, none.band.id], [null, false, 'insufficient_data']);
  assert.equal(summary.lowCoverage, 2);
  // The columnar scorecards are the JSON path's, field for field.
  for (const [i, account] of accounts.entries()) {
    assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(account, { at: '2026-10-01' }));
  }
  assert.equal(model.summarize(scorecards).lowCoverage, 2);
  model.free();
});

test('stale values are listed, and change no number', () => {
  const model = new HealthModel(two({ staleAfterDays: 30 }));
  const card = model.score({ id: 's', values: { a: 8, b: 6 }, observedAt: { a: '2026-08-31', b: '2026-09-15' } }, { asOf: '2026-10-01' });
  assert.deepEqual(card.stale, ['a']);
  assert.ok(Math.abs(card.score - 65) < 1e-9); // (0.8 × 1 + 0.6 × 3) / 4 × 100
  const batch = model.scoreMany([{ id: 's', values: { a: 8, b: 6 }, observedAt: { a: '2026-08-31' } }], { asOf: '2026-10-01' });
  assert.deepEqual(batch.scorecards[0].stale, ['a']);
  model.free();
});

test('a model set counts the low-coverage accounts of every model', () => {
  const set = new HealthModelSet({
    version: 1, id: 's',
    models: [
      { when: { segments: ['strict'] }, model: two({ id: 'strict', lowCoverageBelow: 1 }) },
      { default: true, model: two({ id: 'lenient', lowCoverageBelow: 0.25 }) },
    ],
  });
  const { scorecards, summary } = set.scoreMany([
    { id: 'x', segment: 'strict', values: { a: 7, b: 5 } },
    { id: 'y', values: { a: 9 } },
    { id: 'z', segment: 'strict', values: { a: 7, b: 7 } },
  ]);
  // x and z are complete (coverage 1 is not below 1); y's 0.25 is not below 0.25.
  assert.deepEqual(scorecards.map((c) => c.lowCoverage), [false, false, false]);
  assert.equal(summary.lowCoverage, 0);
  const again = set.scoreMany([{ id: 'w', segment: 'strict', values: { b: 9 } }, { id: 'v', values: { b: 1 } }]);
  // w: 0.75 < 1 under the strict model; v: 0.75 is not below 0.25.
  assert.deepEqual(again.scorecards.map((c) => c.lowCoverage), [true, false]);
  assert.equal(again.summary.lowCoverage, 1);
  set.free();
});

test('bad settings are coded errors with paths', () => {
  assert.throws(() => new HealthModel(two({ coveragePenalty: 2, lowCoverageBelow: -1 })), (e) => {
    assert.deepEqual(e.errors.map((x) => [x.code, x.path]), [['invalid_value', 'lowCoverageBelow'], ['invalid_value', 'coveragePenalty']]);
    return true;
  });
  // The next good call still works.
  assert.equal(new HealthModel(two()).score({ id: 'ok', values: { a: 9 } }).lowCoverage, true);
});
