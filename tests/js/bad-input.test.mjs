// Bad input through the JS API in Node: wrong types at every level, values
// JSON cannot carry, huge and tiny numbers, long strings, deep nesting,
// cycles, large batches. Each gives a HealthScoreError with a code, or the
// right result where the input is valid; after each, the same instance still
// scores correctly; 100,000 failed calls do not grow the wasm memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel, HealthScoreError, presets, wasmMemoryBytes } from '../../pkg/index.node.mjs';

const model = new HealthModel(presets['saas-points']);
const good = { id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } };
const expected = 5700 / 94;
const ok = () => assert.ok(Math.abs(model.score(good).score - expected) < 1e-9, 'the instance still scores correctly');

function refused(fn, code) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof HealthScoreError, `expected a HealthScoreError (${code}), got ${caught}`);
  if (code) assert.equal(caught.code, code, caught.message);
  assert.equal(typeof caught.path, 'string');
  ok();
  return caught;
}

const deep = (n) => {
  let v = 1;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

test('models of every wrong type', () => {
  for (const [input, code] of [
    [null, 'wrong_type'], [undefined, 'wrong_type'], [42, 'wrong_type'], [true, 'wrong_type'], [[], 'wrong_type'],
    ['not json', 'invalid_json'], ['', 'invalid_json'], [10n, 'wrong_type'], [Symbol('m'), 'wrong_type'], [() => 1, 'wrong_type'],
    [{ version: 1n }, 'wrong_type'], [{ ...presets['composite-kpi'], categories: 'x' }, 'wrong_type'],
    [{ ...presets['composite-kpi'], categories: [null] }, 'wrong_type'], [{ ...presets['composite-kpi'], bands: {} }, 'wrong_type'],
    [{ ...presets['composite-kpi'], minCoverage: Infinity }, 'not_finite'], [{ ...presets['composite-kpi'], id: 'x'.repeat(100000) }, 'invalid_value'],
    [deep(5000), undefined],
  ]) {
    refused(() => new HealthModel(input), code);
    const problems = HealthModel.validate(input);
    assert.ok(Array.isArray(problems) && problems.length > 0);
  }
  const cyclic = { ...presets['composite-kpi'] };
  cyclic.self = cyclic;
  refused(() => new HealthModel(cyclic), 'cyclic_input');
});

test('accounts of every wrong type, and valid edge values', () => {
  const v = (key, value) => ({ id: 'p', values: { ...good.values, [key]: value } });
  for (const [input, code] of [
    [null, 'wrong_type'], [undefined, 'wrong_type'], ['p', 'wrong_type'], [[good], 'wrong_type'], [42, 'wrong_type'], [10n, 'wrong_type'],
    [{ id: null, values: {} }, 'missing_field'], [{ id: {}, values: {} }, 'wrong_type'], [{ id: 'x'.repeat(1_000_000), values: {} }, 'invalid_value'],
    [{ id: 'p', values: [] }, 'wrong_type'], [{ id: 'p', values: 'x' }, 'wrong_type'], [{ id: 'p', values: null, extra: 1 }, 'unknown_field'],
    [v('usage', {}), 'not_a_number'], [v('usage', []), 'not_a_number'], [v('usage', 'x'.repeat(100000)), 'not_a_number'],
    [v('usage', NaN), 'not_finite'], [v('usage', Infinity), 'not_finite'], [v('usage', -Infinity), 'not_finite'],
    [v('usage', 1n), 'wrong_type'], [v('usage', Symbol('u')), 'wrong_type'], [v('usage', new Set([1])), 'wrong_type'],
    [v('complaints', 1e300), 'out_of_range'], [v('complaints', -0.5), 'negative_count'], [v('csm', 1e308), 'out_of_range'],
    [v('follows', 'true'), 'not_a_boolean'], [v('follows', 0), 'not_a_boolean'],
    [{ id: 'p', value: Number.MAX_VALUE, values: {} }, 'invalid_value'], [{ id: 'p', segment: 1n, values: {} }, 'wrong_type'],
    [deep(5000), undefined],
  ]) {
    refused(() => model.score(input), code);
  }
  // Valid edge values give the right numbers.
  assert.equal(model.score(v('usage', -0)).total, 10 - 15 + 5 + 0 + 8); // −0 is 0: usage 10 points
  assert.equal(model.score(v('usage', 1e308)).total, 30 - 15 + 5 + 0 + 8); // clamped at 60 min/day
  assert.equal(model.score(v('usage', 5e-324)).total, 10 - 15 + 5 + 0 + 8);
  assert.equal(model.score(v('usage', undefined)).missing.includes('usage'), true);
  assert.equal(model.score(v('usage', null)).missing.includes('usage'), true);
  ok();
});

test('batches: a bad account refuses only itself; large batches work', () => {
  const batch = model.scoreMany([good, null, 5, { id: 'x', values: { usage: NaN } }, good]);
  assert.deepEqual(batch.errors.map((e) => [e.index, e.code]), [[1, 'wrong_type'], [2, 'wrong_type'], [3, 'not_finite']]);
  assert.equal(batch.summary.count, 2);
  refused(() => model.scoreMany('x'), 'wrong_type');
  refused(() => model.scoreMany(null), 'wrong_type');
  const many = Array.from({ length: 100_000 }, (_, i) => ({ id: `a${i}`, values: { usage: i % 61, complaints: i % 4, follows: i % 2 === 0, csm: 1 + (i % 10) } }));
  const big = model.scoreMany(many);
  assert.equal(big.summary.count, 100_000);
  assert.deepEqual(big.errors, []);
  // A million rows through the columnar path.
  const n = 1_000_000;
  const cols = { usage: new Float64Array(n).fill(45), complaints: new Float64Array(n).fill(1), follows: new Float64Array(n).fill(1), reacts: new Float64Array(n), csm: new Float64Array(n).fill(8) };
  const out = model.scoreColumns(cols);
  assert.equal(out.scores.length, n);
  assert.ok(Math.abs(out.scores[n - 1] - expected) < 1e-9);
  ok();
});

test('100,000 failed calls do not grow the wasm memory', () => {
  const bad = { id: 'p', values: { usage: 'x', csm: 99 } };
  for (let i = 0; i < 1000; i++) {
    try { model.score(bad); } catch { /* warm-up */ }
  }
  const before = wasmMemoryBytes();
  for (let i = 0; i < 100_000; i++) {
    try {
      model.score(bad);
    } catch (e) {
      if (!(e instanceof HealthScoreError)) throw e;
    }
  }
  const afterBytes = wasmMemoryBytes();
  assert.equal(afterBytes, before, `wasm memory grew from ${before} to ${afterBytes} bytes`);
  ok();
});
