// The edge service's authentication (issue 24, item 1): every route refused
// without a key (401), with another tenant's key (401) and with a key of the
// wrong scope (403); keys shown once, stored hashed, revoked at once; the
// Host header trusted for nothing; reads of unknown accounts and requests
// with made-up keys create no storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { day, scaleModel, startEdge, startReceiver } from './harness.mjs';

let edge;
let hook;
const keys = {};

// Every route: [method, path, body, scope].
const ROUTES = [
  ['POST', '/keys', { scopes: ['read'] }, 'admin'],
  ['GET', '/keys', undefined, 'admin'],
  ['DELETE', '/keys/000000000000000000', undefined, 'admin'],
  ['PUT', '/model', scaleModel(), 'admin'],
  ['GET', '/model', undefined, 'read'],
  ['PUT', '/webhook', () => ({ url: hook.url }), 'admin'],
  ['GET', '/webhook', undefined, 'admin'],
  ['POST', '/webhook/rotate', {}, 'admin'],
  ['POST', '/webhook/test', {}, 'admin'],
  ['GET', '/accounts', undefined, 'read'],
  ['GET', '/summary', undefined, 'read'],
  ['GET', '/dead-letters', undefined, 'read'],
  ['POST', '/dead-letters/resend', {}, 'admin'],
  ['GET', '/counters', undefined, 'admin'],
  ['POST', '/accounts/a1/events', { id: 'x', at: day(3), values: { x: 1 } }, 'ingest'],
  ['POST', '/accounts/a1/backfill', { events: [{ id: 'y', at: day(4), values: { x: 2 } }] }, 'ingest'],
  ['GET', '/accounts/a1', undefined, 'read'],
  ['GET', '/accounts/a1/history', undefined, 'read'],
  ['GET', '/accounts/a1/outbox', undefined, 'read'],
  ['GET', '/accounts/a1/export', undefined, 'admin'],
  ['DELETE', '/accounts/a1', undefined, 'admin'],
];

before(async () => {
  hook = await startReceiver();
  edge = await startEdge('auth');
  for (const t of ['t1', 't2']) {
    keys[t] = await edge.keyFor(t);
    for (const s of ['ingest', 'read', 'admin']) keys[`${t}:${s}`] = await edge.keyFor(t, [s]);
    assert.equal((await edge.call('PUT', `/tenants/${t}/model`, scaleModel(), keys[t])).status, 200);
    assert.equal((await edge.call('PUT', `/tenants/${t}/webhook`, { url: hook.url, secret: `${t}-secret-of-twenty-four-chars` }, keys[t])).status, 200);
    assert.equal((await edge.call('POST', `/tenants/${t}/accounts/a1/events`, { id: 'e0', at: day(1), values: { x: 50 } }, keys[t])).status, 200);
  }
});

after(async () => {
  await edge?.stop();
  hook?.close();
});

test('every route: 401 without a key, 401 with another tenant\'s key, 403 with a key of the wrong scope, and nothing changes', async () => {
  const before = await edge.call('GET', '/tenants/t1/accounts/a1/export', undefined, keys.t1);
  for (const [method, path, given, scope] of ROUTES) {
    const body = typeof given === 'function' ? given() : given;
    const none = await edge.call(method, `/tenants/t1${path}`, body, null);
    assert.deepEqual([none.status, none.body.code], [401, 'unauthenticated'], `${method} ${path} without a key`);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const other = await edge.call(method, `/tenants/t1${path}`, body, keys.t2);
    assert.deepEqual([other.status, other.body.code], [401, 'invalid_key'], `${method} ${path} with t2's key`);
    const garbage = await edge.call(method, `/tenants/t1${path}`, body, 'chk_0123456789abcdef01_' + 'A'.repeat(43));
    assert.deepEqual([garbage.status, garbage.body.code], [401, 'invalid_key'], `${method} ${path} with a made-up key`);
    for (const s of ['ingest', 'read', 'admin'].filter((x) => x !== scope)) {
      const wrong = await edge.call(method, `/tenants/t1${path}`, body, keys[`t1:${s}`]);
      assert.deepEqual([wrong.status, wrong.body.code], [403, 'missing_scope'], `${method} ${path} with a ${s} key`);
    }
  }
  // Nothing was changed by any refused call.
  const after = await edge.call('GET', '/tenants/t1/accounts/a1/export', undefined, keys.t1);
  assert.deepEqual(after.body, before.body);
  // And each route works with the right scope (the last two change things: run them last).
  for (const [method, path, given, scope] of ROUTES) {
    const body = typeof given === 'function' ? given() : given;
    const ok = await edge.call(method, `/tenants/t1${path}`, body, keys[`t1:${scope}`]);
    assert.ok([200, 201].includes(ok.status) || (path.startsWith('/keys/') && ok.status === 404),
      `${method} ${path} with the ${scope} scope: ${ok.status} ${JSON.stringify(ok.body)}`);
  }
});

test('a key is shown once, stored hashed, listed without its secret, and refused as soon as it is revoked', async () => {
  const made = await edge.call('POST', '/tenants/t2/keys', { name: 'crm sync', scopes: ['ingest'] }, keys.t2);
  assert.equal(made.status, 201);
  assert.match(made.body.key, /^chk_[0-9a-f]{18}_[A-Za-z0-9_-]{43}$/);
  const listed = await edge.call('GET', '/tenants/t2/keys', undefined, keys.t2);
  const entry = listed.body.keys.find((k) => k.id === made.body.id);
  assert.deepEqual(entry, { id: made.body.id, name: 'crm sync', scopes: ['ingest'], createdAt: made.body.createdAt });
  assert.ok(!JSON.stringify(listed.body).includes(made.body.key.slice(24)), 'no key in the list');
  // Not on disk either: only its SHA-256.
  assert.ok(!edge.files().some(([, bytes]) => bytes.includes(made.body.key)), 'the key is not stored');
  const ev = { id: 'k1', at: day(2), values: { x: 60 } };
  assert.equal((await edge.call('POST', '/tenants/t2/accounts/a1/events', ev, made.body.key)).status, 200);
  assert.equal((await edge.call('DELETE', `/tenants/t2/keys/${made.body.id}`, undefined, keys.t2)).status, 200);
  const after = await edge.call('POST', '/tenants/t2/accounts/a1/events', { ...ev, id: 'k2' }, made.body.key);
  assert.deepEqual([after.status, after.body.code], [401, 'invalid_key']);
  // A bad scope list is refused.
  const bad = await edge.call('POST', '/tenants/t2/keys', { scopes: ['root'] }, keys.t2);
  assert.deepEqual([bad.status, bad.body.code, bad.body.path], [400, 'invalid_value', 'scopes']);
});

test('the Host header is trusted for nothing: the webhook secret never leaves', async () => {
  for (const host of ['tenant', 'object', 'localhost']) {
    const r = await edge.call('GET', '/tenants/t1/webhook', undefined, keys.t1, { host });
    assert.equal(r.status, 200);
    assert.ok(!JSON.stringify(r.body).includes('t1-secret'), JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ['secrets', 'url']);
    const anon = await edge.call('GET', '/tenants/t1/webhook', undefined, null, { host });
    assert.equal(anon.status, 401);
  }
});

test('reads of unknown accounts are 404 and create nothing; neither do made-up keys for made-up tenants', async () => {
  const count = () => edge.files().length;
  const before = count();
  for (let i = 0; i < 50; i++) {
    const r = await edge.call('GET', `/tenants/t1/accounts/nobody-${i}`, undefined, keys.t1);
    assert.deepEqual([r.status, r.body.code], [404, 'no_account']);
    const h = await edge.call('GET', `/tenants/t1/accounts/nobody-${i}/history`, undefined, keys.t1);
    assert.equal(h.status, 404);
    const t = await edge.call('GET', `/tenants/tenant-${i}/accounts/a`, undefined, 'chk_0123456789abcdef01_' + 'B'.repeat(43));
    assert.equal(t.status, 401);
  }
  assert.equal(count(), before, 'no file was created');
  // Unknown paths are 404, known paths with another method 405.
  assert.equal((await edge.call('GET', '/tenants/t1/accounts/a1/events', undefined, keys.t1)).status, 405);
  assert.equal((await edge.call('GET', '/tenants/t1/accounts/a1/dead', undefined, keys.t1)).status, 404);
  assert.equal((await edge.call('GET', '/tenants/t1/nothing', undefined, keys.t1)).status, 404);
});
