// `actionable: false` through the package (issues 25 and 26): the same
// levers from `score`, from `scoreMany` (scorecards built from columns) and
// from `levers`; no plan through such a measure; `describe` fills the
// default in. The model: (a + 3b) / 4 × 10, bands red 0, amber 50, green
// above 75 (tests/all/actionable.rs works the numbers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';
import { aAndB } from './a-and-b.mjs';

/** The shared model with extra fields on measure `a`. */
const doc = (a) => {
  const d = aAndB();
  Object.assign(d.categories[0].measures[0], a);
  return d;
};

test('a measure with actionable: false scores and is no lever, on every path', () => {
  const m = new HealthModel(doc({ actionable: false }));
  const account = { id: 'x', values: { a: 4, b: 4 } };
  const card = m.score(account);
  assert.equal(card.score, 40);
  assert.equal(card.categories[0].measures[0].pointsMissed, 15);
  assert.deepEqual(card.levers.map((l) => l.measureId), ['b']);
  assert.deepEqual(m.scoreMany([account]).scorecards[0].levers.map((l) => l.measureId), ['b']);
  assert.deepEqual(m.levers(account).map((l) => l.measureId), ['b']);
  // a 0, b 7 (52.5): only a reaches green (past 9); not actionable, no plan.
  assert.equal(m.plan({ id: 'y', values: { a: 0, b: 7 } }), null);
  assert.ok(new HealthModel(doc({})).plan({ id: 'y', values: { a: 0, b: 7 } }));
  assert.deepEqual(m.describe().measures.map((x) => x.actionable), [false, true]);
  // A CSM's measure is not a lever unless it says so; the hash is the same
  // with the default written out.
  const csm = new HealthModel(doc({ source: 'csm' }));
  assert.deepEqual(csm.score(account).levers.map((l) => l.measureId), ['b']);
  assert.equal(new HealthModel(doc({ actionable: true })).hash, new HealthModel(doc({})).hash);
});
