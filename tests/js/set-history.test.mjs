// HealthModelSet's history calls (issue 16, item 6): each goes to the model
// that made the scorecards; conditions on the account's fields choose the
// model. Numbers as in tests/model_set.rs: (a + 3b) / 4 × 10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel, HealthModelSet } from '../../pkg/index.node.mjs';
import { aAndB } from './a-and-b.mjs';

const model = (id, extra = {}) => aAndB({ id, ...extra });
const onboardingDoc = model('onboarding', { alerts: { dropPoints: 5 } });
const setDoc = {
  version: 1, id: 'by-tenure',
  models: [
    { when: { fields: [{ field: 'tenure', op: '<', value: 90 }] }, model: onboardingDoc },
    { default: true, model: model('standard') },
  ],
};

test('fields choose the model; update, alerts, trend, explainChange, levers and plan use the model that made the scorecards', () => {
  const set = new HealthModelSet(setDoc);
  const onboarding = new HealthModel(onboardingDoc);
  const acme = { id: 'acme', values: { a: 8, b: 8 }, fields: { tenure: 30 } };
  const first = set.score(acme, { at: '2026-10-01' });
  assert.equal(first.modelId, 'onboarding');
  assert.equal(first.score, 80);
  assert.equal(set.score({ ...acme, fields: { tenure: 400 } }).modelId, 'standard');
  assert.equal(set.score({ ...acme, fields: {} }).modelId, 'standard');

  const up = set.update(first, { b: 6 }, '2026-10-08');
  assert.equal(up.scorecard.modelId, 'onboarding');
  assert.ok(Math.abs(up.scorecard.score - 65) < 1e-9);
  assert.deepEqual(up, onboarding.update(first, { b: 6 }, '2026-10-08'));
  assert.ok(up.alerts.some((a) => a.kind === 'scoreDropped'));

  const history = [first, up.scorecard];
  assert.deepEqual(set.alerts(history), onboarding.alerts(history));
  assert.deepEqual(set.trend(history), onboarding.trend(history));
  const why = set.explainChange(first, up.scorecard);
  assert.ok(Math.abs(why.total + 15) < 1e-9);

  const low = { id: 'acme', values: { a: 2, b: 4 }, fields: { tenure: 30 } };
  const levers = set.levers(low);
  assert.deepEqual(levers.map((l) => [l.measureId, Math.round(l.pointsMissed * 1e9) / 1e9]), [['b', 45], ['a', 20]]);
  assert.deepEqual(set.plan(low), onboarding.plan(low));

  assert.throws(() => set.update({ ...first, modelId: 'retired' }, {}), (e) => e.code === 'unknown_model' && e.path === 'modelId');
  assert.throws(() => set.update(first, {}, null, { histry: [] }), (e) => e.code === 'unknown_field');
  // The next good call still works.
  assert.ok(Math.abs(set.update(first, { a: 10 }).scorecard.score - 85) < 1e-9);
  set.free();
  onboarding.free();
});

test('bad fields are refused for that account only', () => {
  const set = new HealthModelSet(setDoc);
  const { scorecards, errors } = set.scoreMany([
    { id: 'ok', values: { a: 1 }, fields: { tenure: 3 } },
    { id: 'bad', values: { a: 1 }, fields: { tags: ['x'] } },
  ]);
  assert.equal(scorecards[0].modelId, 'onboarding');
  assert.equal(scorecards[1], null);
  assert.deepEqual(errors.map((e) => [e.index, e.code, e.path]), [[1, 'wrong_type', '[1].fields.tags']]);
  set.free();
});
