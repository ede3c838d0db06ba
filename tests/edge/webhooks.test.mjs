// Webhooks to the standard of Stripe and Svix (issue 24, item 2): the
// tenant in the idempotency key, a signature over a timestamp and the body,
// two secrets during a rotation, retries with backoff and a timeout, dead
// letters listed and resent, a test delivery, unsafe URLs refused, and
// alerts raised before a webhook exists waiting for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { verifyWebhook, signWebhook } from '../../pkg/webhook.mjs';
import { retryDelay, DEFAULTS } from '../../pkg/edge-settings.mjs';
import { webhookUrlProblem } from '../../pkg/edge-url.mjs';
import { day, scaleModel, startEdge, startReceiver, until } from './harness.mjs';

let edge;
let hook;
const keys = {};
const settings = {
  EDGE_RETRY_BASE_MS: 100, EDGE_RETRY_FACTOR: 2, EDGE_RETRY_CAP_MS: 400, EDGE_MAX_TRIES: 5,
  EDGE_DELIVERY_TIMEOUT_MS: 500, EDGE_NO_WEBHOOK_WAIT_MS: 200,
};
const at = (t, path) => `/tenants/${t}${path}`;
// 80 then 20: a band change (opportunity → at risk) and a drop.
const twoEvents = async (t, account) => {
  for (const [i, x] of [80, 20].entries()) {
    const r = await edge.call('POST', at(t, `/accounts/${account}/events`), { id: `${account}-${i}`, at: day(1 + i), values: { x } }, keys[t]);
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
};

before(async () => {
  hook = await startReceiver();
  edge = await startEdge('webhooks', { settings });
  for (const t of ['alpha', 'beta', 'late', 'dead', 'rot']) {
    keys[t] = await edge.keyFor(t);
    assert.equal((await edge.call('PUT', at(t, '/model'), scaleModel(), keys[t])).status, 200);
  }
});

after(async () => {
  await edge?.stop();
  hook?.close();
});

test('the signature covers a timestamp and the body; a receiver refuses replays, changes and other secrets', async () => {
  const body = '{"a":1}';
  const t = 1_800_000_000;
  const header = await signWebhook(['s1-secret-of-some-length'], body, t);
  assert.match(header, /^t=1800000000,v1=[0-9a-f]{64}$/);
  const now = t * 1000;
  assert.deepEqual(await verifyWebhook(body, header, 's1-secret-of-some-length', { now }), { ok: true, t });
  assert.deepEqual(await verifyWebhook(body, header, 's1-secret-of-some-length', { now: now + 301_000 }), { ok: false, reason: 'stale' });
  assert.deepEqual(await verifyWebhook('{"a":2}', header, 's1-secret-of-some-length', { now }), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(await verifyWebhook(body, header, 'another-secret', { now }), { ok: false, reason: 'bad_signature' });
  assert.deepEqual(await verifyWebhook(body, undefined, 's', { now }), { ok: false, reason: 'no_signature' });
});

test('two tenants with the same account and events get different idempotency keys, each signed with its own secret', async () => {
  const secrets = {};
  for (const t of ['alpha', 'beta']) {
    const w = await edge.call('PUT', at(t, '/webhook'), { url: hook.url }, keys[t]);
    secrets[t] = w.body.secret;
    await twoEvents(t, 'same-id');
  }
  const got = await until('both tenants\' alerts', () => {
    const d = hook.received.filter((r) => r.key.includes(':same-id:'));
    return d.filter((r) => r.key.startsWith('alpha:')).length > 0 && d.filter((r) => r.key.startsWith('beta:')).length > 0 && d;
  }, { context: () => edge.log });
  const alpha = got.filter((r) => r.key.startsWith('alpha:'));
  const beta = got.filter((r) => r.key.startsWith('beta:'));
  assert.deepEqual(alpha.map((r) => r.key.slice('alpha:'.length)).sort(), beta.map((r) => r.key.slice('beta:'.length)).sort());
  for (const r of alpha) {
    assert.equal((await verifyWebhook(r.body, r.signature, secrets.alpha)).ok, true);
    assert.equal((await verifyWebhook(r.body, r.signature, secrets.beta)).ok, false);
  }
  // The test delivery: signed, marked as a test.
  const tried = await edge.call('POST', at('alpha', '/webhook/test'), {}, keys.alpha);
  assert.equal(tried.body.delivered, true, JSON.stringify(tried.body));
  const test = hook.received.find((r) => r.key === tried.body.idempotencyKey);
  assert.equal(JSON.parse(test.body).test, true);
  assert.equal((await verifyWebhook(test.body, test.signature, secrets.alpha)).ok, true);
});

test('a rotation signs with both secrets until the old one expires', async () => {
  const first = (await edge.call('PUT', at('rot', '/webhook'), { url: hook.url }, keys.rot)).body.secret;
  const rotated = await edge.call('POST', at('rot', '/webhook/rotate'), { keepOldSeconds: 2 }, keys.rot);
  assert.equal(rotated.status, 200);
  const second = rotated.body.secret;
  const listed = (await edge.call('GET', at('rot', '/webhook'), undefined, keys.rot)).body;
  assert.equal(listed.secrets.length, 2);
  assert.equal(listed.secrets[0].expiresAt, null);
  assert.equal(listed.secrets[1].expiresAt, rotated.body.previousValidUntil);
  const during = await edge.call('POST', at('rot', '/webhook/test'), {}, keys.rot);
  const d = hook.received.find((r) => r.key === during.body.idempotencyKey);
  assert.equal(d.signature.match(/v1=/g).length, 2);
  assert.equal((await verifyWebhook(d.body, d.signature, first)).ok, true, 'receivers on the old secret still accept');
  assert.equal((await verifyWebhook(d.body, d.signature, second)).ok, true, 'receivers on the new secret accept');
  await new Promise((ok) => setTimeout(ok, 2100));
  const later = await edge.call('POST', at('rot', '/webhook/test'), {}, keys.rot);
  const l = hook.received.find((r) => r.key === later.body.idempotencyKey);
  assert.equal(l.signature.match(/v1=/g).length, 1);
  assert.equal((await verifyWebhook(l.body, l.signature, first)).ok, false);
  assert.equal((await verifyWebhook(l.body, l.signature, second)).ok, true);
});

test('retries back off, dead letters are listed per tenant and resent', async () => {
  await edge.call('PUT', at('dead', '/webhook'), { url: hook.url }, keys.dead);
  hook.fail = 100; // every try fails
  await twoEvents('dead', 'd1');
  const o = await until('dead letters', async () => {
    const r = (await edge.call('GET', at('dead', '/accounts/d1/outbox'), undefined, keys.dead)).body;
    return r.pending.length === 0 && r.dead.length > 0 && r;
  }, { context: () => edge.log });
  assert.ok(o.dead.every((d) => d.tries === 5));
  // The tries of one alert: 5, with waits that grow (100, 200, 400, 400 ms ± 20 %).
  const key = o.dead[0].key;
  const times = hook.attempts.filter((a) => a.key === key).map((a) => a.at);
  assert.equal(times.length, 5);
  const waits = times.slice(1).map((t, i) => t - times[i]);
  assert.ok(waits[2] > waits[0], `the waits grow: ${waits}`);
  const listed = await until('the tenant\'s dead letters', async () => {
    const r = (await edge.call('GET', at('dead', '/dead-letters'), undefined, keys.dead)).body;
    return r.deadLetters.length === o.dead.length && r;
  });
  assert.deepEqual(listed.deadLetters.map((d) => d.key).sort(), o.dead.map((d) => d.key).sort());
  assert.ok(listed.deadLetters.every((d) => d.accountId === 'd1' && d.error === 'HTTP 500'));
  const counters = (await edge.call('GET', at('dead', '/counters'), undefined, keys.dead)).body.counters;
  assert.equal(counters.deadLetters, o.dead.length);
  assert.equal(counters.retries, 4 * o.dead.length);
  // Resent once the receiver is back: delivered, and no longer dead.
  hook.fail = 0;
  const resent = await edge.call('POST', at('dead', '/dead-letters/resend'), {}, keys.dead);
  assert.equal(resent.body.resent, o.dead.length);
  await until('the resent alerts delivered', () => o.dead.every((d) => hook.received.some((r) => r.key === d.key)));
  assert.deepEqual((await edge.call('GET', at('dead', '/dead-letters'), undefined, keys.dead)).body.deadLetters, []);
});

test('a delivery that does not answer times out and is retried', async () => {
  await edge.call('PUT', at('dead', '/webhook'), { url: hook.url }, keys.dead);
  hook.fail = 0;
  hook.hang = 1;
  await twoEvents('dead', 'hang1');
  const pending = (await edge.call('GET', at('dead', '/accounts/hang1/outbox'), undefined, keys.dead)).body.pending;
  assert.ok(pending.length > 0);
  await until('delivered after the timeout', () => pending.every((p) => hook.received.some((r) => r.key === p.key)), { context: () => edge.log });
  // The try that got no answer was given up after EDGE_DELIVERY_TIMEOUT_MS (500), logged, and tried again.
  const failed = edge.log.split('\n').filter((l) => l.includes('"delivery":"dead:hang1:')).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
  assert.deepEqual(failed.map((f) => f.error), ['no answer within 500 ms']);
  assert.equal(hook.attempts.filter((a) => a.key === failed[0].delivery).length, 2);
});

test('alerts raised before a webhook exists wait for it, with no try counted', async () => {
  await twoEvents('late', 'l1');
  const waiting = await until('alerts waiting', async () => {
    const r = (await edge.call('GET', at('late', '/accounts/l1/outbox'), undefined, keys.late)).body;
    return r.pending.length > 0 && r.pending.every((p) => p.error === 'waiting for the tenant to set a webhook') && r.pending;
  });
  await new Promise((ok) => setTimeout(ok, 600)); // several waits of 200 ms
  const still = (await edge.call('GET', at('late', '/accounts/l1/outbox'), undefined, keys.late)).body.pending;
  assert.ok(still.every((p) => p.tries === 0), JSON.stringify(still));
  await edge.call('PUT', at('late', '/webhook'), { url: hook.url }, keys.late);
  await until('delivered once the webhook is set', () => waiting.every((p) => hook.received.some((r) => r.key === p.key)));
});

test('webhook URLs to loopback, private, link-local and metadata addresses are refused (checked without connecting)', async () => {
  const refused = [
    'http://127.0.0.1/hook', 'https://127.0.0.1/hook', 'https://[::1]/hook', 'https://10.1.2.3/', 'https://172.16.0.1/', 'https://192.168.1.1/',
    'https://169.254.169.254/latest/meta-data', 'https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://[::ffff:127.0.0.1]/',
    'https://[fd00::1]/', 'https://[fe80::1]/', 'https://localhost/', 'https://a.localhost/', 'https://metadata.google.internal/',
    'https://0.0.0.0/', 'https://100.64.0.1/', 'https://user:pw@example.com/', 'ftp://example.com/', 'https://intranet/',
  ];
  for (const url of refused) assert.ok(webhookUrlProblem(url, false), `${url} is refused`);
  for (const url of ['https://hooks.example.com/health', 'https://93.184.215.14/x', 'https://[2606:4700::1]/x']) assert.equal(webhookUrlProblem(url, false), null, url);
  // In development, private addresses are allowed (http too).
  assert.equal(webhookUrlProblem('http://127.0.0.1:9999/hook', true), null);
  // The service in production mode refuses them with a code.
  const prod = await startEdge('webhooks-prod', { dev: false });
  try {
    const k = await prod.keyFor('p');
    for (const url of refused) {
      const r = await prod.call('PUT', '/tenants/p/webhook', { url }, k);
      assert.deepEqual([r.status, r.body.code, r.body.path], [400, 'unsafe_url', 'url'], url);
    }
  } finally {
    await prod.stop();
  }
});

test('the default retry schedule spans about three days', () => {
  const waits = Array.from({ length: DEFAULTS.EDGE_MAX_TRIES - 1 }, (_, i) => retryDelay(i + 1, {}, 0.5));
  assert.deepEqual(waits.slice(0, 6), [30_000, 120_000, 480_000, 1_920_000, 7_680_000, 30_720_000]);
  assert.ok(waits.slice(6).every((w) => w === 12 * 3600 * 1000));
  const hours = waits.reduce((a, b) => a + b, 0) / 3_600_000;
  assert.ok(hours > 70 && hours < 72, `${hours} h`);
  // Jitter stays within ±20 %.
  assert.equal(retryDelay(1, {}, 0), 24_000);
  assert.equal(retryDelay(1, {}, 1), 36_000);
});
