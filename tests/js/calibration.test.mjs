// Calibration through the JS API in Node: the same hand-worked cases as
// tests/calibration.rs, and the same numbers as the native build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthScoreError } from '../../pkg/index.node.mjs';

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `expected ${b}, got ${a}`);
const one = () => new HealthModel({
  version: 1, id: 'one',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'c', weight: 1, measures: [{ id: 'x', weight: 1, rule: { type: 'scale', min: 0, max: 10 } }] }],
});

function csv(text) {
  const [header, ...lines] = text.trim().split('\n').map((l) => l.replace(/\r$/, '').split(','));
  return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

test('backtest by hand', () => {
  const rows = [
    { x: 1, churned: true }, { x: 2, churned: 'Yes' }, { x: 2, churned: 1 }, { x: 6, churned: 'yes' },
    { x: 2, churned: false }, { x: 3, churned: 'No' }, { x: 7, churned: 0 }, { x: 8, churned: 'no' },
    { x: 9, churned: false }, { x: 9, churned: false },
  ];
  const b = one().backtest(rows);
  close(b.auc, 21 / 24);
  close(b.topDecileLift, 2.5);
  close(b.bands[0].churnRate, 0.6);
  close(b.lowestBand.recall, 0.75);
  // Columns give the same.
  const cols = { x: rows.map((r) => r.x), churned: rows.map((r) => r.churned) };
  assert.equal(one().backtest(cols).auc, b.auc);
});

test('bad rows are reported and left out; bad calls throw with paths', () => {
  const b = one().backtest([{ x: 5, churned: true }, { x: 5, churned: 'maybe' }, { x: NaN, churned: false }, { x: 4, churned: false }]);
  assert.deepEqual(b.errors.map((e) => [e.index, e.code, e.path]), [[1, 'invalid_outcome', '[1].churned'], [2, 'not_finite', '[2].x']]);
  assert.equal(b.rows, 2);
  assert.throws(() => one().backtest(5), (e) => e instanceof HealthScoreError && e.code === 'wrong_type');
  assert.throws(() => one().fit([{ x: 1, churned: true }], { testShare: 0.3, colour: 1 }), (e) => e.code === 'invalid_value' && e.path === 'options');
  assert.throws(() => one().suggestBands([{ x: 1, churned: true }], {}), (e) => e.code === 'invalid_value');
});

test('fit reports reversed measures and keeps them at weight 0', () => {
  const m = new HealthModel({
    version: 1, id: 'ab', bands: [{ id: 'low', color: '#d55e00', from: 0 }],
    categories: [
      { id: 'A', weight: 1, measures: [{ id: 'a', weight: 1, rule: { type: 'scale', min: 0, max: 1 } }] },
      { id: 'R', weight: 1, measures: [{ id: 'r', weight: 1, rule: { type: 'scale', min: 0, max: 1 } }] },
    ],
  });
  const rows = Array.from({ length: 400 }, (_, i) => {
    const a = (i % 20) / 19;
    return { a, r: 1 - a, churned: a < 0.4 };
  });
  const fit = m.fit(rows);
  assert.deepEqual(fit.reversed.map((r) => r.measureId), ['r']);
  assert.equal(fit.model.categories[1].weight, 0);
  assert.equal(fit.model.categories[0].weight, 100);
  assert.equal(fit.trainRows + fit.testRows, 400);
});

test('suggest on the Telco fixture gives the same numbers as the native build', () => {
  const rows = csv(readFileSync(new URL('../fixtures/telco-500.csv', import.meta.url), 'utf8'));
  const s = HealthModel.suggest(rows, { outcome: 'Churn' });
  // Pinned in tests/calibration.rs (native).
  assert.equal(s.backtest.auc, 0.850328947368421);
  const model = new HealthModel(s.model);
  assert.equal(model.hash, '969cc0886b041caef60c5b78bf439983021fe16bd024f76346e9b5a399016dae');
  assert.equal(s.columns.find((c) => c.column === 'customerID').kind, 'skipped');
  // The suggested model scores like any other.
  assert.equal(typeof model.score({ id: 'x', values: { tenure: 30, Contract: 'Two year' } }).score, 'number');
  const edges = model.suggestBands(rows, { outcome: 'Churn', churnRates: [0.5, 0.2] });
  assert.equal(edges.edges.length, 2);
});
