// customer-health/edge: live scores at the edge (Cloudflare Workers /
// workerd). One Durable Object per account (`HealthAccount`), one per tenant
// (`HealthTenant`), both with SQLite storage; `handle(request, env)` checks
// who is calling and routes the request to them. Every route needs
// `Authorization: Bearer <key>` (a tenant key with the route's scope, or the
// operator secret):
//
//   POST   /tenants/:t/keys                        admin   { name?, scopes } → 201 { id, key } (shown once)
//   GET    /tenants/:t/keys                        admin   { keys: [{ id, name, scopes, createdAt }] }
//   DELETE /tenants/:t/keys/:id                    admin   { revoked }
//   PUT    /tenants/:t/model                       admin   a model document → { hash, moving }
//   GET    /tenants/:t/model                       read    { hash, model }
//   PUT    /tenants/:t/webhook                     admin   { url, secret? } → { url, secret? }
//   GET    /tenants/:t/webhook                     admin   { url, secrets: [{ addedAt, expiresAt }] }
//   POST   /tenants/:t/webhook/rotate              admin   { secret?, keepOldSeconds? } → { previousValidUntil, secret? }
//   POST   /tenants/:t/webhook/test                admin   { delivered, status, error, ms }
//   GET    /tenants/:t/accounts?cursor&limit       read    { accounts: [{ id, score, band, value, … }], next }
//   GET    /tenants/:t/summary                     read    { accounts, meanScore, lowCoverage, bands, … }
//   GET    /tenants/:t/dead-letters?cursor&limit   read    { deadLetters, next }
//   POST   /tenants/:t/dead-letters/resend         admin   { keys? } → { resent }
//   GET    /tenants/:t/counters                    admin   { counters }
//   POST   /tenants/:t/accounts/:id/events         ingest  { id, at, values?, increments?, fields?, value?, notes?, name?, segment? } → { scorecard, alerts }
//   POST   /tenants/:t/accounts/:id/backfill       ingest  { events: [...] } → { applied, skipped, alertsNotDelivered, scorecard }
//   GET    /tenants/:t/accounts/:id                read    { scorecard }
//   GET    /tenants/:t/accounts/:id/history?cursor&limit  read  { snapshots, next }
//   GET    /tenants/:t/accounts/:id/outbox         read    { pending, dead, rescoreError, alarm }
//   GET    /tenants/:t/accounts/:id/export         admin   everything stored about the account
//   DELETE /tenants/:t/accounts/:id                admin   { erased } (every row of it, everywhere)
//
// Decisions are in examples/edge-service/README.md and DESIGN-NOTES.md
// ("The edge service in production").
import { authenticate } from './edge-auth.mjs';
import { checkEvent } from './edge-events.mjs';
import { accountStub, callObject, json, problem, readJsonBody, setting, tenantStub } from './edge-http.mjs';

export { HealthAccount } from './edge-account.mjs';
export { HealthTenant } from './edge-tenant.mjs';
export { readJsonBody, DEFAULTS } from './edge-http.mjs';
export { signWebhook, verifyWebhook, SIGNATURE_TOLERANCE_SECONDS } from './webhook.mjs';

/** [method, path after /tenants/:t, route, scope, whether it is an account's]. */
const ROUTES = [
  ['POST', 'keys', 'keys.create', 'admin'],
  ['GET', 'keys', 'keys.list', 'admin'],
  ['DELETE', 'keys/:id', 'keys.revoke', 'admin'],
  ['PUT', 'model', 'model.put', 'admin'],
  ['GET', 'model', 'model.get', 'read'],
  ['PUT', 'webhook', 'webhook.put', 'admin'],
  ['GET', 'webhook', 'webhook.get', 'admin'],
  ['POST', 'webhook/rotate', 'webhook.rotate', 'admin'],
  ['POST', 'webhook/test', 'webhook.test', 'admin'],
  ['GET', 'accounts', 'accounts.list', 'read'],
  ['GET', 'summary', 'summary', 'read'],
  ['GET', 'dead-letters', 'dead.list', 'read'],
  ['POST', 'dead-letters/resend', 'dead.resend', 'admin'],
  ['GET', 'counters', 'counters', 'admin'],
  ['POST', 'accounts/:account/events', 'event', 'ingest', true],
  ['POST', 'accounts/:account/backfill', 'backfill', 'ingest', true],
  ['GET', 'accounts/:account', 'get', 'read', true],
  ['GET', 'accounts/:account/history', 'history', 'read', true],
  ['GET', 'accounts/:account/outbox', 'outbox', 'read', true],
  ['GET', 'accounts/:account/export', 'export', 'admin', true],
  ['DELETE', 'accounts/:account', 'erase', 'admin', true],
].map(([method, path, name, scope, account]) => ({ method, parts: path.split('/'), name, scope, account: Boolean(account) }));

/** The route of `method` and `rest` (the path after /tenants/:t): `{ route, params }`, or `{ allow }` (the methods the path has), or null. */
function match(method, rest) {
  const allow = [];
  for (const r of ROUTES) {
    if (r.parts.length !== rest.length) continue;
    const params = {};
    if (!r.parts.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = rest[i]), true) : p === rest[i]))) continue;
    if (r.method === method) return { route: r, params };
    allow.push(r.method);
  }
  return allow.length > 0 ? { allow } : null;
}

/** The body limits of a route. */
function limitsOf(route, env) {
  if (route.name === 'model.put') return { maxBytes: setting(env, 'EDGE_MAX_MODEL_BYTES'), maxDepth: 64 };
  if (route.name === 'backfill') return { maxBytes: setting(env, 'EDGE_MAX_BACKFILL_BYTES'), maxDepth: setting(env, 'EDGE_MAX_DEPTH') };
  return { maxBytes: setting(env, 'EDGE_MAX_BODY_BYTES'), maxDepth: setting(env, 'EDGE_MAX_DEPTH') };
}

/**
 * Routes a worker's request (see the top of this file); logs one line per
 * request: `{ tenant, account, route, status, ms }`.
 */
export async function handle(request, env) {
  const t0 = Date.now();
  const seen = { tenant: null, account: null, route: null };
  const res = await route(request, env, seen);
  console.log(JSON.stringify({ at: new Date().toISOString(), method: request.method, ...seen, status: res.status, ms: Date.now() - t0 }));
  return res;
}

async function route(request, env, seen) {
  const url = new URL(request.url);
  let parts;
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return problem(400, 'invalid_value', '', 'the path is not valid percent-encoding', 'encode tenant and account ids with encodeURIComponent');
  }
  // (names become object names: control characters could make two differ in name but not in object)
  if (parts.some((p) => /[\u0000-\u001f]/.test(p) || p.length > 200)) {
    return problem(400, 'invalid_value', '', 'a tenant or account id holds a control character or is longer than 200 characters', 'use printable ids');
  }
  if (parts[0] !== 'tenants' || !parts[1]) return problem(404, 'not_found', '', 'no such route', 'see customer-health/edge for the routes');
  const tenant = parts[1];
  const found = match(request.method, parts.slice(2));
  if (!found) return problem(404, 'not_found', '', 'no such route', 'see customer-health/edge for the routes');
  if (found.allow) {
    const res = problem(405, 'method_not_allowed', '', `use ${found.allow.join(' or ')}`, 'see customer-health/edge for the routes');
    res.headers.set('allow', found.allow.join(', '));
    return res;
  }
  const { route: r, params } = found;
  Object.assign(seen, { tenant, account: params.account ?? null, route: r.name });
  if (!env.EDGE_OPERATOR_SECRET || env.EDGE_OPERATOR_SECRET.length < 32) {
    return problem(503, 'not_configured', '', 'the service has no operator secret (EDGE_OPERATOR_SECRET, 32 characters or more)', 'set it as a Workers secret: npx wrangler secret put EDGE_OPERATOR_SECRET');
  }
  const auth = await authenticate(request, env, tenant);
  if (auth.error) {
    const [status, code, message, help] = auth.error;
    const res = problem(status, code, '', message, help);
    res.headers.set('www-authenticate', 'Bearer');
    return res;
  }
  // The body is read only for a caller that is known, within the route's limits.
  let body;
  if (request.method === 'POST' || request.method === 'PUT') {
    const read = await readJsonBody(request, limitsOf(r, env));
    if (read.error) return read.error;
    body = read.value;
  }
  const query = Object.fromEntries(url.searchParams);
  const who = auth.operator ? { operator: true } : { keyId: auth.keyId, keyHash: auth.keyHash };
  const answer = (x) => json(x.body, x.status);
  if (!r.account) {
    return answer(await callObject(tenantStub(env, tenant), 'route', { tenant, auth: who, scope: r.scope, route: r.name, params, query, body }));
  }
  const account = params.account;
  const now = Date.now();
  if (r.name === 'event') {
    const checked = checkEvent(body, now, setting(env, 'EDGE_MAX_SKEW_MS'));
    if (checked.error) return answer(checked.error);
  }
  if (r.name === 'backfill') {
    if (body === null || typeof body !== 'object' || !Array.isArray(body.events)) {
      return problem(400, 'invalid_event', 'events', 'a backfill is { events: [...] }', 'send the account\'s dated events, oldest first');
    }
    for (const [i, e] of body.events.entries()) {
      const checked = checkEvent(e, now, setting(env, 'EDGE_MAX_SKEW_MS'));
      if (checked.error) return answer({ ...checked.error, body: { ...checked.error.body, path: `events[${i}]${checked.error.body.path ? `.${checked.error.body.path}` : ''}` } });
    }
  }
  const granted = await callObject(tenantStub(env, tenant), 'authorize', { tenant, auth: who, scope: r.scope, account });
  if (granted.status !== 200) return answer(granted);
  const writes = r.name === 'event' || r.name === 'backfill';
  // An account nobody wrote to is not created by a read.
  if (!writes && !granted.body.accountKnown) {
    return problem(404, 'no_account', '', `the tenant has no account \`${account}\``, 'POST an event to create it');
  }
  if (writes && !granted.body.modelHash) return problem(409, 'no_model', 'model', 'the tenant has no model yet', 'PUT one to /tenants/:t/model');
  const stub = accountStub(env, tenant, account);
  const payload = { tenant, account, modelHash: granted.body.modelHash, query };
  if (r.name === 'event') payload.event = body;
  if (r.name === 'backfill') payload.events = body.events;
  const res = await callObject(stub, r.name, payload);
  if (r.name === 'erase' && res.status === 200) {
    const forgotten = await callObject(tenantStub(env, tenant), 'forget', { account });
    if (forgotten.status !== 200) return answer(forgotten);
  }
  return answer(res);
}
