// The columnar paths in real Node: scoreMany(accounts, { columnar: true })
// packs account objects into columns (generated packer and generic packer)
// and must give exactly the scorecards' scores, bands, category scores,
// contributions and errors; rows it cannot pack go through the JSON path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, presets } from '../../pkg/index.node.mjs';

const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));

// The sample portfolio plus rows the packer must hand to the JSON path.
function portfolio(model) {
  const accounts = json('samples/portfolio.json').accounts.map((a) => ({ id: a.id, values: a.values }));
  const ids = model.measureIds;
  const first = accounts.find((a) => Object.keys(a.values).length > 2);
  return [
    ...accounts,
    // Keys in another order than the row before, and an undefined value (missing).
    { id: 'reversed', values: Object.fromEntries(Object.entries(first.values).reverse()) },
    { id: 'undefined', values: { ...first.values, [Object.keys(first.values)[1]]: undefined } },
    ...accounts.slice(0, 3),
    { id: 'typo', values: { nope: 1 } },
    { id: 'inf', values: Object.fromEntries(ids.map((i) => [i, Infinity])) },
    null,
    { id: 'no-values' },
    { id: 'nan', values: { [ids[0]]: NaN } },
    { id: 'text', values: { [ids[0]]: 'high' } },
    { id: 'array', values: [1, 2] },
  ];
}

function check(model, accounts, out) {
  const batch = model.scoreMany(accounts);
  const bandIds = model.bands.map((b) => b.id);
  assert.equal(out.scores.length, accounts.length);
  batch.scorecards.forEach((card, i) => {
    if (card === null) {
      assert.ok(Number.isNaN(out.scores[i]), `row ${i}`);
      assert.equal(out.bands[i], 254, `row ${i}`);
      return;
    }
    assert.ok(Object.is(out.scores[i], card.score ?? NaN), `row ${i}: ${out.scores[i]} vs ${card.score}`);
    const band = card.band.id === 'insufficient_data' ? 255 : bandIds.indexOf(card.band.id);
    assert.equal(out.bands[i], band, `row ${i}`);
    if (out.categories) {
      for (const cat of card.categories) {
        assert.ok(Object.is(out.categories[cat.id][i], cat.score ?? NaN), `row ${i} ${cat.id}: ${out.categories[cat.id][i]} vs ${cat.score}`);
        for (const m of cat.measures) assert.equal(out.contributions[m.id][i], m.contribution, `row ${i} ${m.id}`);
      }
    }
  });
  // The same errors (within a row they may come in another order).
  const key = (e) => `${e.index} ${e.path} ${e.code}`;
  assert.deepEqual(out.errors.map(key).sort(), batch.errors.map(key).sort());
  assert.ok(out.errors.every((e, i) => i === 0 || out.errors[i - 1].index <= e.index), 'errors in row order');
}

for (const codegen of [true, false]) {
  test(`scoreMany columnar equals the scorecards (codegen ${codegen})`, () => {
    for (const doc of [json('samples/model.json'), ...Object.values(presets)]) {
      const model = new HealthModel(doc);
      const accounts = portfolio(model);
      check(model, accounts, model.scoreMany(accounts, { columnar: true, codegen }));
      check(model, accounts, model.scoreMany(accounts, { columnar: true, breakdown: true, codegen }));
    }
  });
}

test('match values travel as codes; unknown text goes through the JSON path', () => {
  const model = new HealthModel(json('samples/model.json'));
  const accounts = [
    { id: 'a', values: { contract: 'annual', nps: 40 } },
    { id: 'b', values: { contract: 'no-such-contract', nps: 40 } },
    { id: 'c', values: { contract: null, nps: 40 } },
  ];
  const out = model.scoreMany(accounts, { columnar: true, breakdown: true });
  check(model, accounts, out);
  assert.deepEqual(out.errors.map((e) => [e.index, e.code, e.path]), model.scoreMany(accounts).errors.map((e) => [e.index, e.code, e.path]));
});

test('scoreColumns breakdown equals the scorecards; a model with points too', () => {
  for (const doc of [presets['composite-kpi'], presets['saas-points']]) {
    const model = new HealthModel(doc);
    const measures = doc.categories.flatMap((c) => c.measures);
    // Values inside every rule's range; flags as booleans (1/0 in columns).
    const value = (m, k) => (m.rule.type === 'flag' ? k % 2 === 0 : m.rule.type === 'scale' ? m.rule.min + (k % 3) : k * 7);
    const accounts = [0, 1, 2, 3, 4, 5].map((k) => ({ id: `r${k}`, values: Object.fromEntries(measures.slice(k % 3).map((m, j) => [m.id, value(m, k + j)])) }));
    const cols = Object.fromEntries(measures.map((m) => [m.id, Float64Array.from(accounts, (a) => (a.values[m.id] === undefined ? NaN : Number(a.values[m.id])))]));
    assert.deepEqual(model.scoreMany(accounts).errors, []);
    const plain = model.scoreMany(accounts, { columnar: true });
    const out = model.scoreColumns(cols, { breakdown: true });
    check(model, accounts, out);
    assert.deepEqual([...out.scores], [...plain.scores]);
    assert.equal(Object.keys(out.contributions).length, measures.length);
  }
});

test('a worked example: category scores and contributions add up', () => {
  const model = new HealthModel({
    version: 1, id: 'two', bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
    categories: [
      { id: 'use', weight: 3, measures: [{ id: 'seats', weight: 1, rule: { type: 'linear', points: [[0, 0], [100, 100]] } }] },
      { id: 'care', weight: 1, measures: [{ id: 'csat', weight: 1, rule: { type: 'scale', min: 0, max: 10 } }] },
    ],
  });
  // seats 40 → 0.4, csat 8 → 0.8: score = 100 · (3·0.4 + 1·0.8) / 4 = 50.
  const out = model.scoreMany([{ id: 'a', values: { seats: 40, csat: 8 } }], { columnar: true, breakdown: true });
  assert.equal(out.scores[0], 50);
  assert.equal(out.bands[0], 1);
  assert.ok(Math.abs(out.categories.use[0] - 40) < 1e-12 && Math.abs(out.categories.care[0] - 80) < 1e-12);
  assert.ok(Math.abs(out.contributions.seats[0] - 30) < 1e-12 && Math.abs(out.contributions.csat[0] - 20) < 1e-12);
});

test('bad options are errors with a code', () => {
  const model = new HealthModel(presets['composite-kpi']);
  assert.throws(() => model.scoreMany([], 'columnar'), (e) => e.code === 'wrong_type' && e.path === 'options');
  const empty = model.scoreMany([], { columnar: true });
  assert.equal(empty.scores.length, 0);
});

test('columnView: filled in place, the same results as scoreColumns; ended views refuse', () => {
  const model = new HealthModel(presets['composite-kpi']);
  const cols = { operations: Float64Array.of(4, 1, NaN), commercial: Float64Array.of(3, 5, NaN), engagement: Float64Array.of(5, 2, 3) };
  const view = model.columnView(3);
  assert.deepEqual(Object.keys(view.columns), model.measureIds);
  assert.ok(Number.isNaN(view.columns.operations[0]), 'cells start missing');
  for (const [id, col] of Object.entries(cols)) view.columns[id].set(col);
  const got = view.score({ breakdown: true });
  const want = model.scoreColumns(cols, { breakdown: true });
  assert.deepEqual(got, want);
  assert.equal(got.scores[0], 72.5);
  // Scored once: the view is spent.
  assert.throws(() => view.score(), { code: 'stale_view' });
  // Another call on the model ends a view.
  const v2 = model.columnView(3);
  model.score({ id: 'a', values: { operations: 3 } });
  model.scoreColumns(cols);
  assert.throws(() => v2.score(), { code: 'stale_view' });
  // A call that grows the module's memory detaches the view: refused, not misread.
  const v3 = model.columnView(3);
  const other = new HealthModel(presets['composite-kpi']);
  other.scoreColumns({ operations: new Float64Array(4_000_000).fill(3) });
  assert.equal(v3.columns.operations.length, 0, 'the view was detached');
  assert.throws(() => v3.score(), { code: 'stale_view' });
  assert.throws(() => model.columnView(-1), { code: 'invalid_value' });
  assert.throws(() => model.columnView(2 ** 27), { code: 'too_large' });
});
