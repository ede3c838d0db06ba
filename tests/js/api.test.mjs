// The JS API over the built package (pkg/), in real Node: the worked examples
// of DESIGN.md give the same numbers as the native tests, every error code
// crosses the boundary with its path, the instance works after bad calls,
// and scoreColumns equals scoreMany on the sample portfolio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthScoreError, presets, errorCodes, init } from '../../pkg/index.node.mjs';

const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const close = (a, b, msg) => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} expected ${b}, got ${a}`);

const composite = (w) => ({
  version: 1, id: 'composite', name: 'Composite',
  bands: [
    { id: 'action', label: 'Action needed', color: '#c0392b', from: 0 },
    { id: 'watch', label: 'Watch', color: '#e6a700', from: 50 },
    { id: 'healthy', label: 'Healthy', color: '#2e8b57', above: 80 },
  ],
  categories: [
    { id: 'operational', weight: w[0], measures: [{ id: 'ops', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
    { id: 'commercial', weight: w[1], measures: [{ id: 'com', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
    { id: 'engagement', weight: w[2], measures: [{ id: 'eng', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
  ],
});
const acme = { id: 'acme', values: { ops: 4, com: 3, eng: 5 } };
const pointsAccount = { id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } };

/** The instance is not poisoned: the next good call gives the right answer. */
function stillWorks(model) {
  if (model.id === 'composite') close(model.score(acme).score, 72.5);
  else close(model.score(pointsAccount).score, 5700 / 94);
}

/** Asserts fn throws a HealthScoreError with this code and path. */
function throwsCode(fn, code, path) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof HealthScoreError, `expected a HealthScoreError, got ${caught}`);
  assert.ok(caught instanceof Error);
  assert.equal(caught.name, 'HealthScoreError');
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.path, path);
  assert.ok(caught.message.length > 0 && caught.help.length > 0);
  assert.ok(Array.isArray(caught.errors) && caught.errors.length >= 1);
  return caught;
}

test('init is a no-op in Node', async () => {
  await init();
});

test('composite KPI worked example: 72.5, watch', () => {
  const model = new HealthModel(composite([50, 30, 20]));
  const card = model.score(acme);
  close(card.score, 72.5);
  assert.equal(card.band.id, 'watch');
  assert.deepEqual(card.band, { id: 'watch', label: 'Watch', color: '#e6a700' });
  assert.equal(card.coverage, 1);
  assert.equal(card.total, null);
  assert.equal(card.at, null);
  const ops = card.categories[0];
  close(ops.score, 75); close(ops.weight, 0.5); close(ops.contribution, 37.5); close(ops.pointsMissed, 12.5);
  const m = ops.measures[0];
  assert.equal(m.value, 4); close(m.normalized, 0.75); close(m.partial, 4);
  // Levers: com 15, ops 12.5; ops alone reaches healthy beyond 4.6.
  assert.deepEqual(card.levers.map((l) => l.measureId), ['com', 'ops']);
  const toHealthy = card.levers[1].toNextBand;
  assert.equal(toHealthy.band, 'healthy');
  close(toHealthy.value, 4.6);
  assert.equal(toHealthy.strict, true);
  assert.deepEqual(model.levers(acme), card.levers);
  // Plain objects, no Maps.
  assert.equal(Object.getPrototypeOf(card), Object.prototype);
});

test('points worked example: total 23, score 60.64, neutral', () => {
  const model = new HealthModel(presets['saas-points']);
  const card = model.score(pointsAccount, { at: '2026-09-30' });
  assert.equal(card.total, 23);
  close(card.score, (100 * 57) / 94);
  assert.equal(card.band.id, 'neutral');
  assert.equal(card.at, '2026-09-30');
  assert.equal(card.modelId, 'saas-points');
  assert.equal(card.modelHash, model.hash);
});

test('model identity: id, hash, toJSON, JSON text, validate', () => {
  const kpi = new HealthModel(presets['composite-kpi']);
  assert.equal(kpi.id, 'composite-kpi');
  // The same hash as the native test pins (tests/models.rs).
  assert.equal(kpi.hash, 'cb88eade3a959d9c9cee31f4939ec5bfbacbd062d00f0c3328fd6388f80e1f3e');
  const normalised = kpi.toJSON();
  assert.equal(normalised.minCoverage, 0.5);
  assert.equal(new HealthModel(normalised).hash, kpi.hash);
  assert.equal(new HealthModel(JSON.stringify(presets['composite-kpi'], null, 4)).hash, kpi.hash);
  assert.deepEqual(kpi.measureIds, ['operations', 'commercial', 'engagement']);
  assert.deepEqual(kpi.bands.map((b) => b.id), ['action', 'watch', 'healthy']);
  assert.deepEqual(HealthModel.validate(presets['saas-points']), []);
  assert.deepEqual(Object.keys(presets), ['composite-kpi', 'composite-industrial', 'composite-consulting', 'saas-points']);
  assert.equal(typeof errorCodes().not_finite, 'string');
});

test('model validation errors cross the boundary with every path', () => {
  const doc = composite([50, 30, 20]);
  doc.colour = 'red';
  doc.categories[1].wieght = 3;
  doc.categories[0].weight = -1;
  doc.categories[2].measures[0].rule = { type: 'stepz' };
  const e = throwsCode(() => new HealthModel(doc), 'unknown_field', 'colour');
  const got = e.errors.map((x) => `${x.code}@${x.path}`);
  for (const want of ['unknown_field@categories[1].wieght', 'negative_weight@categories[0].weight', 'unknown_rule_type@categories[2].measures[0].rule.type']) {
    assert.ok(got.includes(want), `${want} in ${got}`);
  }
  assert.deepEqual(HealthModel.validate(doc).map((x) => `${x.code}@${x.path}`), got);
  throwsCode(() => new HealthModel('{ "version": 1,'), 'invalid_json', '');
  throwsCode(() => new HealthModel({ ...composite([1, 1, 1]), version: 2 }), 'unsupported_version', 'version');
  const linear = composite([1, 1, 1]);
  linear.categories[1].measures[0].rule = { type: 'linear', points: [[0, 1], [5, 2], [5, 3]] };
  throwsCode(() => new HealthModel(linear), 'points_not_increasing', 'categories[1].measures[0].rule.points[2]');
  const nan = composite([1, 1, 1]);
  nan.categories[0].weight = NaN;
  throwsCode(() => new HealthModel(nan), 'not_finite', 'categories[0].weight');
  throwsCode(() => new HealthModel(undefined), 'wrong_type', '');
  throwsCode(() => new HealthModel([]), 'wrong_type', '');
});

test('account errors cross the boundary with their paths; the instance keeps working', () => {
  const model = new HealthModel(presets['saas-points']);
  const bad = (key, v) => ({ id: 'p', values: { ...pointsAccount.values, [key]: v } });
  const cases = [
    [bad('usage', '45'), 'not_a_number', 'values.usage'],
    [bad('usage', NaN), 'not_finite', 'values.usage'],
    [bad('usage', Infinity), 'not_finite', 'values.usage'],
    [bad('usage', -Infinity), 'not_finite', 'values.usage'],
    [bad('usage', 10n), 'wrong_type', 'values.usage'],
    [bad('usage', Symbol('x')), 'wrong_type', 'values.usage'],
    [bad('usage', () => 1), 'wrong_type', 'values.usage'],
    [bad('usage', new Map()), 'wrong_type', 'values.usage'],
    [bad('usage', [45]), 'not_a_number', 'values.usage'],
    [bad('complaints', -1), 'negative_count', 'values.complaints'],
    [bad('complaints', 1.5), 'fractional_count', 'values.complaints'],
    [bad('follows', 1), 'not_a_boolean', 'values.follows'],
    [bad('csm', 11), 'out_of_range', 'values.csm'],
    [bad('sentiment', 3), 'unknown_measure', 'values.sentiment'],
    [{ ...pointsAccount, extra: 1 }, 'unknown_field', 'extra'],
    [{ values: {} }, 'missing_field', 'id'],
    [{ id: 'p', value: -1 }, 'negative_value', 'value'],
    ['acme', 'wrong_type', ''],
    [null, 'wrong_type', ''],
  ];
  for (const [account, code, path] of cases) {
    throwsCode(() => model.score(account), code, path);
    stillWorks(model);
    throwsCode(() => model.levers(account), code, path);
    stillWorks(model);
  }
  const cyclic = { id: 'c', values: {} };
  cyclic.values.self = cyclic;
  throwsCode(() => model.score(cyclic), 'cyclic_input', '');
  stillWorks(model);
  throwsCode(() => model.score(pointsAccount, { at: 'yesterday' }), 'invalid_date', 'at');
  stillWorks(model);
  // A real string starting with U+0000 is kept as it is (and is unknown here).
  const m = new HealthModel({ version: 1, id: 'm', bands: [{ id: 'a', color: '#000', from: 0 }], categories: [{ id: 'c', weight: 1, measures: [{ id: 'k', weight: 1, rule: { type: 'match', scores: { '\u0000x': 1, y: 0 } } }] }] });
  assert.equal(m.score({ id: 'a', values: { k: '\u0000x' } }).score, 100);
  // match: a number is read by its text (DESIGN-NOTES, the typing policy);
  // a boolean is not a text value.
  const kpi = new HealthModel(json('samples/model.json'));
  throwsCode(() => kpi.score({ id: 'a', values: { contract: true } }), 'not_a_string', 'values.contract');
  assert.equal(kpi.score({ id: 'a', values: { contract: 3 } }).categories.flatMap((c) => c.measures).find((x) => x.id === 'contract').value, 3);
});

test('scoreMany: slots, indexed paths, summary; NaN refuses only its account', () => {
  const model = new HealthModel(composite([50, 30, 20]));
  const batch = model.scoreMany([
    { id: 'a', value: 100, values: { ops: 5, com: 5, eng: 5 } },
    { id: 'b', values: { ops: 'x' } },
    acme,
    { id: 'd', values: { ops: NaN, com: 3 } },
  ]);
  assert.deepEqual(batch.scorecards.map((c) => c && c.accountId), ['a', null, 'acme', null]);
  assert.deepEqual(batch.errors.map((e) => [e.index, e.code, e.path]), [[1, 'not_a_number', '[1].values.ops'], [3, 'not_finite', '[3].values.ops']]);
  assert.equal(batch.summary.count, 2);
  close(batch.summary.mean, (100 + 72.5) / 2);
  assert.deepEqual(Object.keys(batch.summary.bands), ['action', 'watch', 'healthy', 'insufficient_data']);
  assert.equal(batch.summary.bands.healthy.value, 100);
  throwsCode(() => model.scoreMany({ id: 'a' }), 'wrong_type', '');
  stillWorks(model);
  assert.equal(model.scoreMany([]).summary.count, 0);
});

test('scoreColumns equals scoreMany on the sample portfolio', () => {
  const model = new HealthModel(json('samples/model.json'));
  const accounts = json('samples/portfolio.json').accounts.map((a) => {
    const values = { ...a.values };
    delete values.contract; // a match rule: text, not a number column
    return { ...a, values };
  });
  const columns = {};
  for (const id of model.measureIds.filter((id) => id !== 'contract')) {
    columns[id] = Float64Array.from(accounts, (a) => {
      const v = a.values[id];
      return typeof v === 'boolean' ? Number(v) : v == null ? NaN : v;
    });
  }
  const out = model.scoreColumns(columns);
  const batch = model.scoreMany(accounts);
  assert.ok(out.scores instanceof Float64Array && out.bands instanceof Uint8Array);
  assert.equal(out.scores.length, 200);
  assert.deepEqual(out.errors, []);
  const bandIds = model.bands.map((b) => b.id);
  batch.scorecards.forEach((card, i) => {
    if (card.score === null) assert.ok(Number.isNaN(out.scores[i]));
    else assert.equal(out.scores[i], card.score, `row ${i}`);
    const band = card.band.id === 'insufficient_data' ? 255 : bandIds.indexOf(card.band.id);
    assert.equal(out.bands[i], band, `row ${i}`);
  });
  // Plain arrays work too; errors and refusals.
  const again = model.scoreColumns({ activeSeats: [50, null], csmSentiment: [9, 3] });
  assert.equal(again.bands[0], 254);
  assert.deepEqual(again.errors.map((e) => [e.index, e.code, e.path]), [[0, 'out_of_range', '[0].values.csmSentiment']]);
  throwsCode(() => model.scoreColumns({ contract: new Float64Array(2) }), 'match_in_columns', 'columns.contract');
  throwsCode(() => model.scoreColumns({ nope: new Float64Array(2) }), 'unknown_measure', 'columns.nope');
  throwsCode(() => model.scoreColumns({ nps: new Float64Array(2), csmSentiment: new Float64Array(3) }), 'column_length', 'columns.csmSentiment');
  throwsCode(() => model.scoreColumns({ nps: ['x'] }), 'not_a_number', 'columns.nps[0]');
  throwsCode(() => model.scoreColumns(null), 'wrong_type', '');
  const card = model.score(accounts[0]);
  assert.equal(model.scoreColumns(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.subarray(0, 1)]))).scores[0], card.score);
});

test('every model validation code crosses the boundary with its path', () => {
  const base = () => composite([50, 30, 20]);
  const rule = (r) => { const d = base(); d.categories[1].measures[0].rule = r; return d; };
  const at = 'categories[1].measures[0].rule';
  const points = () => ({ ...presets['saas-points'] });
  const cases = [
    [rule({ type: 'sigmoid' }), 'unknown_rule_type', `${at}.type`],
    [rule({ type: 'steps', thresholds: [6, 3], scores: [1, 2, 3] }), 'thresholds_not_increasing', `${at}.thresholds[1]`],
    [rule({ type: 'steps', thresholds: [3, 6], scores: [1, 2] }), 'steps_length_mismatch', `${at}.scores`],
    [rule({ type: 'linear', points: [[0, 1]] }), 'too_few_points', `${at}.points`],
    [rule({ type: 'linear', points: [[0, 1], [0, 2]] }), 'points_not_increasing', `${at}.points[1]`],
    [rule({ type: 'linear', points: [[0, 1], [5, 1]] }), 'flat_rule', at],
    [rule({ type: 'perEvent', points: -1, maxEvents: 0 }), 'invalid_max_events', `${at}.maxEvents`],
    [rule({ type: 'perEvent', points: -1 }), 'unbounded_rule', at],
    [rule({ type: 'match', scores: {} }), 'empty_match', `${at}.scores`],
    [rule({ type: 'scale', min: 1 }), 'missing_field', `${at}.max`],
    [{ ...base(), categories: [] }, 'empty_categories', 'categories'],
    [(() => { const d = base(); d.categories[0].measures = []; return d; })(), 'empty_measures', 'categories[0].measures'],
    [(() => { const d = base(); delete d.categories[0].weight; return d; })(), 'missing_weight', 'categories[0].weight'],
    [(() => { const d = base(); d.categories[0].measures[0].weight = 0; return d; })(), 'zero_weights', 'categories[0].measures'],
    [(() => { const d = base(); d.categories[2].id = 'operational'; return d; })(), 'duplicate_id', 'categories[2].id'],
    [{ ...base(), range: [0, 1] }, 'range_in_weighted_model', 'range'],
    [{ ...base(), minCoverage: 2 }, 'invalid_min_coverage', 'minCoverage'],
    [{ ...base(), bands: [] }, 'empty_bands', 'bands'],
    [{ ...base(), bands: [{ id: 'a', color: '#000', from: 10 }] }, 'bands_not_from_zero', 'bands[0].from'],
    [{ ...base(), bands: [{ id: 'a', color: '#000', from: 0 }, { id: 'b', color: '#000', from: 0 }] }, 'bands_out_of_order', 'bands[1].from'],
    [{ ...base(), bands: [{ id: 'a', color: '#000', from: 0 }, { id: 'b', color: '#000', from: 101 }] }, 'band_out_of_range', 'bands[1].from'],
    [{ ...base(), bands: [{ id: 'a', color: '#000', from: 0, above: 0 }] }, 'invalid_band_edge', 'bands[0]'],
    [{ ...base(), bands: [{ id: 'a', color: 'red', from: 0 }] }, 'invalid_color', 'bands[0].color'],
    [{ ...base(), bands: [{ id: 'insufficient_data', color: '#000', from: 0 }] }, 'reserved_id', 'bands[0].id'],
    [{ ...base(), caps: [{ when: { measure: 'nope', op: '<', value: 1 }, max: 10, reason: 'r' }] }, 'unknown_measure', 'caps[0].when.measure'],
    [{ ...base(), caps: [{ when: { measure: 'ops', op: '==', value: true }, max: 10, reason: 'r' }] }, 'invalid_cap', 'caps[0].when.value'],
    [(() => { const d = points(); d.categories = structuredClone(d.categories); d.categories[0].weight = 1; return d; })(), 'weight_in_points_model', 'categories[0].weight'],
    [(() => { const d = points(); d.categories = structuredClone(d.categories); d.categories[2].combine = 'min'; return d; })(), 'combine_in_points_model', 'categories[2].combine'],
    [(() => { const d = points(); d.categories = structuredClone(d.categories); d.categories[1].measures[0].rule = { type: 'perEvent', points: -15 }; return d; })(), 'range_not_derivable', 'categories[1].measures[0].rule'],
    [{ ...points(), range: [5, 5] }, 'invalid_range', 'range'],
    [{ ...base(), version: 3 }, 'unsupported_version', 'version'],
    [{ ...base(), extra: true }, 'unknown_field', 'extra'],
    [{ ...base(), id: 5 }, 'wrong_type', 'id'],
    [{ ...base(), aggregation: 'sum' }, 'invalid_value', 'aggregation'],
  ];
  const model = new HealthModel(base());
  const seen = new Set();
  for (const [doc, code, path] of cases) {
    const e = throwsCode(() => new HealthModel(doc), HealthModel.validate(doc)[0].code, HealthModel.validate(doc)[0].path);
    assert.ok(e.errors.some((x) => x.code === code && x.path === path), `${code}@${path} in ${JSON.stringify(e.errors.map((x) => x.code + '@' + x.path))}`);
    seen.add(code);
    stillWorks(model);
  }
  // Every code the docs list is a known code.
  for (const code of seen) assert.ok(code in errorCodes(), code);
});

test('HealthStore refuses cleanly where there is no IndexedDB (Node)', async () => {
  const { HealthStore } = await import('../../pkg/index.node.mjs');
  const store = new HealthStore('node');
  assert.equal(store.format, 1);
  await assert.rejects(store.loadModel('main'), (e) => e instanceof HealthScoreError && e.code === 'storage_unavailable' && e.path === '');
  // The package still works after it.
  stillWorks(new HealthModel(composite([50, 30, 20])));
});
