// Issue 22, one core and a thin boundary: portfolio calls read only what
// they need of each scorecard (never a breakdown), model sets check their
// options and do what a model does, and every derived number of a
// scorecard comes from the core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthModelSet, presets } from '../../pkg/index.node.mjs';

const sample = JSON.parse(readFileSync(new URL('../../samples/model.json', import.meta.url), 'utf8'));
const accounts = JSON.parse(readFileSync(new URL('../../samples/portfolio.json', import.meta.url), 'utf8')).accounts;
// (the plain fields only: these are built from columns, their breakdowns on first read)
const plain = accounts.map(({ id, name, segment, value, values }) => ({ id, name, segment, value, values }));

/** A copy of a scorecard whose breakdown, levers and actions throw when read (the original's are not read). */
function sealed(card, { levers = false } = {}) {
  const out = {};
  for (const k of Object.keys(card)) {
    if (k === 'categories' || k === 'actions' || (k === 'levers' && !levers)) {
      Object.defineProperty(out, k, { enumerable: true, get() { throw new Error(`${k} was read`); } });
    } else out[k] = card[k];
  }
  return out;
}

test('portfolio calls read no breakdown: summarize, priorityOrder, prioritise, bandMovement, rollup', () => {
  const model = new HealthModel(sample);
  const { scorecards, summary } = model.scoreMany(plain, { at: '2026-11-01' });
  const cards = scorecards.filter((c) => c !== null);
  assert.deepEqual(model.summarize(cards.map((c) => sealed(c))), summary);
  const order = model.priorityOrder(cards.map((c) => sealed(c)));
  assert.equal(order.indexes.length, cards.filter((c) => c.score !== null).length);
  // prioritise copies the scorecards it returns: one built from columns
  // keeps its breakdown, levers and actions unread, on both copies.
  const top = model.prioritise(cards, { limit: 3 });
  assert.deepEqual(top.map((p) => p.accountId), [...order.indexes].slice(0, 3).map((i) => cards[i].accountId));
  assert.deepEqual(Object.keys(top[0]).slice(0, 2), ['priority', 'accountId']);
  const unread = (c, k) => typeof Object.getOwnPropertyDescriptor(c, k).get === 'function';
  for (const k of ['categories', 'levers', 'actions']) {
    assert.ok(unread(top[0], k) && unread(cards[order.indexes[0]], k), k);
  }
  assert.deepEqual(top[0].categories, model.score(plain.find((a) => a.id === top[0].accountId), { at: '2026-11-01' }).categories);
  const moved = model.bandMovement(cards.map((c) => sealed(c)), '2026-10-01');
  assert.equal(moved.since, '2026-10-01');
  // rollup reads each child's best lever, but never its breakdown.
  const parents = Object.fromEntries(cards.slice(0, 10).map((c) => [c.accountId, 'group']));
  const [group] = model.rollup(cards.slice(0, 10).map((c) => sealed(c, { levers: true })), { parents });
  assert.equal(group.children.length, 10);
});

test('portfolio calls refuse what is not a scorecard with a coded error at its index, and the next call works', () => {
  const model = new HealthModel(presets['composite-kpi']);
  const card = model.score({ id: 'a', values: { operations: 4 } });
  for (const call of [(c) => model.summarize(c), (c) => model.priorityOrder(c), (c) => model.prioritise(c), (c) => model.bandMovement(c, '2026-01-01')]) {
    assert.throws(() => call([card, { score: 3 }]), (e) => e.code === 'wrong_type' && e.path === '[1]');
  }
  for (const call of [(c) => model.summarize(c), (c) => model.priorityOrder(c), (c) => model.prioritise(c)]) {
    assert.throws(() => call([card, { ...card, score: 'high' }]), (e) => e.code === 'wrong_type' && e.path === '[1]');
  }
  assert.throws(() => model.bandMovement([card, { ...card, at: 7 }], '2026-01-01'), (e) => e.code === 'wrong_type' && e.path === '[1]');
  assert.equal(model.summarize([card, null]).count, 1);
});

test('a model set checks its scoreMany options as a model does, and dates its scorecards', () => {
  const set = new HealthModelSet({ version: 1, id: 's', models: [{ default: true, model: presets['composite-kpi'] }] });
  const { scorecards } = set.scoreMany([{ id: 'a', values: { operations: 4 } }], { at: '2026-09-30' });
  assert.equal(scorecards[0].at, '2026-09-30');
  assert.throws(() => set.scoreMany([{ id: 'a', values: {} }], { att: '2026-09-30' }), (e) => e.code === 'unknown_field' && e.path === 'att');
  // (an invalid date refuses every account, as a model's scoreMany does)
  assert.deepEqual(set.scoreMany([{ id: 'a', values: {} }], { at: 'soon' }).errors.map((e) => e.code), ['invalid_date']);
  assert.equal(set.scoreMany([{ id: 'b', values: { operations: 2 } }]).scorecards[0].at, null);
});

const two = [
  { id: 'low', label: 'Low', color: '#d55e00', from: 0 },
  { id: 'high', label: 'High', color: '#009e73', from: 60 },
];
const one = (id, bands, weight) => ({
  version: 1, id, bands,
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'x', weight, rule: { type: 'scale', min: 0, max: 10 } },
    { id: 'y', weight: 1, rule: { type: 'scale', min: 0, max: 10 } },
  ] }],
});
const setDoc = {
  version: 1, id: 'by-segment',
  models: [
    { when: { segments: ['enterprise'] }, model: one('enterprise', two, 3) },
    { default: true, model: one('rest', presets['composite-kpi'].bands, 1) },
  ],
};

test('a model set does what a model does: hash, toJSON, summarize, prioritise, replay, scoreColumns', () => {
  const set = new HealthModelSet(setDoc);
  // hash and toJSON: canonical, stable, and the set rebuilds from its JSON.
  assert.match(set.hash, /^[0-9a-f]{64}$/);
  assert.equal(new HealthModelSet(set.toJSON()).hash, set.hash);
  assert.equal(new HealthModelSet(JSON.stringify(setDoc)).hash, set.hash);
  assert.notEqual(new HealthModelSet({ ...setDoc, id: 'other' }).hash, set.hash);
  assert.equal(set.toJSON().models[1].default, true);
  // enterprise: (3·x + y) / 4 × 10; rest: (x + y) / 2 × 10.
  const accts = [
    { id: 'e1', segment: 'enterprise', value: 100, values: { x: 8, y: 4 } }, // 70 high
    { id: 'e2', segment: 'enterprise', value: 50, values: { x: 2, y: 2 } }, // 20 low
    { id: 'r1', segment: 'smb', value: 10, values: { x: 9, y: 9 } }, // 90 healthy
  ];
  const batch = set.scoreMany(accts);
  assert.deepEqual(batch.scorecards.map((c) => c.score), [70, 20, 90]);
  assert.deepEqual(set.summarize(batch.scorecards), batch.summary);
  assert.equal(set.summarize(batch.scorecards).bands.high.count, 1);
  // growth: each account in its own model's top band.
  assert.deepEqual(set.prioritise(batch.scorecards, { objective: 'growth' }).map((p) => [p.accountId, p.priority]), [['e1', 7000], ['r1', 900]]);
  assert.deepEqual(set.prioritise(batch.scorecards, { limit: 1 }).map((p) => p.accountId), ['e2']);
  // replay: each snapshot under the model that applies to it.
  const replay = set.replay([
    { accountId: 'e1', at: '2026-01-01', segment: 'enterprise', values: { x: 8, y: 4 } },
    { accountId: 'r1', at: '2026-01-01', values: { x: 9, y: 9 } },
    { accountId: 'bad', at: '2026-01-01', values: { x: 'eight' } },
  ]);
  assert.equal(replay.modelHash, set.hash);
  assert.deepEqual(replay.points.map((p) => [p.accountId, p.score, p.band]), [['e1', 70, 'high'], ['r1', 90, 'healthy']]);
  assert.deepEqual(replay.errors.map((e) => [e.index, e.code, e.path]), [[2, 'not_a_number', '[2].values.x']]);
  // scoreColumns: the model chosen per row by its segment.
  const cols = set.scoreColumns({ x: new Float64Array([8, 2, 9]), y: [4, 2, 9] }, { segments: ['enterprise', 'enterprise', null] });
  assert.deepEqual([...cols.scores], [70, 20, 90]);
  assert.deepEqual([...cols.models], [0, 0, 1]);
  assert.deepEqual([...cols.bands].map((b) => set.bandIds[b]), ['high', 'low', 'healthy']);
  assert.throws(() => set.scoreColumns({ z: [1] }), (e) => e.code === 'unknown_measure' && e.path === 'columns.z');
  assert.throws(() => set.scoreColumns({ x: [1] }, { segmnts: [] }), (e) => e.code === 'unknown_field');
  const flagged = set.scoreColumns({ x: [11, 5] });
  assert.deepEqual(flagged.errors.map((e) => [e.index, e.code]), [[0, 'out_of_range']]);
  assert.equal(flagged.scores[1], 50);
});

test('every number of a scorecard built from columns is the core\'s: overrides, caps, penalty, disagreements', () => {
  const doc = structuredClone(sample);
  doc.coveragePenalty = 0.5;
  doc.caps = [{ when: { measure: 'nps', op: '<=', value: 2 }, max: 45, reason: 'Detractor' }];
  doc.overrides = Array.from({ length: 70 }, (_, i) => ({ when: { all: [{ measure: 'activeSeats', op: '>=', value: i }] }, floor: i % 40, reason: `floor ${i}` }));
  const model = new HealthModel(doc);
  const some = accounts.slice(0, 300);
  const batch = model.scoreMany(some);
  for (let i = 0; i < some.length; i++) {
    const card = batch.scorecards[i];
    if (card === null) continue;
    assert.deepEqual(card, model.score(some[i]), some[i].id);
  }
  assert.ok(batch.scorecards.some((c) => c && c.overrides.length > 64), 'more than 64 caps and overrides hold in a row');
});
