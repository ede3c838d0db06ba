// No call can trap the module (issue 12): sizes are checked before any
// allocation (`too_large`, the limit in `help`), and when the instance does
// trap (here: an allocation that cannot be had, forced by taking the
// module's memory to its maximum), the error is a HealthScoreError, the
// instance is replaced, and every model made before keeps answering right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as pkg from '../../pkg/index.node.mjs';
import { createBindings } from '../../pkg/web/customer_health.js';
import { makeRuntime } from '../../pkg/runtime.mjs';
import { makeApi } from '../../pkg/api.mjs';

const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const kpi = pkg.presets['composite-kpi'];
const acme = { id: 'acme', values: { operations: 4, commercial: 3, engagement: 5 } };

function stillRight(api) {
  const model = new api.HealthModel(kpi);
  assert.equal(model.score(acme).score, 72.5);
  assert.equal(model.scoreColumns({ operations: Float64Array.of(4), commercial: Float64Array.of(3), engagement: Float64Array.of(5) }).scores[0], 72.5);
}

test('an array-like column of 2^27 rows is refused before any allocation', () => {
  const model = new pkg.HealthModel(kpi);
  const other = new pkg.HealthModel(json('samples/model.json'));
  const before = pkg.wasmMemoryBytes();
  assert.throws(() => model.scoreColumns({ operations: { length: 2 ** 27 } }), (e) => {
    assert.equal(e.code, 'too_large');
    assert.match(e.help, /67108864 cells/);
    return true;
  });
  assert.equal(pkg.wasmMemoryBytes(), before);
  // The same model, and another one, answer right.
  assert.equal(model.score(acme).score, 72.5);
  assert.equal(model.scoreColumns({ operations: [4], commercial: [3], engagement: [5] }).scores[0], 72.5);
  assert.equal(other.scoreMany([{ id: 'x', values: { activeSeats: 80 } }]).scorecards[0].categories[0].score, 100);
});

test('a sparse array of 2^27 accounts is refused, columnar or not', () => {
  const model = new pkg.HealthModel(kpi);
  const sparse = new Array(2 ** 27);
  assert.throws(() => model.scoreMany(sparse, { columnar: true }), { code: 'too_large' });
  assert.throws(() => model.scoreMany(sparse), (e) => e.code === 'too_large' && /2000000 accounts/.test(e.help));
  assert.throws(() => new pkg.HealthModelSet({ version: 1, id: 's', models: [{ default: true, model: kpi }] }).scoreMany(sparse), { code: 'too_large' });
  stillRight(pkg);
});

test('a trap inside the module restarts it; models made before keep answering', () => {
  const scoring = makeRuntime(createBindings);
  scoring.startSync(readFileSync(new URL('pkg/web/customer_health_bg.wasm', root)));
  const api = makeApi(scoring);
  const before = new api.HealthModel(kpi);
  const sample = new api.HealthModel(json('samples/model.json'));
  const card = sample.score({ id: 'x', values: { activeSeats: 50 } });
  const memory = scoring.exports.memory;
  // Take every page the module may have: its allocator cannot grow any more.
  for (let pages = 16384; pages >= 1; ) {
    try {
      memory.grow(pages);
    } catch {
      pages >>= 1;
    }
  }
  const epoch = scoring.epoch;
  // A 3 MB text (under the 4 MB an account may be) needs 3 MB inside the
  // module: the allocation fails, the module traps.
  const huge = { id: 'x'.repeat(3 << 20), values: {} };
  assert.throws(() => before.score(huge), (e) => {
    assert.ok(e instanceof api.HealthScoreError);
    assert.equal(e.code, 'internal_error');
    assert.match(e.message, /restarted/);
    return true;
  });
  assert.equal(scoring.epoch, epoch + 1, 'a new instance');
  assert.ok(scoring.exports.memory.buffer.byteLength < 256 << 20, 'the new instance starts small');
  // Every model made before answers right, in the new instance.
  assert.equal(before.score(acme).score, 72.5);
  assert.deepEqual(sample.score({ id: 'x', values: { activeSeats: 50 } }), card);
  stillRight(api);
});

test('a freed model says so with a code', () => {
  const model = new pkg.HealthModel(kpi);
  model.free();
  assert.throws(() => model.score(acme), { code: 'freed' });
  assert.throws(() => model.scoreMany([acme]), { code: 'freed' });
});
