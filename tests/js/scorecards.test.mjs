// Object-mode scoreMany builds its scorecards from the columnar kernel's
// results in JS (js/scorecards.mjs). Every scorecard must be the one
// score() gives for the same account through JSON (same fields, same
// numbers, bit for bit, levers and actions included), every error the same
// with its index, and the summary that of summarize() over those
// scorecards: for every built-in model, over chunk boundaries, with rows
// that must go through JSON mixed in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthModelSet, presets } from '../../pkg/index.node.mjs';

const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));

/** A deterministic random generator (LCG). */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const measuresOf = (doc) => doc.categories.flatMap((c) => c.measures);

/** A value for a measure's rule: in and around its range, sometimes missing or null. */
function valueFor(rule, rnd) {
  const u = rnd();
  if (u < 0.08) return undefined;
  if (u < 0.1) return null;
  switch (rule.type) {
    case 'flag':
      return rnd() < 0.5;
    case 'match': {
      const keys = Object.keys(rule.scores);
      return keys[Math.floor(rnd() * keys.length)];
    }
    case 'perEvent':
      return Math.floor(rnd() * 6);
    case 'scale': {
      // Mostly in range; out of range is an error (out_of_range).
      const x = rule.min + rnd() * (rule.max - rule.min) * 1.04;
      return Math.round(x * 10) / 10;
    }
    default:
      return Math.round((rnd() * 240 - 20) * 10) / 10;
  }
}

function portfolio(doc, n, seed) {
  const rnd = rng(seed);
  const measures = measuresOf(doc);
  const accounts = [];
  for (let i = 0; i < n; i++) {
    const values = {};
    for (const m of measures) {
      const v = valueFor(m.rule, rnd);
      if (v !== undefined) values[m.id] = v;
    }
    const a = { id: i % 3 === 0 ? i : `acct-${i}`, values };
    if (rnd() < 0.5) a.name = `Account ${i}`;
    if (rnd() < 0.3) a.segment = rnd() < 0.5 ? 'enterprise' : 'smb';
    if (rnd() < 0.4) a.value = Math.round(rnd() * 1e5);
    accounts.push(a);
  }
  return accounts;
}

/** Rows the kernel path must hand to JSON, each at a known index. */
function hostile(doc) {
  const [m0, m1] = measuresOf(doc);
  const good = (id) => ({ id, values: {} });
  return [
    null,
    'text',
    { id: 'no-values' },
    { id: 'unknown', values: { nope: 1 } },
    { id: 'nan', values: { [m0.id]: NaN } },
    { id: 'inf', values: { [m0.id]: Infinity } },
    { id: 'wrong', values: { [m0.id]: m0.rule.type === 'flag' ? 1 : 'high' } },
    { id: 'observed', values: { [m1.id]: m1.rule.type === 'flag' ? true : 3 }, observedAt: { [m1.id]: '2026-01-01' } },
    { id: '', values: {} },
    { id: ' padded ', values: {} },
    { id: 'ünïcode', values: {} },
    { id: 'x'.repeat(300), values: {} },
    { id: 1.5, values: {} },
    { ...good('extra-key'), extra: 1 },
    { ...good('bad-name'), name: 5 },
    { ...good('neg-value'), value: -1 },
    { ...good('big-value'), value: 1e16 },
    { values: {} },
    { id: 'array-values', values: [1] },
  ];
}

function same(model, accounts, options) {
  const batch = model.scoreMany(accounts, options);
  assert.equal(batch.scorecards.length, accounts.length);
  const errors = [];
  const cards = accounts.map((a, i) => {
    try {
      return model.score(a, options);
    } catch (e) {
      for (const x of e.errors) errors.push({ index: i, ...x, path: x.path === '' ? `[${i}]` : x.path.startsWith('[') ? `[${i}]${x.path}` : `[${i}].${x.path}` });
      return null;
    }
  });
  for (let i = 0; i < accounts.length; i++) {
    // JSON.stringify reads every field, the lazy ones too (levers, actions, categories).
    assert.equal(JSON.stringify(batch.scorecards[i]), JSON.stringify(cards[i]), `account ${i}`);
  }
  assert.deepEqual(batch.errors.map((e) => [e.index, e.code]), errors.map((e) => [e.index, e.code]));
  const scored = cards.filter((c) => c !== null);
  assert.deepEqual(batch.summary, model.summarize(scored));
  return batch;
}

const models = {
  sample: json('samples/model.json'),
  ...presets,
  'sample, missing worst': (() => {
    const doc = json('samples/model.json');
    doc.categories[0].measures[0].missing = 'worst';
    return doc;
  })(),
};

for (const [name, doc] of Object.entries(models)) {
  test(`scoreMany = score, account by account: ${name}`, () => {
    const model = new HealthModel(doc);
    const accounts = portfolio(doc, 400, 7);
    accounts.splice(37, 0, ...hostile(doc));
    same(model, accounts);
    same(model, accounts, { at: '2026-09-30', asOf: '2026-10-15' });
    same(model, accounts.slice(0, 60), { ignoreUnknown: true });
  });
}

test('over chunk boundaries (16,384 accounts a chunk): indexes, errors and summary hold', () => {
  const doc = json('samples/model.json');
  const model = new HealthModel(doc);
  const accounts = portfolio(doc, 40000, 11);
  for (const at of [5, 16383, 16384, 16385, 39999]) accounts[at] = { id: `bad-${at}`, values: { nope: true } };
  const batch = same(model, accounts);
  const unknown = batch.errors.filter((e) => e.code === 'unknown_measure');
  assert.deepEqual(unknown.map((e) => e.index), [5, 16383, 16384, 16385, 39999]);
  assert.equal(unknown[2].path, '[16384].values.nope');
  // Values out of a scale's range, refused wherever they fall.
  assert.ok(batch.errors.some((e) => e.code === 'out_of_range' && e.index > 16384));
});

test('invalid dates refuse every account, as score does', () => {
  const doc = json('samples/model.json');
  const model = new HealthModel(doc);
  const batch = same(model, portfolio(doc, 5, 3), { at: 'yesterday' });
  assert.ok(batch.scorecards.every((c) => c === null));
  assert.deepEqual(batch.errors.map((e) => e.code), Array(5).fill('invalid_date'));
  assert.throws(() => model.scoreMany([], { nope: 1 }), { code: 'unknown_field', path: 'nope' });
});

test('scorecards are plain data: lazy fields read once, then own properties; spread and clone', () => {
  const doc = json('samples/model.json');
  const model = new HealthModel(doc);
  const a = { id: 'a', name: 'Acme', values: { activeSeats: 40, daysSinceLogin: 20, contract: 'One year', p1Open: true } };
  const [card] = model.scoreMany([a]).scorecards;
  const expected = model.score(a);
  assert.deepEqual(Object.keys(card), Object.keys(expected));
  // Changing the caller's account afterwards does not change the levers.
  a.values = {};
  assert.deepEqual(card.levers, expected.levers);
  assert.deepEqual(structuredClone(card), expected);
  assert.deepEqual({ ...card }, expected);
  card.categories = [];
  assert.deepEqual(card.categories, []);
});

test('the worked examples of DESIGN.md, built from columns', () => {
  // Points: total 23, score 100 × 57 / 94, neutral.
  const points = new HealthModel(presets['saas-points']);
  const account = { id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } };
  const [card] = points.scoreMany([account], { at: '2026-09-30' }).scorecards;
  assert.equal(card.total, 23);
  assert.ok(Math.abs(card.score - 5700 / 94) < 1e-12);
  assert.equal(card.band.id, 'neutral');
  assert.equal(card.at, '2026-09-30');
  assert.deepEqual(card, points.score(account, { at: '2026-09-30' }));
  // Weighted 40/35/25 over 1-5 scales: ops 4, com 3, eng 5 is 72.5.
  const kpi = new HealthModel(presets['composite-kpi']);
  const acme = { id: 'acme', values: { operations: 4, commercial: 3, engagement: 5 } };
  const [k] = kpi.scoreMany([acme]).scorecards;
  assert.ok(Math.abs(k.score - 72.5) < 1e-12);
  assert.deepEqual(k.categories.map((c) => c.score), [75, 50, 100]);
});

test('a model set scores many accounts in chunks, with the summary', () => {
  const doc = json('samples/model.json');
  const set = new HealthModelSet({
    version: 1,
    id: 'by-segment',
    models: [
      { when: { segments: ['enterprise'] }, model: { ...doc, id: 'ent', minCoverage: 0.9 } },
      { default: true, model: doc },
    ],
  });
  const accounts = portfolio(doc, 20000, 13);
  accounts[17000] = null;
  const batch = set.scoreMany(accounts);
  assert.equal(batch.scorecards.length, 20000);
  assert.equal(batch.scorecards[17000], null);
  assert.equal(batch.errors.find((e) => e.index === 17000).code, 'wrong_type');
  batch.scorecards.forEach((c, i) => {
    if (i % 997 === 0) assert.deepEqual(c, accounts[i] && c ? set.score(accounts[i]) : c, `account ${i}`);
  });
  assert.equal(batch.summary.count, batch.scorecards.filter((c) => c !== null).length);
  // Both models have the default's band ids: every account counts in its band.
  const cards = batch.scorecards.filter((c) => c !== null);
  assert.ok(cards.some((c) => c.modelId === 'ent') && cards.some((c) => c.modelId === doc.id));
  for (const band of ['action', 'watch', 'healthy', 'insufficient_data']) {
    assert.equal(batch.summary.bands[band].count, cards.filter((c) => c.band.id === band).length, band);
  }
});

test('priorityOrder gives prioritise\'s order and priorities, from plain fields', () => {
  const doc = json('samples/model.json');
  const model = new HealthModel(doc);
  const cards = model.scoreMany(portfolio(doc, 3000, 17)).scorecards.filter((c) => c !== null);
  // Some rising trends (growth takes the top band or rising accounts), equal scores for the tie-breaks.
  const up = model.trend([{ at: '2026-01-01', score: 10 }, { at: '2026-03-01', score: 20 }, { at: '2026-04-01', score: 30 }]);
  assert.equal(up.direction, 'up');
  cards.forEach((c, i) => {
    if (i % 7 === 0) c.trend = up;
    if (i % 11 === 0 && c.score !== null) c.score = 50;
  });
  for (const objective of ['retention', 'growth']) {
    const slow = model.prioritise(cards, { objective });
    const fast = model.priorityOrder(cards, { objective });
    assert.deepEqual([...fast.indexes].map((i) => cards[i].accountId), slow.map((p) => p.accountId), objective);
    assert.deepEqual([...fast.priorities], slow.map((p) => p.priority), objective);
  }
  assert.throws(() => model.priorityOrder([null]), { code: 'wrong_type', path: '[0]' });
  assert.throws(() => model.priorityOrder(cards, { objective: 'speed' }), { code: 'invalid_value', path: 'objective' });
});
