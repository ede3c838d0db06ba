// Issue 27, right and bounded for every input: −0 is 0 on every path, a
// series in update, a constant column's quantiles, the new limits, and
// inputs over a limit refused before they cross into the module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel, limits } from '../../pkg/index.node.mjs';

const doc = (aggregation) => ({
  version: 1, id: 'z', ...(aggregation === 'points' ? { aggregation } : {}),
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'c', ...(aggregation === 'points' ? {} : { weight: 1 }), measures: [
    { id: 'x', ...(aggregation === 'points' ? {} : { weight: 1 }), rule: { type: 'scale', min: 0, max: 10 } },
    { id: 'y', ...(aggregation === 'points' ? {} : { weight: 1 }), rule: { type: 'steps', thresholds: [1], scores: [0, 4] } },
  ] }],
});

test('−0 is 0 on every path: score, scoreMany (objects and columns), scoreColumns', () => {
  for (const aggregation of ['points', 'weighted']) {
    const model = new HealthModel(doc(aggregation));
    const account = { id: 'a', values: { x: -0, y: 0 } };
    const zero = (x, what) => assert.ok(Object.is(x, 0), `${aggregation} ${what}: ${Object.is(x, -0) ? '-0' : x}`);
    const one = model.score(account);
    zero(one.score, 'score');
    const [card] = model.scoreMany([account]).scorecards;
    zero(card.score, 'scoreMany');
    for (const m of card.categories[0].measures) {
      zero(m.partial, `${m.id} partial`);
      zero(m.normalized, `${m.id} normalized`);
      zero(m.contribution, `${m.id} contribution`);
    }
    zero(model.scoreMany([account], { columnar: true }).scores[0], 'columnar');
    const cols = model.scoreColumns({ x: new Float64Array([-0]), y: new Float64Array([0]) }, { breakdown: true });
    zero(cols.scores[0], 'scoreColumns');
    zero(cols.contributions.x[0], 'scoreColumns contribution');
  }
});

test('update takes a series and derives it again; a stale derived number is refused', () => {
  const model = new HealthModel({
    version: 1, id: 's', bands: [{ id: 'all', label: 'All', color: '#009e73', from: 0 }],
    categories: [{ id: 'c', weight: 1, measures: [
      { id: 'x', weight: 1, series: { derive: 'slope' }, rule: { type: 'scale', min: -1000, max: 1000 } },
      { id: 'y', weight: 1, rule: { type: 'scale', min: 0, max: 10 } },
    ] }],
  });
  const card = model.score({ id: 'a', values: { x: [{ at: '2026-10-01', value: 10 }, { at: '2026-10-11', value: 20 }], y: 5 } }, { at: '2026-10-11' });
  const { scorecard } = model.update(card, { x: [{ at: '2026-10-01', value: 10 }, { at: '2026-10-11', value: 20 }, { at: '2026-10-21', value: 40 }] }, '2026-10-21');
  assert.equal(scorecard.categories[0].measures[0].value, 45);
  assert.throws(() => model.update(card, { y: 6 }, '2026-10-21'), (e) => e.code === 'series_required' && e.path === 'values.x');
});

test('quantiles of a constant column are refused: there is no distribution', () => {
  assert.throws(() => HealthModel.quantiles([3, 3, 3, null]), (e) => e.code === 'too_few_points');
  assert.deepEqual(HealthModel.quantiles([0, 10], 3), [0, 5, 10]);
});

test('the new limits: conditions per override and per model, and inputs over a limit refused before they cross', () => {
  const l = limits();
  const base = doc('weighted');
  const any = Array.from({ length: l.maxOverrideConditions + 1 }, (_, k) => ({ measure: 'x', op: '>=', value: k }));
  assert.throws(() => new HealthModel({ ...base, overrides: [{ when: { any }, floor: 10, reason: 'many' }] }), (e) => e.code === 'too_large' && e.path === 'overrides[0].when');
  const model = new HealthModel(base);
  // A series of a million points is refused at its path while the account is written.
  const points = Array.from({ length: 1_000_000 }, () => ({ at: '2026-01-01', value: 1 }));
  assert.throws(() => model.score({ id: 'a', values: { x: points } }), (e) => e.code === 'too_large' && e.path === 'values.x' && e.help.includes(String(l.maxSeriesPoints)));
  // A 100 MB account is refused before it is copied into the module.
  assert.throws(() => model.score({ id: 'a', name: 'x'.repeat(100 << 20), values: {} }), (e) => e.code === 'too_large' && e.help.includes(String(l.maxAccountBytes)));
  // In a batch, such an account is refused alone.
  const batch = model.scoreMany([{ id: 'big', name: 'x'.repeat(5 << 20), values: {} }, { id: 'ok', values: { x: 5 } }]);
  assert.deepEqual(batch.errors.map((e) => [e.index, e.code]), [[0, 'too_large']]);
  assert.equal(batch.scorecards[1].accountId, 'ok');
  // A model as text over its limit, before it is parsed.
  assert.throws(() => new HealthModel(' '.repeat(l.maxModelBytes + 1)), (e) => e.code === 'too_large');
});

test('rollup parents written without the replacer still refuse what JSON cannot carry, at its path', () => {
  const model = new HealthModel(doc('weighted'));
  const child = model.score({ id: 'a', values: { x: 5, y: 2 } });
  const refused = (parents) => {
    try {
      model.rollup([child], { parents });
    } catch (e) {
      return [e.code, e.path];
    }
    return null;
  };
  assert.deepEqual(refused({ a: NaN }), ['not_finite', 'parents.a']);
  assert.deepEqual(refused({ a: '\ud800' }), ['invalid_text', 'parents.a']);
  assert.deepEqual(refused({ a: null }), ['wrong_type', 'parents.a']);
  // A parent id starting with U+0000 is the user's text, not a mark.
  const [top] = model.rollup([child], { parents: { a: '\u0000top' }, method: 'worst' });
  assert.deepEqual([top.accountId, top.method, top.score], ['\u0000top', 'worst', child.score]);
});
