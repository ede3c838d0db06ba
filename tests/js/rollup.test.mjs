// Account hierarchies in the package (issue 16, item 1). Numbers as in
// tests/rollup.rs: score = (a + 3b) / 4 × 10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';
import { aAndB } from './a-and-b.mjs';

const doc = aAndB();

test('a parent from its children: value-weighted mean, worst child, errors', () => {
  const model = new HealthModel(doc);
  const { scorecards } = model.scoreMany([
    { id: 'eu', value: 300, values: { a: 6, b: 10 } },
    { id: 'us', value: 100, values: { a: 4, b: 4 } },
    { id: 'apac', value: 600, values: { a: 0, b: 8 } },
  ]);
  const parents = { eu: 'globex', us: 'globex', apac: 'globex' };
  const [mean] = model.rollup(scorecards, { parents });
  assert.ok(Math.abs(mean.score - 67) < 1e-9);
  assert.equal(mean.band.id, 'amber');
  assert.deepEqual(mean.children.map((c) => c.accountId), ['apac', 'us', 'eu']);
  assert.deepEqual([mean.levers[0].accountId, mean.levers[0].measureId], ['apac', 'a']);
  assert.ok(Math.abs(mean.levers[0].points - 15) < 1e-9);
  const [worst] = model.rollup(scorecards, { parents, method: 'worst' });
  assert.equal(worst.score, 40);
  assert.throws(() => model.rollup(scorecards, { parents: { eu: 'x', x: 'eu' } }), (e) => e.code === 'cycle');
  assert.throws(() => model.rollup(scorecards, { parents, method: 'median' }), (e) => e.path === 'method');
  assert.throws(() => model.rollup(scorecards, { parents, sort: true }), (e) => e.code === 'unknown_field');
  assert.equal(model.rollup(scorecards, { parents }).length, 1);
  model.free();
});

test('over columns: a lever without its points is no lever, and parents as a Map is read as the object', () => {
  const model = new HealthModel(doc);
  const [us] = model.scoreMany([{ id: 'us', value: 100, values: { a: 4, b: 4 } }]).scorecards;
  const other = { ...JSON.parse(JSON.stringify(us)), accountId: 'eu', score: 80, band: { id: 'green' } };
  const pointless = { ...JSON.parse(JSON.stringify(us)), levers: [{ measureId: 'b', pointsMissed: null }] };
  const [worst] = model.rollup([pointless, other], { parents: { us: 'p', eu: 'p' }, method: 'worst' });
  assert.equal(worst.score, 40);
  assert.deepEqual(worst.levers, []);
  // A Map of the same links gives the same parents as the object (the
  // object's children come in the scorecards' order and are not sent
  // again; the Map's come in another order and are).
  const cards = [us, other];
  const asObject = model.rollup(cards, { parents: { us: 'p', eu: 'p' } });
  assert.deepEqual(model.rollup(cards, { parents: new Map([['eu', 'p'], ['us', 'p']]) }), asObject);
  assert.equal(asObject[0].score, 60); // (40·100 + 80·100) / 200
  // Its errors are the object's, at the same paths.
  assert.throws(() => model.rollup([us], { parents: new Map([['us', 'p'], ['x', 'p']]) }), (e) => e.code === 'orphan' && e.path === 'parents.x');
  assert.throws(() => model.rollup([us], { parents: new Map([['us', 1]]) }), (e) => e.code === 'wrong_type' && e.path === 'parents.us');
  assert.throws(() => model.rollup([us], { parents: new Map([['us', '\ud800']]) }), (e) => e.code === 'invalid_text' && e.path === 'parents.us');
  assert.throws(() => model.rollup([us], { parents: new Map([[7, 'p']]) }), (e) => e.code === 'wrong_type' && e.path === 'parents');
  // A key that is not text is named whatever comes before it.
  assert.throws(() => model.rollup([us], { parents: new Map([['us', 5], [7, 'p']]) }), (e) => e.code === 'wrong_type' && e.path === 'parents');
  // A hand-made scorecard whose id holds half a character is refused at
  // its place (it was an internal error), with a null before it counted;
  // a backslash before "ud8" in an id is no half character.
  const half = { ...us, accountId: 'us\\ud800' };
  assert.throws(() => model.rollup([null, other, { ...us, accountId: 'x\ud800' }], { parents: { eu: 'p' } }), (e) => e.code === 'invalid_text' && e.path === '[2].accountId');
  const [slash] = model.rollup([half, other], { parents: { 'us\\ud800': 'p', eu: 'p' } });
  assert.equal(slash.children.length, 2);
  // Parents named in several runs, and children in no order, roll up as one list does.
  const many = ['b', 'a', 'c', 'e', 'd'].map((id, i) => ({ ...us, accountId: id, score: 10 * i, value: 1 }));
  const [p1, p2] = model.rollup(many, { parents: new Map([['d', 'p2'], ['a', 'p1'], ['e', 'p1'], ['b', 'p2'], ['c', 'p1']]) });
  assert.deepEqual([p1.accountId, p1.children.map((c) => c.accountId).sort(), p2.accountId, p2.children.map((c) => c.accountId).sort()], ['p1', ['a', 'c', 'e'], 'p2', ['b', 'd']]);
  assert.deepEqual([p1.score, p2.score], [(10 + 20 + 30) / 3, (0 + 40) / 2]);
});
