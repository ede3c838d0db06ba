// customer-health/edge: live scores at the edge (Cloudflare Workers /
// workerd). One Durable Object per account (`HealthAccount`, SQLite storage)
// keeps the current values, the last scorecard with its alert state, a
// bounded history and an outbox of alerts; one per tenant (`HealthTenant`)
// keeps the tenant's models by hash and its webhook. `handle(request, env)`
// routes a worker's requests to them:
//
//   PUT  /tenants/:t/model                 a model document → { hash }
//   PUT  /tenants/:t/webhook               { url, secret } (HMAC-SHA-256 key)
//   POST /tenants/:t/accounts/:id/events   { id, at, values?, increments? }
//   GET  /tenants/:t/accounts/:id          { scorecard } (levers, trend, actions)
//   GET  /tenants/:t/accounts/:id/history  { snapshots: [{ at, score, band, modelHash, values, observedAt }] }
//   GET  /tenants/:t/accounts/:id/outbox   { pending, dead } (alerts not yet delivered)
//
// Decisions (DESIGN-NOTES.md, "Live scores at the edge"): an event id is
// applied once (a redelivery answers with the stored scorecard); an event
// older than the account's last event is refused (`out_of_order`, 409);
// each alert is written to the outbox in the same transaction as its
// snapshot and delivered at least once, with retries by alarm and a dead
// letter after `maxTries`.
import { HealthModel, HealthScoreError } from './index.worker.mjs';

/** Settings a worker may override through `env` (strings, as bindings are). */
const DEFAULTS = {
  EDGE_MAX_BODY_BYTES: 64 * 1024,
  EDGE_MAX_DEPTH: 32,
  EDGE_MAX_SNAPSHOTS: 730, // two years of daily snapshots
  EDGE_MAX_TRIES: 6,
  EDGE_RETRY_BASE_MS: 1000, // 1 s, 2 s, 4 s, …
  EDGE_RESCORE_MS: 24 * 3600 * 1000,
};
const setting = (env, key) => (env?.[key] !== undefined ? Number(env[key]) : DEFAULTS[key]);

const json = (body, status = 200) => Response.json(body, { status });
const problem = (status, code, path, message, help) => json({ code, path, message, help }, status);
const fromError = (e, status = 400) => (e instanceof HealthScoreError
  ? problem(status, e.code, e.path, e.message, e.help)
  : problem(500, 'internal_error', '', String(e?.message ?? e), 'report this as a bug'));

/**
 * A request's body as JSON, refused before it is read past `maxBytes` (by
 * its Content-Length, or counted while it streams in) or parsed past
 * `maxDepth` levels of nesting: `{ value }`, or `{ error }` holding the
 * answer to send (`status`, code `too_large` or `invalid_json`). Bad
 * traffic then costs the isolate neither memory nor time.
 */
export async function readJsonBody(request, { maxBytes = 64 * 1024, maxDepth = 32, status = 400 } = {}) {
  const declared = Number(request.headers.get('content-length'));
  const tooLarge = () => problem(status, 'too_large', '', 'the body is larger than the limit', `the limit is ${maxBytes} bytes per request`);
  if (Number.isFinite(declared) && declared > maxBytes) return { error: tooLarge() };
  let size = 0;
  const parts = [];
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return { error: tooLarge() };
      }
      parts.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  const text = new TextDecoder().decode(bytes);
  if (depthOf(text, maxDepth) > maxDepth) {
    return { error: problem(status, 'too_large', '', 'the body nests deeper than the limit', `the limit is ${maxDepth} levels`) };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: problem(400, 'invalid_json', '', 'the body is not JSON', 'send a JSON object') };
  }
}

const readJson = (request, env) => readJsonBody(request, { maxBytes: setting(env, 'EDGE_MAX_BODY_BYTES'), maxDepth: setting(env, 'EDGE_MAX_DEPTH') });

/** How deeply arrays and objects nest in JSON text (strings skipped), up to `limit` + 1. */
function depthOf(text, limit) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return depth;
}

/** An event `{ id, at, values?, increments? }` checked, or a 400. */
function checkEvent(e) {
  const bad = (path, message, help) => ({ error: problem(400, 'invalid_event', path, message, help) });
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return bad('', 'an event must be an object', 'send { id, at, values } or { id, at, increments }');
  for (const k of Object.keys(e)) {
    if (!['id', 'at', 'values', 'increments'].includes(k)) return bad(k, `unknown field \`${k}\``, 'the fields are id, at, values and increments');
  }
  if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 200) return bad('id', 'the event needs an id (text, 1 to 200 characters)', 'redeliveries with the same id are applied once');
  if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) return bad('at', 'the event needs an ISO date-time', 'e.g. "2026-03-01T09:30:00Z"');
  for (const k of ['values', 'increments']) {
    if (e[k] !== undefined && (e[k] === null || typeof e[k] !== 'object' || Array.isArray(e[k]))) return bad(k, `${k} must be an object`, `e.g. { "${k}": { "seats": 42 } }`);
  }
  for (const [m, d] of Object.entries(e.increments ?? {})) {
    if (typeof d !== 'number' || !Number.isFinite(d)) return bad(`increments.${m}`, 'an increment must be a finite number', 'e.g. { "complaints": 1 }');
  }
  if (!e.values && !e.increments) return bad('', 'the event changes nothing', 'give values or increments');
  return { value: e };
}

/** HMAC-SHA-256 of `body` with `secret`, as hex. */
async function sign(secret, body) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Routes a worker's request to the tenant and account objects (see the top of this file). */
export async function handle(request, env) {
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
  if (parts.length === 3 && (parts[2] === 'model' || parts[2] === 'webhook')) {
    return env.TENANTS.get(env.TENANTS.idFromName(tenant)).fetch(request);
  }
  if (parts[2] === 'accounts' && parts[3] && parts.length <= 5) {
    const stub = env.ACCOUNTS.get(env.ACCOUNTS.idFromName(`${tenant}\u0000${parts[3]}`));
    const inner = new Request(request, { headers: new Headers(request.headers) });
    inner.headers.set('x-health-tenant', tenant);
    inner.headers.set('x-health-account', parts[3]);
    return stub.fetch(inner);
  }
  return problem(404, 'not_found', '', 'no such route', 'see customer-health/edge for the routes');
}

/** A tenant: its models by hash (the current one marked) and its webhook. */
export class HealthTenant {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    this.sql.exec('CREATE TABLE IF NOT EXISTS models (hash TEXT PRIMARY KEY, json TEXT NOT NULL, published INTEGER NOT NULL)');
    this.sql.exec('CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  }

  async fetch(request) {
    const what = new URL(request.url).pathname.split('/').pop();
    if (request.method === 'GET') {
      if (what === 'model') {
        const row = this.sql.exec('SELECT hash, json FROM models ORDER BY published DESC LIMIT 1').toArray()[0];
        return row ? json({ hash: row.hash, model: JSON.parse(row.json) }) : problem(404, 'no_model', 'model', 'the tenant has no model yet', 'PUT one to /tenants/:t/model');
      }
      const row = this.sql.exec("SELECT value FROM config WHERE key = 'webhook'").toArray()[0];
      const hook = row ? JSON.parse(row.value) : null;
      // The secret goes to the account objects only (they call http://tenant/…),
      // never back out through the router.
      const internal = new URL(request.url).host === 'tenant';
      return json(hook && !internal ? { url: hook.url } : hook);
    }
    if (request.method !== 'PUT') return problem(405, 'method_not_allowed', '', 'use GET or PUT', 'see customer-health/edge for the routes');
    const body = await readJsonBody(request, { maxBytes: 4 * 1024 * 1024, maxDepth: 64 });
    if (body.error) return body.error;
    if (what === 'model') {
      let model;
      try {
        model = new HealthModel(body.value);
      } catch (e) {
        return fromError(e);
      }
      const hash = model.hash;
      const doc = model.toJSON();
      model.free();
      const current = this.sql.exec('SELECT json FROM models ORDER BY published DESC LIMIT 1').toArray()[0];
      const currentId = current ? JSON.parse(current.json).id : null;
      if (currentId !== null && currentId !== doc.id) {
        return problem(409, 'model_mismatch', 'id', `the tenant's model is \`${currentId}\`, not \`${doc.id}\``, 'publish new versions under the same id (accounts move to them with a modelChanged alert); another model is another tenant');
      }
      this.sql.exec('INSERT OR REPLACE INTO models (hash, json, published) VALUES (?, ?, ?)', hash, JSON.stringify(doc), Date.now());
      return json({ hash });
    }
    const w = body.value;
    if (!w || typeof w.url !== 'string' || !/^https?:\/\//.test(w.url) || typeof w.secret !== 'string' || w.secret.length < 16) {
      return problem(400, 'invalid_value', 'url', 'a webhook needs an http(s) url and a secret of 16 characters or more', 'PUT { "url": "https://…", "secret": "…" }');
    }
    this.sql.exec("INSERT OR REPLACE INTO config (key, value) VALUES ('webhook', ?)", JSON.stringify({ url: w.url, secret: w.secret }));
    return json({ ok: true });
  }
}

/** Models built once per isolate, by hash, and what is read of each per event. */
const models = new Map();
const facts = new WeakMap();

/** An account: values, last scorecard (with alert state), history, outbox. */
export class HealthAccount {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    for (const ddl of [
      'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, at TEXT NOT NULL)',
      // The history keeps what a trend, a replay and a chart need (the
      // point and the raw inputs); the full scorecard is kept for the last
      // snapshot only (meta 'last'): a tenth of the storage.
      'CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, point TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, body TEXT NOT NULL, tries INTEGER NOT NULL, next_at REAL NOT NULL, error TEXT)',
      'CREATE TABLE IF NOT EXISTS dead (key TEXT PRIMARY KEY, body TEXT NOT NULL, tries INTEGER NOT NULL, error TEXT)',
    ]) this.sql.exec(ddl);
  }

  meta(key) {
    return this.sql.exec('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value ?? null;
  }

  last() {
    const text = this.meta('last');
    return text ? JSON.parse(text) : null;
  }

  /**
   * The history `update` reads trends and drops from: the points within
   * the model's longest window (`historyDays`) before the previous
   * snapshot, as `{ at, score, band, modelHash }`; the library decides
   * where the current model's run starts (a point of another model ends
   * it), as it does for a history of scorecards.
   */
  recent(model, prev) {
    const since = Date.parse(prev.at) - facts.get(model).historyDays * 86_400_000;
    return this.sql.exec('SELECT point FROM snapshots ORDER BY seq').toArray()
      .map((r) => JSON.parse(r.point))
      .filter((p) => p.at !== prev.at && Date.parse(p.at) >= since)
      .map((p) => ({ at: p.at, score: p.score, band: p.band, modelHash: p.modelHash }));
  }

  /** The tenant's current model (built once per isolate). */
  async model() {
    const tenant = this.meta('tenant');
    const res = await this.env.TENANTS.get(this.env.TENANTS.idFromName(tenant)).fetch(new Request('http://tenant/model'));
    if (!res.ok) throw Object.assign(new Error('the tenant has no model yet'), { status: 409, body: await res.json() });
    const { hash, model } = await res.json();
    if (!models.has(hash)) {
      const built = new HealthModel(model);
      // What the object reads of a model on every event: the core's
      // description, read once.
      facts.set(built, built.describe());
      models.set(hash, built);
    }
    return models.get(hash);
  }

  async fetch(request) {
    const tenant = request.headers.get('x-health-tenant');
    const account = request.headers.get('x-health-account');
    const what = new URL(request.url).pathname.split('/').filter(Boolean)[4] ?? '';
    if (!this.meta('tenant')) {
      this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('tenant', ?), ('account', ?)", tenant, account);
    }
    await this.ensureAlarm();
    if (request.method === 'GET') {
      if (what === 'history') {
        return json({ snapshots: this.sql.exec('SELECT point FROM snapshots ORDER BY seq').toArray().map((r) => JSON.parse(r.point)) });
      }
      if (what === 'outbox') {
        const pending = this.sql.exec('SELECT key, tries, error FROM outbox ORDER BY key').toArray();
        const dead = this.sql.exec('SELECT key, tries, error FROM dead ORDER BY key').toArray();
        return json({ pending, dead, rescoreError: this.meta('rescoreError'), alarm: await this.ctx.storage.getAlarm() });
      }
      const card = this.last();
      return card ? json({ scorecard: card }) : problem(404, 'no_account', '', 'no event has reached this account yet', 'POST an event first');
    }
    if (request.method !== 'POST' || what !== 'events') return problem(405, 'method_not_allowed', '', 'POST events, GET the account', 'see customer-health/edge for the routes');
    const body = await readJson(request, this.env);
    if (body.error) return body.error;
    const checked = checkEvent(body.value);
    if (checked.error) return checked.error;
    // One event at a time: no other request runs until this one is stored.
    return this.ctx.blockConcurrencyWhile(() => this.apply(checked.value));
  }

  async apply(event) {
    const seen = this.sql.exec('SELECT at FROM events WHERE id = ?', event.id).toArray()[0];
    if (seen) return json({ duplicate: true, scorecard: this.last(), alerts: [] });
    let model;
    try {
      model = await this.model();
    } catch (e) {
      return e.body ? json(e.body, e.status) : fromError(e);
    }
    const prev = this.last();
    const lastEvent = this.meta('lastEventAt');
    if (lastEvent && Date.parse(event.at) < Date.parse(lastEvent)) {
      return problem(409, 'out_of_order', 'at', `the event at ${event.at} is older than the account's last event (${lastEvent})`, 'send events in time order; an older event cannot change the past');
    }
    const changed = { ...(event.values ?? {}) };
    for (const [m, d] of Object.entries(event.increments ?? {})) {
      // (on top of a value the same event sets, else of the current one)
      const now = m in changed ? changed[m] : prev?.categories.flatMap((c) => c.measures).find((x) => x.id === m)?.value;
      changed[m] = (typeof now === 'number' ? now : 0) + d;
    }
    let result;
    try {
      // An event older than a rescoring snapshot (but not than the last
      // event) is applied at the rescoring's time, so the history stays in
      // time order.
      const when = prev && Date.parse(prev.at) > Date.parse(event.at) ? prev.at : event.at;
      result = prev
        ? model.update(prev, changed, when, { history: this.recent(model, prev) })
        : {
          // Every value of an event is observed at the event's time (so that
          // values with a half-life age from it).
          scorecard: model.score({
            id: this.meta('account'),
            values: changed,
            observedAt: Object.fromEntries(Object.keys(changed).filter((k) => changed[k] !== null).map((k) => [k, event.at])),
          }, { at: event.at }),
          alerts: [],
        };
    } catch (e) {
      return fromError(e);
    }
    this.store(result, event.id);
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('lastEventAt', ?)", event.at);
    await this.ensureAlarm();
    return json(result);
  }

  /** The snapshot, its alerts in the outbox and the event id, in one transaction. */
  store({ scorecard, alerts }, eventId) {
    const max = Math.max(2, setting(this.env, 'EDGE_MAX_SNAPSHOTS') || DEFAULTS.EDGE_MAX_SNAPSHOTS);
    this.ctx.storage.transactionSync(() => {
      if (eventId) this.sql.exec('INSERT INTO events (id, at) VALUES (?, ?)', eventId, scorecard.at);
      const values = {};
      const observedAt = {};
      for (const m of scorecard.categories.flatMap((c) => c.measures)) {
        if (m.value !== null) values[m.id] = m.value;
        if (m.observedAt) observedAt[m.id] = m.observedAt;
      }
      const point = { at: scorecard.at, score: scorecard.score, band: scorecard.band.id, modelHash: scorecard.modelHash, values, observedAt };
      this.sql.exec('INSERT INTO snapshots (at, point) VALUES (?, ?)', scorecard.at, JSON.stringify(point));
      const seq = this.sql.exec('SELECT last_insert_rowid() AS seq').toArray()[0].seq;
      this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('last', ?)", JSON.stringify(scorecard));
      // Bounded history, thinned: over the cap, every second snapshot of the
      // older half goes, so the history keeps its span with fewer old points
      // (the first snapshot and the recent half stay whole).
      const count = this.sql.exec('SELECT COUNT(*) AS n FROM snapshots').toArray()[0].n;
      if (count > max) {
        this.sql.exec(`DELETE FROM snapshots WHERE seq IN (SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) AS r FROM snapshots) WHERE r <= ? AND r % 2 = 0)`, Math.floor(count / 2));
      }
      for (const alert of alerts) {
        // (the snapshot's sequence number keeps two alerts of one kind at the same time apart)
        const key = `${this.meta('account')}:${alert.at}:${alert.kind}:${seq}`;
        const body = JSON.stringify({ tenant: this.meta('tenant'), accountId: this.meta('account'), idempotencyKey: key, alert });
        this.sql.exec('INSERT OR IGNORE INTO outbox (key, body, tries, next_at) VALUES (?, ?, 0, ?)', key, body, Date.now());
      }
    });
    if (alerts.length > 0) this.ctx.storage.setAlarm(Date.now());
  }

  /** An alarm is set whenever something waits: an undelivered alert, or the daily rescoring. */
  async ensureAlarm() {
    if ((await this.ctx.storage.getAlarm()) !== null) return;
    const next = this.sql.exec('SELECT MIN(next_at) AS n FROM outbox').toArray()[0]?.n;
    if (next != null) await this.ctx.storage.setAlarm(next);
    else if (this.last()) await this.ctx.storage.setAlarm(Date.now() + setting(this.env, 'EDGE_RESCORE_MS'));
  }

  async alarm() {
    const now = Date.now();
    // Daily rescoring: values with a half-life go stale without events. Run
    // as an event is (one at a time), so that no event stored meanwhile is
    // overwritten by a rescoring of the scorecard before it.
    await this.ctx.blockConcurrencyWhile(async () => {
      const before = this.last();
      if (!before || now - Date.parse(before.at) < setting(this.env, 'EDGE_RESCORE_MS')) return;
      try {
        const model = await this.model();
        // Only values with a half-life change with time alone.
        const prev = this.last();
        if (facts.get(model).ages && prev) this.store(model.update(prev, {}, new Date(now).toISOString(), { history: this.recent(model, prev) }), null);
      } catch (e) {
        // The tenant's model is gone or refuses the account: try again next
        // period; the reason is shown with the outbox.
        this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('rescoreError', ?)", String(e?.message ?? e));
      }
    });
    await this.deliver(now);
    const next = this.sql.exec('SELECT MIN(next_at) AS n FROM outbox').toArray()[0]?.n;
    await this.ctx.storage.setAlarm(next ?? now + setting(this.env, 'EDGE_RESCORE_MS'));
  }

  /** POSTs each due alert to the tenant's webhook, signed; failures back off, then go to dead letters. */
  async deliver(now) {
    const due = this.sql.exec('SELECT key, body, tries FROM outbox WHERE next_at <= ? ORDER BY key', now).toArray();
    if (due.length === 0) return;
    const tenant = this.meta('tenant');
    const hook = await (await this.env.TENANTS.get(this.env.TENANTS.idFromName(tenant)).fetch(new Request('http://tenant/webhook'))).json();
    for (const row of due) {
      let error = null;
      if (!hook) {
        error = 'the tenant has no webhook';
      } else {
        try {
          const res = await fetch(hook.url, {
            method: 'POST',
            body: row.body,
            headers: { 'content-type': 'application/json', 'idempotency-key': row.key, 'x-health-signature': `sha256=${await sign(hook.secret, row.body)}` },
          });
          if (!res.ok) error = `HTTP ${res.status}`;
          await res.body?.cancel();
        } catch (e) {
          error = String(e?.message ?? e);
        }
      }
      const tries = row.tries + 1;
      if (error === null) {
        this.sql.exec('DELETE FROM outbox WHERE key = ?', row.key);
      } else if (tries >= setting(this.env, 'EDGE_MAX_TRIES')) {
        this.ctx.storage.transactionSync(() => {
          this.sql.exec('INSERT OR REPLACE INTO dead (key, body, tries, error) VALUES (?, ?, ?, ?)', row.key, row.body, tries, error);
          this.sql.exec('DELETE FROM outbox WHERE key = ?', row.key);
        });
      } else {
        const wait = setting(this.env, 'EDGE_RETRY_BASE_MS') * 2 ** (tries - 1);
        this.sql.exec('UPDATE outbox SET tries = ?, next_at = ?, error = ? WHERE key = ?', tries, now + wait, error, row.key);
      }
    }
  }
}
