// Everything the library scores, the edge scores (issue 24, item 7): events
// carry fields (a per-seat measure), the account's value, the CSM's notes
// and series (on every event, not only the first); the daily alarm flags
// stale values. Each edge scorecard is compared with the library's for the
// same inputs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';
import { startEdge, until } from './harness.mjs';

let edge;
let key;
const doc = {
  version: 1, id: 'parity',
  bands: [
    { id: 'low', label: 'Low', color: '#d55e00', from: 0 },
    { id: 'high', label: 'High', color: '#009e73', from: 50 },
  ],
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'logins', weight: 1, per: 'seats', rule: { type: 'scale', min: 0, max: 10 } },
    { id: 'usage', weight: 1, series: { derive: 'slope' }, rule: { type: 'scale', min: -100, max: 100 } },
    { id: 'nps', weight: 1, staleAfterDays: 30, rule: { type: 'scale', min: 0, max: 10 } },
  ] }],
};
const model = new HealthModel(doc);
const call = (method, path, body) => edge.call(method, `/tenants/p${path}`, body, key);
// Series points are dated days apart; events are dated in the last hours (an event older than a
// day would be followed at once by the daily rescoring, at today's date).
const t0 = Date.now() - 31 * 86_400_000;
const iso = (d) => new Date(t0 + d * 86_400_000).toISOString();
const hoursAgo = (h) => new Date(Date.now() - h * 3_600_000).toISOString();

/** What both must agree on: everything but the trend, the alert state and the actions (history-dependent). */
const core = (c) => ({
  score: c.score, band: c.band.id, value: c.value, coverage: c.coverage, stale: c.stale, missing: c.missing,
  measures: c.categories[0].measures.map((m) => ({ id: m.id, value: m.value, per: m.per, note: m.note, seriesPoints: m.seriesPoints, status: m.status, contribution: m.contribution })),
});

let stale;
let staleKey;
const staleCall = (method, path, body) => stale.call(method, `/tenants/p${path}`, body, staleKey);

before(async () => {
  // The daily rescoring as it is (a day), and one every second for staleness.
  edge = await startEdge('parity');
  key = await edge.keyFor('p');
  assert.equal((await call('PUT', '/model', doc)).status, 200);
  stale = await startEdge('parity-stale', { settings: { EDGE_RESCORE_MS: 1000 } });
  staleKey = await stale.keyFor('p');
  assert.equal((await staleCall('PUT', '/model', doc)).status, 200);
});

after(async () => {
  await edge?.stop();
  await stale?.stop();
});

test('fields, value, notes and series on every event score as the library scores the same account', async () => {
  const usage1 = [{ at: iso(0), value: 10 }, { at: iso(10), value: 20 }, { at: iso(20), value: 30 }];
  const usage2 = [{ at: iso(20), value: 30 }, { at: iso(30), value: 20 }];
  const note = { author: 'csm@example.com', at: iso(30), comment: 'seats doubled at renewal' };
  const [e1, e2, e3] = [hoursAgo(3), hoursAgo(2), hoursAgo(1)];
  const steps = [
    [{ id: 'e1', at: e1, values: { logins: 80, usage: usage1, nps: 8 }, fields: { seats: 10 }, value: 120000 },
      { id: 'a', value: 120000, fields: { seats: 10 }, values: { logins: 80, usage: usage1, nps: 8 }, observedAt: { logins: e1, usage: e1, nps: e1 } }],
    // Seats double, the usage series is sent again (falling), a note explains the logins.
    [{ id: 'e2', at: e2, values: { usage: usage2 }, fields: { seats: 20 }, notes: { logins: note } },
      { id: 'a', value: 120000, fields: { seats: 20 }, values: { logins: 80, usage: usage2, nps: 8 }, observedAt: { logins: e1, usage: e2, nps: e1 }, notes: { logins: note } }],
    // The account's worth changes; an increment to logins drops the note (a changed value).
    [{ id: 'e3', at: e3, value: 90000, increments: { logins: 20 } },
      { id: 'a', value: 90000, fields: { seats: 20 }, values: { logins: 100, usage: usage2, nps: 8 }, observedAt: { logins: e3, usage: e2, nps: e1 } }],
  ];
  for (const [event, account] of steps) {
    const r = await call('POST', '/accounts/a/events', event);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const library = model.score(account, { at: event.at });
    assert.deepEqual(core(r.body.scorecard), core(library), event.id);
  }
  // By hand, the last step: 100 logins / 20 seats = 5 → 50; usage -1 a day → -30 per 30 days → 35; nps 8 → 80.
  const last = (await call('GET', '/accounts/a')).body.scorecard;
  assert.ok(Math.abs(last.score - (50 + 35 + 80) / 3) < 1e-9, last.score);
  assert.equal(last.categories[0].measures[0].per.divisor, 20);
  assert.equal(last.value, 90000);
});

test('the daily alarm flags a stale value without events, as the library does at the same date', async () => {
  // nps observed 60 days ago: stale after 30. The first scorecard is at the event's date (fresh).
  const at = new Date(Date.now() - 60 * 86_400_000).toISOString();
  const first = await staleCall('POST', '/accounts/s/events', { id: 's1', at, values: { nps: 7 }, fields: { seats: 1 } });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body.scorecard.stale, []);
  const rescored = await until('a rescoring by the alarm', async () => {
    const h = (await staleCall('GET', '/accounts/s/history')).body.snapshots;
    return h.length >= 2 && h.at(-1);
  }, { context: () => stale.log });
  const card = (await staleCall('GET', '/accounts/s')).body.scorecard;
  assert.equal(card.at, rescored.at);
  assert.deepEqual(card.stale, ['nps']);
  const library = model.score({ id: 's', fields: { seats: 1 }, values: { nps: 7 }, observedAt: { nps: at } }, { at: card.at });
  assert.deepEqual(core(card), core(library));
});
