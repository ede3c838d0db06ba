// customer-health/edge in the real runtime (issues 14 and 24): events raise
// the alerts the library gives, delivered signed and retried; redeliveries
// apply once; 200 concurrent increments end exact; bad events store
// nothing; a killed and restarted workerd loses nothing; a new model is a
// model change; trends fire; half-lives rescore; the history is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { HealthModel } from '../../pkg/index.node.mjs';
import { verifyWebhook } from '../../pkg/webhook.mjs';
import { day, scaleModel, startEdge, startReceiver, until } from './harness.mjs';

let edge;
let hook;
let key;
let secret;
const doc = scaleModel();
const T = '/tenants/acme-co';
const call = (method, path, body) => edge.call(method, `${T}${path}`, body, key);

before(async () => {
  hook = await startReceiver();
  edge = await startEdge('core', { settings: { EDGE_RETRY_BASE_MS: 50, EDGE_RETRY_FACTOR: 2, EDGE_RETRY_CAP_MS: 400, EDGE_RESCORE_MS: 1500, EDGE_MAX_SNAPSHOTS: 12 } });
  key = await edge.keyFor('acme-co');
  assert.equal((await call('PUT', '/model', doc)).status, 200);
  const w = await call('PUT', '/webhook', { url: hook.url });
  assert.equal(w.status, 200, JSON.stringify(w.body));
  secret = w.body.secret;
  assert.match(secret, /^whsec_/);
});

after(async () => {
  await edge?.stop();
  hook?.close();
});

test('events raise the alerts the library gives, delivered signed, retried after failures, once per event id', async () => {
  hook.fail = 2;
  const xs = [67, 65, 65, 60, 50];
  const model = new HealthModel(doc);
  // What the library says for the same sequence.
  let card = model.score({ id: 'a1', values: { x: xs[0] } }, { at: day(1) });
  const expected = [];
  xs.slice(1).forEach((x, i) => {
    const u = model.update(card, { x }, day(8 + 7 * i));
    card = u.scorecard;
    for (const a of u.alerts) expected.push(`${a.at}:${a.kind}`);
  });
  assert.ok(expected.some((k) => k.endsWith(':bandChanged')), `the sequence has a colour change: ${expected}`);
  for (const [i, x] of xs.entries()) {
    const r = await call('POST', '/accounts/a1/events', { id: `e${i}`, at: day(1 + 7 * i), values: { x } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  const delivered = await until('every alert delivered', () => {
    const got = new Map(hook.received.filter((d) => d.key.startsWith('acme-co:a1:')).map((d) => [d.key, JSON.parse(d.body).alert]));
    return got.size >= expected.length && [...got.values()].map((a) => `${a.at}:${a.kind}`);
  }, { context: () => edge.log });
  assert.deepEqual(delivered.sort(), [...expected].sort());
  assert.ok(hook.attempts.length >= hook.received.length + 2, 'the receiver refused the first deliveries, and they were retried');
  for (const d of hook.received) {
    assert.deepEqual(await verifyWebhook(d.body, d.signature, [secret]), { ok: true, t: Number(/t=(\d+)/.exec(d.signature)[1]) });
    const body = JSON.parse(d.body);
    assert.equal(body.idempotencyKey, d.key);
    assert.equal(body.tenant, 'acme-co');
    assert.ok(Array.isArray(body.alert.actions));
  }
  // A redelivered event is applied once.
  const again = await call('POST', '/accounts/a1/events', { id: 'e2', at: day(15), values: { x: 65 } });
  assert.equal(again.body.duplicate, true);
  const history = await call('GET', '/accounts/a1/history');
  assert.deepEqual(history.body.snapshots.map((s) => s.score), xs);
  // The scorecard is the library's, bit for bit.
  const got = await call('GET', '/accounts/a1');
  assert.equal(got.body.scorecard.score, card.score);
  assert.deepEqual(got.body.scorecard.alertState, card.alertState);
  // An older event is refused.
  const old = await call('POST', '/accounts/a1/events', { id: 'late', at: day(2), values: { x: 1 } });
  assert.deepEqual([old.status, old.body.code], [409, 'out_of_order']);
});

test('bad events get 400 with a code and a path, and store nothing', async () => {
  await call('POST', '/accounts/b1/events', { id: 'first', at: day(1), values: { x: 50 } });
  const cases = [
    ['{ not json', 'invalid_json', ''],
    [{ id: 'u', at: day(2), values: { nope: 1 } }, 'unknown_measure', 'values.nope'],
    [{ id: 'v', at: day(2), values: { x: 'high' } }, 'not_a_number', 'values.x'],
    [{ at: day(2), values: { x: 1 } }, 'invalid_event', 'id'],
    [{ id: 'w', at: 'yesterday', values: { x: 1 } }, 'invalid_event', 'at'],
    [{ id: 'i', at: day(2), increments: { x: 'one' } }, 'invalid_event', 'increments.x'],
    [{ id: 'f', at: day(2), fields: [1] }, 'invalid_event', 'fields'],
    [{ id: 'n', at: day(2), value: 'lots' }, 'invalid_event', 'value'],
    ['['.repeat(5000) + ']'.repeat(5000), 'too_large', ''],
  ];
  for (const [body, code, path] of cases) {
    const r = await call('POST', '/accounts/b1/events', body);
    assert.equal(r.status, 400, `${code}: ${JSON.stringify(r.body)}`);
    assert.deepEqual([r.body.code, r.body.path], [code, path]);
    assert.equal(typeof r.body.help, 'string');
  }
  // 10 MB, refused before it is read (the answer comes while it is still being sent).
  const big = await new Promise((ok) => {
    const req = httpRequest(`http://127.0.0.1:${edge.port}${T}/accounts/b1/events`, { method: 'POST', headers: { 'content-length': 10 * 1024 * 1024, authorization: `Bearer ${key}` } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        ok({ status: res.statusCode, body: JSON.parse(text) });
        req.destroy();
      });
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * 1024, 32));
  });
  assert.deepEqual([big.status, big.body.code], [400, 'too_large']);
  const history = await call('GET', '/accounts/b1/history');
  assert.equal(history.body.snapshots.length, 1);
  // The events refused were not recorded: the same ids apply now.
  const ok = await call('POST', '/accounts/b1/events', { id: 'u', at: day(2), values: { x: 60 } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.scorecard.score, 60);
});

test('200 concurrent increments to one account end with the exact count', async () => {
  await call('POST', '/accounts/c1/events', { id: 'start', at: day(1), values: { x: 50, complaints: 0 } });
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => call('POST', '/accounts/c1/events', { id: `inc-${i}`, at: day(2), increments: { complaints: 1 } })));
  assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.find((r) => r.status !== 200)));
  const got = await call('GET', '/accounts/c1');
  const complaints = got.body.scorecard.categories[0].measures.find((m) => m.id === 'complaints');
  assert.equal(complaints.value, 200);
});

test('workerd killed mid-run and restarted: no snapshot or alert lost', async () => {
  hook.received.length = 0;
  hook.fail = 1000; // every delivery fails until the restart
  for (const [i, x] of [80, 70, 68, 30, 30].entries()) {
    const r = await call('POST', '/accounts/d1/events', { id: `d${i}`, at: day(1 + 7 * i), values: { x } });
    assert.equal(r.status, 200);
  }
  const beforeKill = await call('GET', '/accounts/d1');
  const pending = await until('alerts in the outbox', async () => {
    const o = await call('GET', '/accounts/d1/outbox');
    return o.body.pending.length > 0 && o.body.pending;
  });
  await edge.stop();
  hook.fail = 0;
  await edge.start();
  const afterRestart = await call('GET', '/accounts/d1');
  assert.deepEqual(afterRestart.body.scorecard, beforeKill.body.scorecard);
  assert.equal((await call('GET', '/accounts/d1/history')).body.snapshots.length, 5);
  const keys = await until('the pending alerts delivered after the restart', () => {
    const got = new Set(hook.received.filter((d) => d.key.startsWith('acme-co:d1:')).map((d) => d.key));
    return pending.every((p) => got.has(p.key)) && got;
  });
  assert.deepEqual([...keys].sort(), pending.map((p) => p.key).sort());
  const outbox = await until('an empty outbox', async () => {
    const o = await call('GET', '/accounts/d1/outbox');
    return o.body.pending.length === 0 && o.body;
  });
  assert.deepEqual(outbox.dead, []);
});

test('trends and drops fire at the edge, one event at a time', async () => {
  // 90, 88, 86, 84 weekly, then 70: down over five weeks, and 20 below the
  // peak within 30 days.
  let last;
  for (const [i, x] of [90, 88, 86, 84, 70].entries()) {
    last = await call('POST', '/accounts/t1/events', { id: `t${i}`, at: day(1 + 7 * i), values: { x } });
    assert.equal(last.status, 200);
  }
  assert.equal(last.body.scorecard.trend.direction, 'down');
  assert.ok(last.body.alerts.some((a) => a.kind === 'scoreDropped'), JSON.stringify(last.body.alerts.map((a) => a.kind)));
});

test('accounts whose values have a half-life are rescored without events', async () => {
  const stale = structuredClone(doc);
  stale.id = 'stale';
  stale.categories[0].measures[0].halfLifeDays = 30;
  const k = await edge.keyFor('stale-co');
  const s = (method, path, body) => edge.call(method, `/tenants/stale-co${path}`, body, k);
  assert.equal((await s('PUT', '/model', stale)).status, 200);
  // A value observed a year ago: rescored at the next period it has decayed toward 50.
  const first = await s('POST', '/accounts/s1/events', { id: 's0', at: '2025-12-01T00:00:00Z', values: { x: 90 } });
  assert.equal(first.body.scorecard.score, 90);
  let outbox;
  const history = await until('a rescored snapshot', async () => {
    outbox = (await s('GET', '/accounts/s1/outbox')).body;
    const h = (await s('GET', '/accounts/s1/history')).body;
    return h.snapshots.length >= 2 && h.snapshots;
  }, { context: () => JSON.stringify(outbox) });
  assert.equal(outbox.rescoreError, null);
  assert.ok(Date.parse(history[1].at) > Date.parse('2026-11-01'), history[1].at);
  assert.ok(history[1].score < 60 && history[1].score > 50, `decayed toward 50: ${history[1].score}`);
});

test('the history is bounded and thinned: its first snapshot and recent half stay', async () => {
  for (let i = 0; i < 30; i++) {
    const r = await call('POST', '/accounts/h1/events', { id: `h${i}`, at: `2026-04-${String(i + 1).padStart(2, '0')}T09:00:00Z`, values: { x: i } });
    assert.equal(r.status, 200);
  }
  const snaps = (await call('GET', '/accounts/h1/history')).body.snapshots;
  assert.ok(snaps.length <= 12 && snaps.length >= 6, `${snaps.length} snapshots`);
  assert.equal(snaps[0].score, 0, 'the first snapshot stays');
  assert.deepEqual(snaps.slice(-3).map((s) => Math.round(s.score)), [27, 28, 29], 'the recent ones stay');
  // Older points are sparser than recent ones.
  const gap = (a, b) => Date.parse(b.at) - Date.parse(a.at);
  assert.ok(gap(snaps[0], snaps[1]) > gap(snaps.at(-2), snaps.at(-1)));
  // The raw inputs travel with each point (for a replay under a new model).
  assert.equal(snaps.at(-1).values.x, 29);
});
