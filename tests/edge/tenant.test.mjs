// Tenant operations, clocks, backfill, model moves and bounded storage at the
// edge (issue 24, items 3 to 6): accounts listed by page, a summary kept by
// the tenant, history pages, export, erasure that leaves nothing of the
// account on disk, events from the future refused, a backfill that builds
// the history without delivering the past, every account moved to a new
// model without events, event ids forgotten past the replay horizon.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';
import { day, scaleModel, startEdge, startReceiver, until } from './harness.mjs';

let edge;
let hook;
let key;
const T = '/tenants/ops';
const call = (method, path, body) => edge.call(method, `${T}${path}`, body, key);
const doc = scaleModel('ops');

before(async () => {
  hook = await startReceiver();
  edge = await startEdge('tenant', { settings: { EDGE_REPLAY_DAYS: 30, EDGE_MOVE_BATCH: 2, EDGE_MOVE_EVERY_MS: 100, EDGE_RETRY_BASE_MS: 100 } });
  key = await edge.keyFor('ops');
  assert.equal((await call('PUT', '/model', doc)).status, 200);
  assert.equal((await call('PUT', '/webhook', { url: hook.url })).status, 200);
});

after(async () => {
  await edge?.stop();
  hook?.close();
});

test('accounts are listed by page with band and score, and the tenant keeps the portfolio summary current', async () => {
  // x: 10 (at risk), 50 (neutral), 70 and 90 (opportunity); values 100, 200, 300, 400.
  const rows = [['p1', 10, 100], ['p2', 50, 200], ['p3', 70, 300], ['p4', 90, 400]];
  for (const [id, x, value] of rows) {
    assert.equal((await call('POST', `/accounts/${id}/events`, { id: 'e', at: day(1), values: { x }, value })).status, 200);
  }
  const pages = [];
  let cursor = '';
  for (;;) {
    const r = await call('GET', `/accounts?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    pages.push(r.body.accounts);
    if (!r.body.next) break;
    cursor = r.body.next;
  }
  const listed = pages.flat().filter((a) => a.id.startsWith('p'));
  assert.deepEqual(pages.map((p) => p.length).slice(0, 1), [3]);
  assert.deepEqual(listed.map((a) => [a.id, a.score, a.band, a.value]), [
    ['p1', 10, 'at_risk', 100], ['p2', 50, 'neutral', 200], ['p3', 70, 'opportunity', 300], ['p4', 90, 'opportunity', 400],
  ]);
  const s = (await call('GET', '/summary')).body;
  const ours = (band) => s.bands.find((b) => b.band === band);
  assert.equal(s.accounts, listed.length + pages.flat().filter((a) => !a.id.startsWith('p')).length);
  assert.deepEqual(s.bands.map((b) => b.band).slice(0, 3), ['at_risk', 'neutral', 'opportunity']);
  assert.ok(ours('opportunity').accounts >= 2 && ours('opportunity').value >= 700);
  // One more event moves p1 up: the summary follows without reading the accounts.
  await call('POST', '/accounts/p1/events', { id: 'e2', at: day(2), values: { x: 95 } });
  const s2 = (await call('GET', '/summary')).body;
  assert.equal(s2.bands.find((b) => b.band === 'at_risk').accounts, ours('at_risk').accounts - 1);
  assert.equal(s2.bands.find((b) => b.band === 'opportunity').value, ours('opportunity').value + 100);
  assert.ok(Math.abs(s2.meanScore * s2.scored - (s.meanScore * s.scored + 85)) < 1e-9);
});

test('a history is read by pages with a cursor', async () => {
  for (let i = 0; i < 7; i++) await call('POST', '/accounts/h1/events', { id: `h${i}`, at: day(1 + i), values: { x: 10 * i } });
  const seen = [];
  let next = null;
  let pages = 0;
  do {
    const r = await call('GET', `/accounts/h1/history?limit=3${next ? `&cursor=${next}` : ''}`);
    assert.equal(r.status, 200);
    seen.push(...r.body.snapshots.map((p) => p.score));
    next = r.body.next;
    pages++;
  } while (next);
  assert.equal(pages, 3);
  assert.deepEqual(seen, [0, 10, 20, 30, 40, 50, 60]);
});

test('an account is exported whole, then erased: every row, its alarm, and its files', async () => {
  const marker = 'erase-me-7f3a9c';
  await call('POST', '/accounts/gone/events', { id: 'g1', at: day(1), values: { x: 80 }, fields: { region: marker } });
  await call('POST', '/accounts/gone/events', { id: 'g2', at: day(2), values: { x: 20 }, notes: { x: { author: 'csm', comment: `${marker} note` } } });
  const exported = (await call('GET', '/accounts/gone/export')).body;
  assert.equal(exported.accountId, 'gone');
  assert.equal(exported.inputs.fields.region, marker);
  assert.deepEqual(exported.events.map((e) => e.id), ['g1', 'g2']);
  assert.equal(exported.snapshots.length, 2);
  assert.equal(exported.scorecard.score, 20);
  const onDisk = () => edge.files().filter(([, bytes]) => bytes.includes(marker)).map(([p]) => p);
  assert.ok(onDisk().length > 0, 'the marker is stored before');
  const erased = await call('DELETE', '/accounts/gone');
  assert.deepEqual([erased.status, erased.body.erased], [200, true]);
  assert.deepEqual(onDisk(), [], 'nothing of the account is left on disk');
  assert.equal((await call('GET', '/accounts/gone')).status, 404);
  assert.ok(!(await call('GET', '/accounts?limit=1000')).body.accounts.some((a) => a.id === 'gone'));
  assert.equal((await call('DELETE', '/accounts/gone')).status, 404);
});

test('an event dated in the future is refused and stores nothing; the account goes on', async () => {
  await call('POST', '/accounts/clock/events', { id: 'c1', at: day(1), values: { x: 40 } });
  for (const at of ['2099-01-01T00:00:00Z', '9999-12-31T00:00:00Z', new Date(Date.now() + 10 * 60_000).toISOString()]) {
    const r = await call('POST', '/accounts/clock/events', { id: `f-${at}`, at, values: { x: 1 } });
    assert.deepEqual([r.status, r.body.code, r.body.path], [400, 'in_future', 'at']);
  }
  const now = await call('POST', '/accounts/clock/events', { id: 'c2', at: new Date().toISOString(), values: { x: 45 } });
  assert.equal(now.status, 200);
  assert.equal((await call('GET', '/accounts/clock/history')).body.snapshots.length, 2);
});

test('a backfill builds the history in one request, delivers none of the past, and ends as if the events had been live', async () => {
  const xs = Array.from({ length: 365 }, (_, i) => Math.round(50 + 45 * Math.sin(i / 20)));
  const at = (i) => new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString();
  const events = xs.map((x, i) => ({ id: `b${i}`, at: at(i), values: { x } }));
  const received = hook.received.length;
  const r = await call('POST', '/accounts/back/backfill', { events });
  assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 500));
  assert.equal(r.body.applied, 365);
  assert.ok(r.body.alertsNotDelivered > 0, 'the past had alerts');
  // What the library gives for the same events, one after another.
  const model = new HealthModel(doc);
  let card = model.score({ id: 'back', values: { x: xs[0] }, observedAt: { x: at(0) } }, { at: at(0) });
  const history = [card];
  for (let i = 1; i < xs.length; i++) {
    card = model.update(card, { x: xs[i] }, at(i), { history }).scorecard;
    history.push(card);
  }
  assert.equal(r.body.scorecard.score, card.score);
  assert.deepEqual(r.body.scorecard.alertState, card.alertState);
  assert.deepEqual(r.body.scorecard.trend, card.trend);
  assert.equal((await call('GET', '/accounts/back/history?limit=1000')).body.snapshots.length, 365);
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(hook.received.filter((d) => d.key.startsWith('ops:back:')).length, 0, 'no alert of the past delivered');
  assert.equal(hook.received.length, received);
  // The end of it sent again: every event skipped (ids are remembered for the
  // replay horizon, 30 days here); the whole year again: refused as too old.
  const again = await call('POST', '/accounts/back/backfill', { events: events.slice(-20) });
  assert.deepEqual([again.status, again.body.applied, again.body.skipped], [200, 0, 20]);
  const year = await call('POST', '/accounts/back/backfill', { events });
  assert.deepEqual([year.status, year.body.code, year.body.path], [409, 'too_old', 'events[0].at']);
  // A live event after it raises alerts as usual.
  const live = await call('POST', '/accounts/back/events', { id: 'live', at: at(365), values: { x: 0 } });
  assert.ok(live.body.alerts.length > 0);
  await until('the live alert delivered', () => hook.received.some((d) => d.key.startsWith('ops:back:')));
  // Out of order inside a batch, or over the limit: refused with a path, nothing stored.
  const bad = await call('POST', '/accounts/back2/backfill', { events: [{ id: 'z1', at: at(5), values: { x: 1 } }, { id: 'z0', at: at(4), values: { x: 1 } }] });
  assert.deepEqual([bad.status, bad.body.code, bad.body.path], [409, 'out_of_order', 'events[1].at']);
  const wrong = await call('POST', '/accounts/back2/backfill', { events: [{ id: 'z1', at: at(5), values: { x: 1 } }, { id: 'z2', at: at(6), values: { nope: 1 } }] });
  assert.deepEqual([wrong.status, wrong.body.code, wrong.body.path], [400, 'unknown_measure', 'events[1].values.nope']);
  assert.equal((await call('GET', '/accounts/back2')).status, 404, 'a refused backfill stores nothing');
});

test('event ids are forgotten past the replay horizon: an old redelivery is refused, never applied twice; a reused id with other content is a conflict', async () => {
  await call('POST', '/accounts/r1/events', { id: 'old', at: day(1), values: { x: 10 } });
  await call('POST', '/accounts/r1/events', { id: 'mid', at: day(40), values: { x: 20 } });
  await call('POST', '/accounts/r1/events', { id: 'new', at: day(60), values: { x: 30 } });
  const ids = (await call('GET', '/accounts/r1/export')).body.events.map((e) => e.id);
  assert.deepEqual(ids, ['mid', 'new'], 'the id of day 1 is forgotten (30 days before day 60)');
  const old = await call('POST', '/accounts/r1/events', { id: 'old', at: day(1), values: { x: 10 } });
  assert.deepEqual([old.status, old.body.code], [409, 'too_old']);
  const mid = await call('POST', '/accounts/r1/events', { id: 'mid', at: day(40), values: { x: 20 } });
  assert.deepEqual([mid.status, mid.body.duplicate], [200, true]);
  const conflict = await call('POST', '/accounts/r1/events', { id: 'new', at: day(60), values: { x: 99 } });
  assert.deepEqual([conflict.status, conflict.body.code, conflict.body.path], [409, 'id_conflict', 'id']);
  assert.equal((await call('GET', '/accounts/r1')).body.scorecard.score, 30);
});

test('after a publish every account moves to the new model without events, each with one modelChanged; accounts without ageing have no alarm', async () => {
  const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
  for (const id of ids) await call('POST', `/accounts/${id}/events`, { id: 'e', at: day(1), values: { x: 80 } });
  await until('deliveries done', async () => {
    const o = (await call('GET', '/accounts/m5/outbox')).body;
    return o.pending.length === 0 && o;
  });
  // No half-life, no staleness: nothing to wake for.
  assert.equal((await call('GET', '/accounts/m5/outbox')).body.alarm, null);
  const v2 = structuredClone(doc);
  v2.categories[0].measures[0].rule.max = 200; // 80 now scores 40
  const published = await call('PUT', '/model', v2);
  const hash = new HealthModel(v2).hash;
  assert.equal(published.body.hash, hash);
  assert.ok(published.body.moving >= ids.length);
  await until('every account moved', async () => (await call('GET', '/summary')).body.moving === 0, { context: () => edge.log });
  for (const id of ids) {
    const card = (await call('GET', `/accounts/${id}`)).body.scorecard;
    assert.deepEqual([card.modelHash, card.score], [hash, 40]);
  }
  const changes = await until('one modelChanged per account', () => {
    const got = hook.received.map((d) => JSON.parse(d.body)).filter((b) => ids.includes(b.accountId) && b.alert.kind === 'modelChanged');
    return got.length >= ids.length && got;
  });
  assert.deepEqual(changes.map((b) => b.accountId).sort(), ids);
  assert.ok(!hook.received.some((d) => ids.some((id) => d.key.startsWith(`ops:${id}:`)) && /bandChanged|scoreDropped/.test(d.key)));
});

test('a model\'s cost is bounded when it is published: over the size or the library\'s limits, refused and not stored', async () => {
  const before = (await call('GET', '/model')).body.hash;
  // One override with 1,001 conditions (the library's limit is 1,000 per override).
  const heavy = structuredClone(doc);
  heavy.overrides = [{ when: { any: Array.from({ length: 1001 }, (_, i) => ({ measure: 'x', op: '>=', value: i })) }, floor: 0, reason: 'heavy' }];
  const r = await call('PUT', '/model', heavy);
  assert.equal(r.status, 400, JSON.stringify(r.body).slice(0, 300));
  assert.equal(r.body.code, 'too_large');
  // Over EDGE_MAX_MODEL_BYTES (1 MiB): refused before it is read.
  const big = structuredClone(doc);
  big.description = 'x'.repeat(1024 * 1024);
  // (refused before it is read, so the answer may come mid-upload)
  const b = await edge.sendOversized('PUT', `${T}/model`, JSON.stringify(big), key);
  assert.deepEqual([b.status, b.body.code], [400, 'too_large']);
  assert.equal((await call('GET', '/model')).body.hash, before);
});
