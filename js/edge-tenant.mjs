// customer-health/edge, the tenant's Durable Object (`HealthTenant`, SQLite):
// its API keys (hashed), models by hash, webhook and its secrets, an index
// of its accounts with each one's latest score (the portfolio summary and
// the account list read it, never the accounts), its dead letters, its
// counters, and the move of every account to a newly published model.
import { HealthModel } from './index.worker.mjs';
import { SCOPES, mintKey, sameSecret } from './edge-auth.mjs';
import { accountStub, allowPrivateWebhooks, callObject, fail, pageLimit, serveObject, setting } from './edge-http.mjs';
import { postDelivery, webhookUrlProblem } from './edge-webhook.mjs';

/** Model versions kept per tenant (older ones are deleted; accounts only ever need the current one). */
const MODEL_VERSIONS = 20;

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const newSecret = () => `whsec_${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;

export class HealthTenant {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    for (const ddl of [
      'CREATE TABLE IF NOT EXISTS models (hash TEXT PRIMARY KEY, json TEXT NOT NULL, published REAL NOT NULL)',
      'CREATE TABLE IF NOT EXISTS config (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL, name TEXT NOT NULL, scopes TEXT NOT NULL, created TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS accounts (id TEXT PRIMARY KEY, score REAL, band TEXT NOT NULL, value REAL, coverage REAL, low INTEGER NOT NULL, model_hash TEXT NOT NULL, at TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS dead (key TEXT PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, error TEXT, tries INTEGER NOT NULL, died_at TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS dead_by_account ON dead (account)',
      'CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)',
    ]) this.sql.exec(ddl);
    this.name = this.config('name');
  }

  config(key) {
    const v = this.sql.exec('SELECT value FROM config WHERE key = ?', key).toArray()[0]?.value;
    return v === undefined ? null : JSON.parse(v);
  }

  setConfig(key, value) {
    if (value === null) this.sql.exec('DELETE FROM config WHERE key = ?', key);
    else this.sql.exec('INSERT OR REPLACE INTO config (key, value) VALUES (?, ?)', key, JSON.stringify(value));
  }

  /** The tenant's name (an object does not know the name it was made from). */
  remember(tenant) {
    if (typeof tenant === 'string' && this.name !== tenant) {
      if (this.config('name') !== tenant) this.setConfig('name', tenant);
      this.name = tenant;
    }
  }

  current() {
    return this.sql.exec('SELECT hash, json FROM models ORDER BY published DESC LIMIT 1').toArray()[0] ?? null;
  }

  count(name, n = 1) {
    if (n) this.sql.exec('INSERT INTO counters (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = n + excluded.n', name, n);
  }

  /** The caller's right to `scope`: null, or the failure to answer with. */
  async authorize(auth, scope) {
    if (auth?.operator) return null;
    const row = this.sql.exec('SELECT hash, scopes FROM keys WHERE id = ?', auth?.keyId ?? '').toArray()[0];
    if (!row || !(await sameSecret(row.hash, auth.keyHash ?? ''))) {
      return fail(401, 'invalid_key', '', 'the key is not a key of this tenant, or it was revoked', 'create a key for this tenant (POST /tenants/:t/keys)');
    }
    if (!JSON.parse(row.scopes).includes(scope)) {
      return fail(403, 'missing_scope', '', `the key does not have the \`${scope}\` scope`, `create a key with the scopes it needs (${SCOPES.join(', ')})`);
    }
    return null;
  }

  async fetch(request) {
    return serveObject(request, {
      // From the worker, for a client's request.
      route: (p) => {
        this.remember(p.tenant);
        return this.route(p);
      },
      authorize: async ({ tenant, auth, scope, account }) => {
        this.remember(tenant);
        const refused = await this.authorize(auth, scope);
        if (refused) return refused;
        const known = account != null && this.sql.exec('SELECT 1 FROM accounts WHERE id = ?', account).toArray().length > 0;
        return { body: { modelHash: this.current()?.hash ?? null, accountKnown: known } };
      },
      forget: ({ account }) => {
        this.ctx.storage.transactionSync(() => {
          this.sql.exec('DELETE FROM accounts WHERE id = ?', account);
          this.sql.exec('DELETE FROM dead WHERE account = ?', account);
          this.count('erasures');
        });
        return { body: { forgotten: true } };
      },
      // From the tenant's accounts.
      model: ({ hash }) => {
        const row = hash ? this.sql.exec('SELECT hash, json FROM models WHERE hash = ?', hash).toArray()[0] : this.current();
        return row ? { body: { hash: row.hash, model: JSON.parse(row.json) } } : fail(409, 'no_model', 'model', 'the tenant has no such model', 'PUT one to /tenants/:t/model');
      },
      current: () => ({ body: { hash: this.current()?.hash ?? null } }),
      webhook: () => ({ body: this.deliveryTarget() }),
      report: (p) => this.report(p),
    });
  }

  /** Where deliveries go now: `{ hook: { url, secrets } }` (unexpired secrets, newest first), `{ hook: null }`, or `{ refused }`. */
  deliveryTarget() {
    const w = this.config('webhook');
    if (!w) return { hook: null };
    const problem = webhookUrlProblem(w.url, allowPrivateWebhooks(this.env));
    if (problem) return { refused: problem };
    const now = Date.now();
    return { hook: { url: w.url, secrets: w.secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now).map((s) => s.secret) } };
  }

  /** An account's latest state, its counters and new dead letters, sent after each change it stores. */
  report({ account, row, counters, dead }) {
    this.ctx.storage.transactionSync(() => {
      if (row) {
        this.sql.exec(
          'INSERT OR REPLACE INTO accounts (id, score, band, value, coverage, low, model_hash, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          account, row.score, row.band, row.value, row.coverage, row.lowCoverage ? 1 : 0, row.modelHash, row.at,
        );
      }
      for (const [name, n] of Object.entries(counters ?? {})) this.count(name, n);
      for (const d of dead ?? []) {
        this.sql.exec('INSERT OR REPLACE INTO dead (key, account, kind, error, tries, died_at) VALUES (?, ?, ?, ?, ?, ?)', d.key, account, d.kind, d.error, d.tries, d.diedAt);
      }
    });
    return { body: { hash: this.current()?.hash ?? null } };
  }

  async route({ auth, scope, route, params, query, body }) {
    const refused = await this.authorize(auth, scope);
    if (refused) return refused;
    switch (route) {
      case 'keys.create': return this.createKey(body);
      case 'keys.list':
        return { body: { keys: this.sql.exec('SELECT id, name, scopes, created FROM keys ORDER BY created').toArray().map((k) => ({ id: k.id, name: k.name, scopes: JSON.parse(k.scopes), createdAt: k.created })) } };
      case 'keys.revoke': {
        const gone = this.sql.exec('DELETE FROM keys WHERE id = ? RETURNING id', params.id).toArray().length > 0;
        return gone ? { body: { revoked: params.id } } : fail(404, 'no_key', 'id', `no key \`${params.id}\``, 'GET /tenants/:t/keys lists the keys');
      }
      case 'model.put': return this.publish(body);
      case 'model.get': {
        const row = this.current();
        return row ? { body: { hash: row.hash, model: JSON.parse(row.json) } } : fail(404, 'no_model', 'model', 'the tenant has no model yet', 'PUT one to /tenants/:t/model');
      }
      case 'webhook.put': return this.setWebhook(body);
      case 'webhook.get': {
        const w = this.config('webhook');
        // The secrets never leave: only when each was added and until when it is valid.
        return w ? { body: { url: w.url, secrets: w.secrets.map(({ addedAt, expiresAt }) => ({ addedAt, expiresAt })) } } : fail(404, 'no_webhook', '', 'the tenant has no webhook', 'PUT one to /tenants/:t/webhook');
      }
      case 'webhook.rotate': return this.rotate(body);
      case 'webhook.test': return this.testDelivery(this.name);
      case 'accounts.list': {
        const limit = pageLimit(query, this.env);
        const rows = this.sql.exec('SELECT id, score, band, value, coverage, low, model_hash, at FROM accounts WHERE id > ? ORDER BY id LIMIT ?', query.cursor ?? '', limit + 1).toArray();
        const page = rows.slice(0, limit).map((r) => ({ id: r.id, score: r.score, band: r.band, value: r.value, coverage: r.coverage, lowCoverage: r.low === 1, modelHash: r.model_hash, at: r.at }));
        return { body: { accounts: page, next: rows.length > limit ? page.at(-1).id : null } };
      }
      case 'summary': return { body: this.summary() };
      case 'dead.list': {
        const limit = pageLimit(query, this.env);
        const rows = this.sql.exec('SELECT key, account, kind, error, tries, died_at FROM dead WHERE key > ? ORDER BY key LIMIT ?', query.cursor ?? '', limit + 1).toArray();
        const page = rows.slice(0, limit).map((r) => ({ key: r.key, accountId: r.account, kind: r.kind, error: r.error, tries: r.tries, diedAt: r.died_at }));
        return { body: { deadLetters: page, next: rows.length > limit ? page.at(-1).key : null } };
      }
      case 'dead.resend': return this.resend(body, this.name);
      case 'counters':
        return { body: { counters: Object.fromEntries(this.sql.exec('SELECT name, n FROM counters ORDER BY name').toArray().map((r) => [r.name, r.n])) } };
      default:
        return fail(404, 'not_found', '', `no route \`${route}\``, 'see customer-health/edge for the routes');
    }
  }

  async createKey(body) {
    const b = body ?? {};
    const scopes = b.scopes;
    if (!Array.isArray(scopes) || scopes.length === 0 || scopes.some((s) => !SCOPES.includes(s)) || new Set(scopes).size !== scopes.length) {
      return fail(400, 'invalid_value', 'scopes', 'scopes must be a non-empty list of ingest, read and admin', 'e.g. { "name": "crm sync", "scopes": ["ingest"] }');
    }
    if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length > 100)) return fail(400, 'invalid_value', 'name', 'name must be text of at most 100 characters', 'what the key is for');
    if (this.sql.exec('SELECT COUNT(*) AS n FROM keys').toArray()[0].n >= 100) return fail(409, 'too_many_keys', '', 'the tenant has 100 keys', 'revoke keys that are no longer used');
    const { id, key } = await mintKey(this.env.EDGE_OPERATOR_SECRET, this.name);
    const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key));
    const hex = [...new Uint8Array(hash)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const createdAt = new Date().toISOString();
    this.sql.exec('INSERT INTO keys (id, hash, name, scopes, created) VALUES (?, ?, ?, ?, ?)', id, hex, b.name ?? '', JSON.stringify(scopes), createdAt);
    return { status: 201, body: { id, key, name: b.name ?? '', scopes, createdAt, note: 'the key is shown once: store it now' } };
  }

  publish(given) {
    let model;
    try {
      model = new HealthModel(given);
    } catch (e) {
      return fail(400, e.code ?? 'internal_error', e.path ?? '', e.message, e.help ?? 'check the model');
    }
    const hash = model.hash;
    const doc = model.toJSON();
    const text = JSON.stringify(doc);
    const { id } = doc;
    model.free();
    const current = this.current();
    const currentId = current ? JSON.parse(current.json).id : null;
    if (currentId !== null && currentId !== id) {
      return fail(409, 'model_mismatch', 'id', `the tenant's model is \`${currentId}\`, not \`${id}\``, 'publish new versions under the same id (accounts move to them with a modelChanged alert); another model is another tenant');
    }
    this.ctx.storage.transactionSync(() => {
      this.sql.exec('INSERT OR REPLACE INTO models (hash, json, published) VALUES (?, ?, ?)', hash, text, Date.now());
      this.sql.exec('DELETE FROM models WHERE hash NOT IN (SELECT hash FROM models ORDER BY published DESC LIMIT ?)', MODEL_VERSIONS);
    });
    const moving = this.sql.exec('SELECT COUNT(*) AS n FROM accounts WHERE model_hash != ?', hash).toArray()[0].n;
    if (moving > 0) {
      this.setConfig('move', { hash, cursor: '' });
      this.ctx.storage.setAlarm(Date.now());
    }
    return { body: { hash, moving } };
  }

  setWebhook(body) {
    const w = body ?? {};
    if (typeof w.url !== 'string') return fail(400, 'invalid_value', 'url', 'a webhook needs a url', 'PUT { "url": "https://…" } (and a secret of 24 characters or more, or none to have one made)');
    const problem = webhookUrlProblem(w.url, allowPrivateWebhooks(this.env));
    if (problem) return fail(400, 'unsafe_url', 'url', problem, 'use a public https endpoint (EDGE_ALLOW_PRIVATE_WEBHOOKS=true allows private ones in development)');
    if (w.secret !== undefined && (typeof w.secret !== 'string' || w.secret.length < 24 || w.secret.length > 200)) {
      return fail(400, 'invalid_value', 'secret', 'a webhook secret must be 24 to 200 characters', 'or leave it out to have one made');
    }
    const secret = w.secret ?? newSecret();
    this.setConfig('webhook', { url: w.url, secrets: [{ secret, addedAt: new Date().toISOString(), expiresAt: null }] });
    return { body: { url: w.url, ...(w.secret === undefined ? { secret } : {}) } };
  }

  rotate(body) {
    const w = this.config('webhook');
    if (!w) return fail(404, 'no_webhook', '', 'the tenant has no webhook', 'PUT one to /tenants/:t/webhook first');
    const b = body ?? {};
    if (b.secret !== undefined && (typeof b.secret !== 'string' || b.secret.length < 24 || b.secret.length > 200)) {
      return fail(400, 'invalid_value', 'secret', 'a webhook secret must be 24 to 200 characters', 'or leave it out to have one made');
    }
    const keep = b.keepOldSeconds ?? 86_400;
    if (typeof keep !== 'number' || !Number.isFinite(keep) || keep < 0 || keep > 7 * 86_400) {
      return fail(400, 'invalid_value', 'keepOldSeconds', 'keepOldSeconds must be 0 to 604800 (7 days)', 'how long deliveries are also signed with the old secret (default a day)');
    }
    const now = Date.now();
    const until = new Date(now + keep * 1000).toISOString();
    const secret = b.secret ?? newSecret();
    // The new secret first; the old ones valid until `until` (or their own, earlier, end).
    const old = w.secrets
      .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now)
      .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until }));
    this.setConfig('webhook', { url: w.url, secrets: [{ secret, addedAt: new Date(now).toISOString(), expiresAt: null }, ...old].slice(0, 2) });
    return { body: { previousValidUntil: until, ...(b.secret === undefined ? { secret } : {}) } };
  }

  async testDelivery(tenant) {
    const target = this.deliveryTarget();
    if (target.refused) return fail(400, 'unsafe_url', 'url', target.refused, 'PUT a public https endpoint');
    if (!target.hook) return fail(404, 'no_webhook', '', 'the tenant has no webhook', 'PUT one to /tenants/:t/webhook first');
    const at = new Date().toISOString();
    const key = `${encodeURIComponent(tenant)}:test:${at}`;
    const body = JSON.stringify({ tenant, accountId: null, idempotencyKey: key, test: true, alert: { kind: 'test', at, message: 'a test delivery from customer-health/edge' } });
    const r = await postDelivery(target.hook, key, body, this.env);
    return { body: { delivered: r.ok, status: r.status, error: r.error, ms: r.ms, idempotencyKey: key } };
  }

  async resend(body, tenant) {
    const b = body ?? {};
    if (b.keys !== undefined && (!Array.isArray(b.keys) || b.keys.length > 100 || b.keys.some((k) => typeof k !== 'string'))) {
      return fail(400, 'invalid_value', 'keys', 'keys must be a list of at most 100 dead letter keys', 'or leave it out to resend the 100 oldest');
    }
    const rows = b.keys
      ? b.keys.flatMap((k) => this.sql.exec('SELECT key, account FROM dead WHERE key = ?', k).toArray())
      : this.sql.exec('SELECT key, account FROM dead ORDER BY died_at LIMIT 100').toArray();
    const byAccount = new Map();
    for (const r of rows) byAccount.set(r.account, [...(byAccount.get(r.account) ?? []), r.key]);
    let resent = 0;
    await Promise.all([...byAccount].map(async ([account, keys]) => {
      const r = await callObject(accountStub(this.env, tenant, account), 'resend', { keys });
      if (r.status !== 200) return;
      for (const k of r.body.keys) this.sql.exec('DELETE FROM dead WHERE key = ?', k);
      resent += r.body.keys.length;
    }));
    return { body: { resent } };
  }

  summary() {
    const current = this.current();
    const bandsOfModel = current ? JSON.parse(current.json).bands.map((b) => b.id) : [];
    const all = this.sql.exec('SELECT COUNT(*) AS n, COUNT(score) AS scored, AVG(score) AS mean, SUM(low) AS low, SUM(value) AS value FROM accounts').toArray()[0];
    const byBand = new Map(this.sql.exec('SELECT band, COUNT(*) AS n, SUM(value) AS value FROM accounts GROUP BY band').toArray().map((r) => [r.band, r]));
    const order = [...bandsOfModel, ...[...byBand.keys()].filter((b) => !bandsOfModel.includes(b)).sort()];
    return {
      accounts: all.n,
      scored: all.scored,
      meanScore: all.mean,
      lowCoverage: all.low ?? 0,
      value: all.value,
      bands: order.map((band) => ({ band, accounts: byBand.get(band)?.n ?? 0, value: byBand.get(band)?.value ?? 0 })),
      modelHash: current?.hash ?? null,
      moving: current ? this.sql.exec('SELECT COUNT(*) AS n FROM accounts WHERE model_hash != ?', current.hash).toArray()[0].n : 0,
      deadLetters: this.sql.exec('SELECT COUNT(*) AS n FROM dead').toArray()[0].n,
    };
  }

  /** Moves the next batch of accounts to the model being rolled out; one alarm per EDGE_MOVE_EVERY_MS until none is left. */
  async alarm() {
    const move = this.config('move');
    if (!move) return;
    const batch = this.sql.exec('SELECT id FROM accounts WHERE id > ? AND model_hash != ? ORDER BY id LIMIT ?', move.cursor, move.hash, setting(this.env, 'EDGE_MOVE_BATCH')).toArray().map((r) => r.id);
    if (batch.length === 0) {
      this.setConfig('move', null);
      return;
    }
    const results = await Promise.all(batch.map((account) => callObject(accountStub(this.env, this.config('name'), account), 'move', { hash: move.hash }).catch((e) => ({ status: 500, body: { message: String(e) } }))));
    this.count('moves', results.filter((r) => r.status === 200 && r.body.moved).length);
    this.count('moveErrors', results.filter((r) => r.status !== 200).length);
    // (a newer publish during the batch restarted the move: keep its cursor)
    if (this.config('move')?.hash === move.hash) this.setConfig('move', { ...move, cursor: batch.at(-1) });
    await this.ctx.storage.setAlarm(Date.now() + setting(this.env, 'EDGE_MOVE_EVERY_MS'));
  }
}
