// History, alerts, staleness, update, explainChange, replay, prioritisation,
// band movement, playbooks and model sets through the JS API in Node: the
// same hand-worked cases as tests/history.rs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthModelSet, HealthScoreError, presets } from '../../pkg/index.node.mjs';

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `expected ${b}, got ${a}`);
const composite = (w, id = 'composite') => ({
  version: 1, id,
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
const day = (d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
const points = (pairs) => pairs.map(([d, score]) => ({ at: day(d), score }));
const kinds = (model, h) => model.alerts(h).map((a) => [a.kind, a.score]);

test('trend slope by hand', () => {
  const m = new HealthModel(composite([50, 30, 20]));
  const t = m.trend(points([[30, 70], [0, 60], [20, 66], [10, 62]]));
  close(t.slopePer30Days, 10.2);
  assert.equal(t.direction, 'up');
  assert.equal(t.snapshots, 4);
  close(t.changeSincePrevious, 4);
  close(t.changeOverWindow, 10);
  assert.equal(m.trend([]), null);
});

test('alerts fire by hand and not on noise', () => {
  const m = new HealthModel(composite([50, 30, 20]));
  assert.deepEqual(kinds(m, points([[0, 45], [1, 52.5]])), [['bandChanged', 52.5]]);
  assert.deepEqual(kinds(m, points([[0, 45], [1, 51]])), []);
  for (const h of [points([[0, 49], [1, 51], [2, 49], [3, 51], [4, 49]]), points([[0, 51], [1, 49], [2, 51], [3, 49]])]) {
    assert.ok(kinds(m, h).every(([k]) => k !== 'bandChanged'));
  }
  const drops = m.alerts(points([[0, 70], [10, 65], [20, 59], [25, 58]])).filter((a) => a.kind === 'scoreDropped');
  assert.equal(drops.length, 1);
  close(drops[0].change, 11);
  const declining = m.alerts(points([[0, 95], [30, 92], [60, 88]]));
  assert.deepEqual(declining.map((a) => a.kind), ['decliningWhileHealthy']);
  assert.equal(declining[0].message, 'Still Healthy at 88.0, but falling 3.5 points per 30 days.');
  assert.deepEqual(kinds(m, points([[0, 60], [10, 57], [20, 54]])), [['approachingBand', 54]]);
  assert.deepEqual(kinds(m, points([[0, 30], [30, 34], [60, 38], [90, 42]])), [['improving', 38]]);
  for (const s of [0, 50, 80, 80.1, 100]) assert.deepEqual(kinds(m, points([[0, s], [7, s], [14, s], [21, s]])), []);
});

test('history errors carry paths; the model keeps working', () => {
  const m = new HealthModel(composite([50, 30, 20]));
  const expect = (fn, code, path) => {
    try {
      fn();
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof HealthScoreError);
      assert.deepEqual([e.code, e.path], [code, path]);
    }
    assert.equal(m.score({ id: 'a', values: { ops: 4, com: 3, eng: 5 } }).score, 72.5);
  };
  expect(() => m.alerts([{ at: '2026-01-01', score: 1 }, { at: '2026-01-01', score: 2 }]), 'duplicate_date', '[1].at');
  expect(() => m.trend([{ at: 'yesterday', score: 1 }]), 'invalid_date', '[0].at');
  expect(() => m.trend([{ at: '2026-01-01', score: NaN }]), 'not_finite', '[0].score');
  expect(() => m.trend({}), 'wrong_type', '');
  expect(() => m.prioritise([], { objective: 'fun' }), 'invalid_value', 'objective');
  expect(() => m.bandMovement([], 'soon'), 'invalid_date', 'since');
});

test('staleness at zero, one and two half-lives', () => {
  const m = new HealthModel({
    version: 1, id: 'stale', bands: [{ id: 'low', color: '#d55e00', from: 0 }],
    categories: [{ id: 'c', weight: 1, measures: [{ id: 'csm', weight: 1, halfLifeDays: 30, rule: { type: 'scale', min: 0, max: 10 } }] }],
  });
  const acc = { id: 'a', values: { csm: 10 }, observedAt: { csm: '2026-01-01' } };
  for (const [asOf, age, weight, score] of [['2026-01-01', 0, 1, 100], ['2026-01-31', 30, 0.5, 75], ['2026-03-02', 60, 0.25, 62.5]]) {
    const card = m.score(acc, { asOf });
    close(card.score, score);
    assert.equal(card.categories[0].measures[0].ageDays, age);
    close(card.categories[0].measures[0].decayedWeight, weight);
  }
  assert.equal(m.score(acc).score, 100);
});

test('update returns the new scorecard and the alerts it caused', () => {
  const m = new HealthModel(presets['saas-points']);
  const previous = m.score({ id: 'p', segment: 'smb', value: 5000, values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }, { at: '2026-09-01' });
  const { scorecard, alerts } = m.update(previous, { complaints: 3 }, '2026-09-05');
  close(scorecard.score, 2700 / 94);
  assert.equal(scorecard.band.id, 'at_risk');
  assert.deepEqual(alerts.map((a) => a.kind).sort(), ['bandChanged', 'scoreDropped']);
  assert.deepEqual(alerts.find((a) => a.kind === 'scoreDropped').actions.map((a) => a.id), ['check-in']);
  assert.equal(scorecard.actions[0].id, 'act-today');
  assert.equal(scorecard.trend.changeSincePrevious < 0, true);
  assert.deepEqual(m.update(previous, { csm: 9 }, '2026-09-06').alerts, []);
  // With a history, the new snapshot's trend uses it.
  const history = [m.score({ id: 'p', values: { usage: 60, complaints: 0, follows: true, reacts: true, csm: 10 } }, { at: '2026-08-01' })];
  assert.equal(m.update(previous, { complaints: 3 }, '2026-09-05', { history }).scorecard.trend.snapshots, 3);
});

test('explainChange parts add up to the change', () => {
  const m = new HealthModel(composite([50, 30, 20]));
  const before = m.score({ id: 'a', values: { ops: 4, com: 3, eng: 5 } }, { at: '2026-01-01' });
  const after = m.score({ id: 'a', values: { ops: 5, eng: 5 } }, { at: '2026-02-01' });
  const e = m.explainChange(before, after);
  close(e.total, 27.5);
  close(e.measures.find((x) => x.measureId === 'ops').effect, 12.5);
  close(e.measures.find((x) => x.measureId === 'com').effect, -15);
  close(e.renormalization, 30);
  const sum = e.measures.reduce((s, x) => s + x.effect, 0) + e.renormalization + e.caps + e.staleness + e.modelChange;
  close(sum, e.total);
  const other = new HealthModel(composite([40, 35, 25]));
  const b2 = m.score({ id: 'a', values: { ops: 5, com: 1, eng: 1 } });
  const a2 = other.score({ id: 'a', values: { ops: 5, com: 1, eng: 1 } });
  close(other.explainChange(b2, a2).modelChange, -10);
});

test('prioritise, band movement, summary', () => {
  const m = new HealthModel(composite([50, 30, 20]));
  const card = (id, v, value, at) => m.score({ id, ...(value === undefined ? {} : { value }), values: { ops: v[0], com: v[1], eng: v[2] } }, at ? { at } : {});
  const cards = [card('A', [3, 3, 3], 100), card('B', [2, 1, 1], 10), card('C', [5, 5, 3], 1000), card('D', [1.5, 1, 1])];
  const r = m.prioritise(cards, { objective: 'retention' });
  assert.deepEqual(r.map((p) => p.accountId), ['C', 'A', 'B', 'D']);
  close(r[0].priority, 10000);
  assert.equal(m.prioritise(cards, { objective: 'retention', limit: 2 }).length, 2);
  assert.deepEqual(m.prioritise(cards, { objective: 'growth' }).map((p) => [p.accountId, p.priority]), [['C', 90000]]);
  const mv = m.bandMovement([card('a', [2, 2, 2], 1, '2026-01-01'), card('a', [4, 4, 4], 1, '2026-03-01')], '2026-02-01');
  assert.equal(mv.counts.action.watch, 1);
  assert.equal(m.summarize([...cards, null]).count, 4);
});

test('replay and model sets', () => {
  const root = new URL('../../', import.meta.url);
  const sample = new HealthModel(JSON.parse(readFileSync(new URL('samples/model.json', root))));
  const history = JSON.parse(readFileSync(new URL('samples/history.json', root))).snapshots;
  const r = sample.replay(history);
  assert.equal(r.points.length, 1200);
  assert.deepEqual(r.errors, []);
  const set = new HealthModelSet({
    version: 1, id: 'by-segment', models: [
      { when: { segments: ['enterprise'] }, model: composite([1, 1, 1], 'enterprise') },
      { when: { minValue: 100000 }, model: composite([1, 1, 1], 'big') },
      { default: true, model: composite([1, 1, 1], 'rest') },
    ],
  });
  assert.deepEqual(set.modelIds, ['enterprise', 'big', 'rest']);
  const pick = (segment, value) => set.score({ id: 'x', segment, value, values: { ops: 3 } }).modelId;
  assert.deepEqual([pick('enterprise', 2e5), pick('smb', 2e5), pick('smb', 1e3)], ['enterprise', 'big', 'rest']);
  assert.deepEqual(set.scoreMany([{ id: 'x', segment: 'enterprise', values: {} }, { id: 'y', values: { ops: 'x' } }]).errors.map((e) => e.path), ['[1].values.ops']);
  assert.throws(() => new HealthModelSet({ version: 1, id: 's', models: [{ when: { minValue: 1 }, model: composite([1, 1, 1]) }] }), (e) => e.code === 'missing_default' && e.path === 'models');
});
