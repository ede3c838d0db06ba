// customer-health/edge in the real runtime (issue 14): the example service
// (examples/edge-service) bundled with esbuild and served by workerd with
// on-disk Durable Object storage, a webhook receiver run here. Events raise
// the alerts the library gives for the same sequence, delivered signed and
// retried; redeliveries apply once; 200 concurrent increments end exact; bad
// events store nothing; a killed and restarted workerd loses nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HealthModel } from '../../pkg/index.node.mjs';
import { bundleWorker, edgeServiceConfig } from '../../scripts/workerd-bundle.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = join(root, 'target', 'edge-test');
const storage = join(dir, 'storage');
const secret = 'a-webhook-secret-of-some-length';
let port;
let child;
let wasmName;

// One 0..100 scale (score = value) under the saas-points bands, and a
// complaints count that takes no part in the score (weight 0).
const doc = {
  version: 1, id: 'edge-test',
  bands: [
    { id: 'at_risk', label: 'At risk', color: '#d55e00', from: 0 },
    { id: 'neutral', label: 'Neutral', color: '#e69f00', from: 33 },
    { id: 'opportunity', label: 'Opportunity', color: '#009e73', from: 66 },
  ],
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'x', weight: 1, rule: { type: 'scale', min: 0, max: 100 } },
    { id: 'complaints', weight: 0, rule: { type: 'perEvent', points: -1, maxEvents: 100000 } },
  ] }],
};

// The webhook receiver: fails the first `failures` deliveries with a 500.
const received = [];
let failures = 0;
let failed = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (failures > 0) {
      failures--;
      failed++;
      res.writeHead(500).end('not now');
      return;
    }
    received.push({ key: req.headers['idempotency-key'], signature: req.headers['x-health-signature'], body });
    res.writeHead(204).end();
  });
});

function start() {
  const config = edgeServiceConfig(root, { PORT: port, STORAGE: storage, WASM: wasmName, RETRY_MS: 50, RESCORE_MS: 1500, MAX_SNAPSHOTS: 12 });
  writeFileSync(join(dir, 'config.capnp'), config);
  child = spawn(bin('workerd'), ['serve', 'config.capnp', '--experimental'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = '';
  child.stdout.on('data', (d) => (child.log += d));
  child.stderr.on('data', (d) => (child.log += d));
}

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const got = await check();
      if (got) return got;
    } catch {
      // not yet
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}\n${child?.log ?? ''}\n${JSON.stringify(until.last ?? null)}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

const base = () => `http://127.0.0.1:${port}/tenants/acme-co`;
const call = async (method, path, body) => {
  const res = await fetch(`${base()}${path}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const day = (d) => `2026-03-${String(d).padStart(2, '0')}T09:00:00Z`;

before(async () => {
  wasmName = bundleWorker(root, dir, join(root, 'examples', 'edge-service', 'worker.js'));
  mkdirSync(storage, { recursive: true });
  await new Promise((ok) => receiver.listen(0, '127.0.0.1', ok));
  port = 20000 + Math.floor(Math.random() * 20000);
  start();
  await until('workerd', async () => (await fetch(`${base()}/model`)).status > 0);
  assert.equal((await call('PUT', '/model', doc)).status, 200);
  assert.equal((await call('PUT', '/webhook', { url: `http://127.0.0.1:${receiver.address().port}/hook`, secret })).status, 200);
});

after(() => {
  child?.kill('SIGKILL');
  receiver.close();
});

test('events raise the alerts the library gives, delivered signed, retried after failures, once per event id', async () => {
  failures = 2;
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
    const got = new Map(received.filter((d) => d.key.startsWith('a1:')).map((d) => [d.key, JSON.parse(d.body).alert]));
    return got.size >= expected.length && [...got.values()].map((a) => `${a.at}:${a.kind}`);
  });
  assert.deepEqual(delivered.sort(), [...expected].sort());
  assert.ok(failed >= 2, 'the receiver refused the first deliveries, and they were retried');
  for (const d of received) {
    assert.equal(d.signature, `sha256=${createHmac('sha256', secret).update(d.body).digest('hex')}`);
    const body = JSON.parse(d.body);
    assert.equal(body.idempotencyKey, d.key);
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
  assert.equal(old.status, 409);
  assert.equal(old.body.code, 'out_of_order');
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
    const req = httpRequest(`${base()}/accounts/b1/events`, { method: 'POST', headers: { 'content-length': 10 * 1024 * 1024 } }, (res) => {
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
  received.length = 0;
  failures = 1000; // every delivery fails until the restart
  for (const [i, x] of [80, 70, 68, 30, 30].entries()) {
    const r = await call('POST', '/accounts/d1/events', { id: `d${i}`, at: day(1 + 7 * i), values: { x } });
    assert.equal(r.status, 200);
  }
  const before = await call('GET', '/accounts/d1');
  const pending = await until('alerts in the outbox', async () => {
    const o = await call('GET', '/accounts/d1/outbox');
    return o.body.pending.length > 0 && o.body.pending;
  });
  child.kill('SIGKILL');
  await new Promise((ok) => child.once('exit', ok));
  failures = 0;
  start();
  await until('workerd again', async () => (await call('GET', '/accounts/d1')).status === 200);
  const after = await call('GET', '/accounts/d1');
  assert.deepEqual(after.body.scorecard, before.body.scorecard);
  assert.equal((await call('GET', '/accounts/d1/history')).body.snapshots.length, 5);
  const keys = await until('the pending alerts delivered after the restart', () => {
    const got = new Set(received.filter((d) => d.key.startsWith('d1:')).map((d) => d.key));
    return pending.every((p) => got.has(p.key)) && got;
  });
  assert.deepEqual([...keys].sort(), pending.map((p) => p.key).sort());
  const outbox = await until('an empty outbox', async () => {
    const o = await call('GET', '/accounts/d1/outbox');
    return o.body.pending.length === 0 && o.body;
  });
  assert.deepEqual(outbox.dead, []);
});

test('a new model is reported as a model change at the next event, never as a decline', async () => {
  received.length = 0;
  await call('POST', '/accounts/m1/events', { id: 'm0', at: day(1), values: { x: 80 } });
  await call('POST', '/accounts/m1/events', { id: 'm1', at: day(8), values: { x: 80 } });
  // The same model id, stricter: the scale runs to 200 (80 scores 40).
  const strict = structuredClone(doc);
  strict.categories[0].measures[0].rule.max = 200;
  const published = await call('PUT', '/model', strict);
  assert.equal(published.body.hash, new HealthModel(strict).hash);
  const r = await call('POST', '/accounts/m1/events', { id: 'm2', at: day(15), values: { x: 80 } });
  assert.equal(r.body.scorecard.score, 40);
  assert.deepEqual(r.body.alerts.map((a) => a.kind), ['modelChanged']);
  await until('the modelChanged alert delivered', () => received.some((d) => d.key.startsWith(`m1:${day(15)}:modelChanged:`)));
  assert.ok(!received.some((d) => d.key.startsWith('m1:') && /bandChanged|scoreDropped/.test(d.key)));
  await call('PUT', '/model', doc);
  // Another model id is another tenant's.
  const other = await call('PUT', '/model', { ...doc, id: 'another' });
  assert.deepEqual([other.status, other.body.code], [409, 'model_mismatch']);
  // The webhook's secret never leaves the tenant object.
  assert.deepEqual((await call('GET', '/webhook')).body, { url: `http://127.0.0.1:${receiver.address().port}/hook` });
});

test('trends and drops fire at the edge, one event at a time', async () => {
  received.length = 0;
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
  const tenant = `http://127.0.0.1:${port}/tenants/stale-co`;
  assert.equal((await fetch(`${tenant}/model`, { method: 'PUT', body: JSON.stringify(stale) })).status, 200);
  // A value observed a year ago: rescored at the next period it has decayed toward 50.
  const first = await (await fetch(`${tenant}/accounts/s1/events`, { method: 'POST', body: JSON.stringify({ id: 's0', at: '2025-12-01T00:00:00Z', values: { x: 90 } }) })).json();
  assert.equal(first.scorecard.score, 90);
  let outbox;
  const history = await until('a rescored snapshot', async () => {
    outbox = await (await fetch(`${tenant}/accounts/s1/outbox`)).json();
    until.last = outbox;
    const h = await (await fetch(`${tenant}/accounts/s1/history`)).json();
    return h.snapshots.length >= 2 && h.snapshots;
  });
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
