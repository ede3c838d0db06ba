// customer-health/edge, an account's Durable Object (`HealthAccount`,
// SQLite): the account's inputs (values and series, fields, value, notes),
// its last scorecard with the alert state, a bounded history, the ids of
// recent events, an outbox of alerts and its dead letters. Events are
// applied one at a time; each change is stored in one transaction with
// the alerts it raised, then reported to the tenant (its index, summary
// and counters).
import { HealthModel } from './index.worker.mjs';
import { accountFor, applyEvent, eventDigest } from './edge-events.mjs';
import { callObject, fail, pageLimit, serveObject, setting, tenantStub } from './edge-http.mjs';
import { postDelivery, retryDelay } from './edge-webhook.mjs';

const DAY = 86_400_000;

/** Built models by hash, least recently used first, at most EDGE_MODEL_CACHE per isolate. */
const models = new Map();

function remember(hash, entry, env) {
  models.delete(hash);
  models.set(hash, entry);
  while (models.size > Math.max(1, setting(env, 'EDGE_MODEL_CACHE'))) {
    const [oldest, { model }] = models.entries().next().value;
    models.delete(oldest);
    model.free();
  }
}

/**
 * The points within `days` before `prevAt`, one per moment: events at the
 * same time each left a snapshot, and the last one stands for that moment;
 * the previous scorecard stands for its own.
 */
function windowOf(points, prevAt, days) {
  const since = Date.parse(prevAt) - days * DAY;
  const byMoment = new Map();
  for (const p of points) {
    if (p.at === prevAt || Date.parse(p.at) < since) continue;
    byMoment.delete(p.at);
    byMoment.set(p.at, p);
  }
  return [...byMoment.values()];
}

/** A coded failure thrown from inside a step, answered as it is. */
class Refusal extends Error {
  constructor(answer) {
    super(answer.body.message);
    this.answer = answer;
  }
}

export class HealthAccount {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
    this.sql = ctx.storage.sql;
    for (const ddl of [
      'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
      // Applied event ids within the replay horizon (and what each held).
      'CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, at_ms REAL NOT NULL, digest TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS events_by_time ON events (at_ms)',
      // What a trend, a replay and a chart need of each snapshot (the full
      // scorecard is kept for the last one only, in meta 'last').
      'CREATE TABLE IF NOT EXISTS snapshots (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms REAL NOT NULL, point TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, tries INTEGER NOT NULL, next_at REAL NOT NULL, error TEXT)',
      // (reported: the tenant's list of dead letters has it)
      'CREATE TABLE IF NOT EXISTS dead (key TEXT PRIMARY KEY, kind TEXT NOT NULL, body TEXT NOT NULL, tries INTEGER NOT NULL, error TEXT, died_at TEXT NOT NULL, reported INTEGER NOT NULL DEFAULT 0)',
    ]) this.sql.exec(ddl);
  }

  meta(key) {
    const v = this.sql.exec('SELECT value FROM meta WHERE key = ?', key).toArray()[0]?.value;
    return v === undefined ? null : JSON.parse(v);
  }

  setMeta(key, value) {
    if (value === null) this.sql.exec('DELETE FROM meta WHERE key = ?', key);
    else this.sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, JSON.stringify(value));
  }

  tenant() {
    return tenantStub(this.env, this.meta('tenant'));
  }

  /** The tenant's model `hash` (its current one when null), built once per isolate: `{ model, facts, measureIds }`. */
  async model(hash) {
    if (hash && models.has(hash)) {
      const entry = models.get(hash);
      remember(hash, entry, this.env);
      return entry;
    }
    const r = await callObject(this.tenant(), 'model', { hash });
    if (r.status !== 200) throw new Refusal(r);
    if (models.has(r.body.hash)) return models.get(r.body.hash);
    const model = new HealthModel(r.body.model);
    const facts = model.describe();
    const entry = { model, facts, measureIds: new Set(facts.measures.map((m) => m.id)) };
    remember(r.body.hash, entry, this.env);
    return entry;
  }

  async fetch(request) {
    return serveObject(request, {
      event: (p) => this.ctx.blockConcurrencyWhile(() => this.event(p)),
      backfill: (p) => this.ctx.blockConcurrencyWhile(() => this.backfill(p)),
      move: (p) => this.ctx.blockConcurrencyWhile(() => this.move(p)),
      get: () => {
        const card = this.meta('last');
        return card ? { body: { scorecard: card } } : fail(404, 'no_account', '', 'no event has reached this account yet', 'POST an event first');
      },
      history: ({ query }) => {
        const limit = pageLimit(query, this.env);
        const after = Number(query?.cursor ?? 0) || 0;
        const rows = this.sql.exec('SELECT seq, point FROM snapshots WHERE seq > ? ORDER BY seq LIMIT ?', after, limit + 1).toArray();
        const page = rows.slice(0, limit);
        return { body: { snapshots: page.map((r) => JSON.parse(r.point)), next: rows.length > limit ? String(page.at(-1).seq) : null } };
      },
      outbox: async () => ({
        body: {
          pending: this.sql.exec('SELECT key, kind, tries, next_at, error FROM outbox ORDER BY key').toArray().map((r) => ({ key: r.key, kind: r.kind, tries: r.tries, nextAt: new Date(r.next_at).toISOString(), error: r.error })),
          dead: this.sql.exec('SELECT key, kind, tries, error, died_at FROM dead ORDER BY key').toArray().map((r) => ({ key: r.key, kind: r.kind, tries: r.tries, error: r.error, diedAt: r.died_at })),
          rescoreError: this.meta('rescoreError'),
          alarm: await this.ctx.storage.getAlarm(),
        },
      }),
      export: () => ({ body: this.exported() }),
      erase: async () => {
        await this.ctx.storage.deleteAlarm();
        await this.ctx.storage.deleteAll();
        return { body: { erased: true } };
      },
      resend: ({ keys }) => {
        const moved = [];
        this.ctx.storage.transactionSync(() => {
          for (const key of keys) {
            const row = this.sql.exec('DELETE FROM dead WHERE key = ? RETURNING key, kind, body', key).toArray()[0];
            if (!row) continue;
            this.sql.exec('INSERT OR REPLACE INTO outbox (key, kind, body, tries, next_at, error) VALUES (?, ?, ?, 0, ?, NULL)', row.key, row.kind, row.body, Date.now());
            moved.push(key);
          }
        });
        if (moved.length > 0) this.ctx.storage.setAlarm(Date.now());
        return { body: { keys: moved } };
      },
    });
  }

  /** Everything stored about the account, as JSON (the export route). */
  exported() {
    const rows = (q) => this.sql.exec(q).toArray();
    return {
      tenant: this.meta('tenant'),
      accountId: this.meta('account'),
      inputs: this.meta('inputs'),
      scorecard: this.meta('last'),
      lastEventAt: this.meta('lastEventAt'),
      events: rows('SELECT id, at_ms, digest FROM events ORDER BY at_ms').map((r) => ({ id: r.id, at: new Date(r.at_ms).toISOString(), digest: r.digest })),
      snapshots: rows('SELECT point FROM snapshots ORDER BY seq').map((r) => JSON.parse(r.point)),
      outbox: rows('SELECT key, kind, body, tries, error FROM outbox ORDER BY key').map((r) => ({ ...r, body: JSON.parse(r.body) })),
      deadLetters: rows('SELECT key, kind, body, tries, error, died_at FROM dead ORDER BY key').map((r) => ({ ...r, body: JSON.parse(r.body) })),
    };
  }

  /** Remembers which account this object is (the first call that creates it). */
  name(tenant, account) {
    if (this.meta('tenant') === null) {
      this.setMeta('tenant', tenant);
      this.setMeta('account', account);
    }
  }

  /**
   * The points `advance` reads trends and drops from: those within the
   * model's longest window (`historyDays`) before `prevAt`, as `{ at,
   * score, band, modelHash }` (the library decides where the model's run
   * starts).
   */
  recent(facts, prevAt) {
    const since = Date.parse(prevAt) - facts.historyDays * DAY;
    const points = this.sql.exec('SELECT point FROM snapshots WHERE at_ms >= ? ORDER BY seq', since).toArray().map((r) => {
      const p = JSON.parse(r.point);
      return { at: p.at, score: p.score, band: p.band, modelHash: p.modelHash };
    });
    return windowOf(points, prevAt, facts.historyDays);
  }

  /** Refuses an event naming a measure the model does not have (stored inputs of an older model are only left out). */
  known(entry, event, prefix = '') {
    for (const k of ['values', 'increments', 'notes']) {
      for (const m of Object.keys(event[k] ?? {})) {
        if (!entry.measureIds.has(m)) {
          throw new Refusal(fail(400, 'unknown_measure', `${prefix}${k}.${m}`, `the model has no measure \`${m}\``, `the measures are ${[...entry.measureIds].join(', ')}`));
        }
      }
    }
  }

  /** The next scorecard from stored inputs: `{ scorecard, alerts }`. */
  step(entry, prev, inputs, at, history) {
    const account = accountFor(inputs, entry.measureIds);
    try {
      if (!prev) return { scorecard: entry.model.score(account, { at }), alerts: [] };
      // (an event older than a rescoring snapshot, not than the last event, is applied at the rescoring's time)
      const when = Date.parse(prev.at) > Date.parse(at) ? prev.at : at;
      return entry.model.advance(prev, account, when, { history });
    } catch (e) {
      if (e?.code) throw new Refusal(fail(400, e.code, e.path ?? '', e.message, e.help ?? ''));
      throw e;
    }
  }

  /** Whether an event id was applied: null, or the answer to give (a duplicate, or `id_conflict`). */
  async seen(event, digest) {
    const row = this.sql.exec('SELECT digest FROM events WHERE id = ?', event.id).toArray()[0];
    if (!row) return null;
    if (row.digest === digest) return { body: { duplicate: true, scorecard: this.meta('last'), alerts: [] } };
    return fail(409, 'id_conflict', 'id', `the event id \`${event.id}\` was applied with another content`, 'an event id names one event: give a new event a new id');
  }

  /** Refuses an event older than the account's last one (`out_of_order`, or `too_old` past the replay horizon). */
  inOrder(event, path = 'at') {
    const last = this.meta('lastEventAt');
    if (last === null) return;
    const at = Date.parse(event.at);
    if (at < Date.parse(last) - setting(this.env, 'EDGE_REPLAY_DAYS') * DAY) {
      throw new Refusal(fail(409, 'too_old', path, `the event at ${event.at} is older than the replay horizon (${setting(this.env, 'EDGE_REPLAY_DAYS')} days before the last event, ${last})`, 'its id is no longer remembered, so it cannot be told from a redelivery: it is not applied'));
    }
    if (at < Date.parse(last)) {
      throw new Refusal(fail(409, 'out_of_order', path, `the event at ${event.at} is older than the account's last event (${last})`, 'send events in time order; an older event cannot change the past'));
    }
  }

  async event({ tenant, account, modelHash, event }) {
    try {
      this.name(tenant, account);
      const digest = await eventDigest(event);
      const seen = await this.seen(event, digest);
      if (seen) return seen;
      this.inOrder(event);
      const entry = await this.model(modelHash);
      this.known(entry, event);
      const prev = this.meta('last');
      const inputs = applyEvent(this.meta('inputs') ?? { id: account, fields: {}, values: {}, observedAt: {}, notes: {} }, event);
      const result = this.step(entry, prev, inputs, event.at, prev ? this.recent(entry.facts, prev.at) : []);
      this.store([{ result, inputs, event, digest }], { deliver: true });
      await this.report({ events: 1, alerts: result.alerts.length });
      await this.schedule(entry);
      return { body: result };
    } catch (e) {
      if (e instanceof Refusal) return e.answer;
      throw e;
    }
  }

  /**
   * Dated events in one transaction: checked first (each in time order, none
   * before the account's last event), applied one after another with the
   * history they build, stored together; the alerts they raise update the
   * alert state but are not delivered (they are the past). Ids already
   * applied with the same content are skipped, so a batch can be sent again.
   */
  async backfill({ tenant, account, modelHash, events }) {
    try {
      const max = setting(this.env, 'EDGE_MAX_BACKFILL');
      if (events.length > max) return fail(400, 'too_large', 'events', `${events.length} events is more than the limit`, `send at most ${max} events per backfill`);
      this.name(tenant, account);
      const entry = await this.model(modelHash);
      let prev = this.meta('last');
      let inputs = this.meta('inputs') ?? { id: account, fields: {}, values: {}, observedAt: {}, notes: {} };
      const history = prev ? this.recent(entry.facts, prev.at) : [];
      const steps = [];
      const ids = new Set();
      let skipped = 0;
      let suppressed = 0;
      let last = this.meta('lastEventAt');
      for (const [i, event] of events.entries()) {
        if (ids.has(event.id)) return fail(400, 'duplicate_id', `events[${i}].id`, `the event id \`${event.id}\` appears twice in the batch`, 'each event has its own id');
        ids.add(event.id);
        const digest = await eventDigest(event);
        const seen = await this.seen(event, digest);
        if (seen?.status === 409) return { ...seen, body: { ...seen.body, path: `events[${i}].id` } };
        if (seen) {
          skipped++;
          continue;
        }
        if (last !== null && Date.parse(event.at) < Date.parse(last)) {
          this.inOrder(event, `events[${i}].at`);
          throw new Refusal(fail(409, 'out_of_order', `events[${i}].at`, `the event at ${event.at} is older than the event before it (${last})`, 'sort a backfill by time'));
        }
        last = event.at;
        this.known(entry, event, `events[${i}].`);
        inputs = applyEvent(inputs, event);
        let result;
        try {
          result = this.step(entry, prev, inputs, event.at, prev ? windowOf(history, prev.at, entry.facts.historyDays) : []);
        } catch (e) {
          if (e instanceof Refusal) throw new Refusal({ ...e.answer, body: { ...e.answer.body, path: `events[${i}].${e.answer.body.path}`.replace(/\.$/, '') } });
          throw e;
        }
        suppressed += result.alerts.length;
        const c = result.scorecard;
        history.push({ at: c.at, score: c.score, band: c.band.id, modelHash: c.modelHash });
        steps.push({ result, inputs, event, digest });
        prev = c;
      }
      if (steps.length > 0) {
        this.store(steps, { deliver: false });
        await this.report({ events: steps.length, backfilled: steps.length });
        await this.schedule(entry);
      }
      return { body: { applied: steps.length, skipped, alertsNotDelivered: suppressed, scorecard: this.meta('last') } };
    } catch (e) {
      if (e instanceof Refusal) return e.answer;
      throw e;
    }
  }

  /** Moves the account to the tenant's model `hash` (one `modelChanged` alert), when it is not on it yet. */
  async move({ hash }) {
    try {
      const prev = this.meta('last');
      if (!prev || prev.modelHash === hash) return { body: { moved: false } };
      const entry = await this.model(hash);
      const at = new Date(Math.max(Date.now(), Date.parse(prev.at))).toISOString();
      const result = this.step(entry, prev, this.meta('inputs'), at, this.recent(entry.facts, prev.at));
      this.store([{ result, inputs: this.meta('inputs') }], { deliver: true });
      await this.report({ alerts: result.alerts.length });
      await this.schedule(entry);
      return { body: { moved: true } };
    } catch (e) {
      if (e instanceof Refusal) return e.answer;
      throw e;
    }
  }

  /**
   * Snapshots (with their inputs and event ids) in one transaction: the
   * history thinned over EDGE_MAX_SNAPSHOTS, event ids past the replay
   * horizon forgotten, and the alerts of live steps written to the outbox.
   */
  store(steps, { deliver }) {
    const max = Math.max(2, setting(this.env, 'EDGE_MAX_SNAPSHOTS') || 730);
    const tenant = this.meta('tenant');
    const account = this.meta('account');
    let queued = 0;
    this.ctx.storage.transactionSync(() => {
      for (const { result, inputs, event, digest } of steps) {
        const card = result.scorecard;
        if (event) {
          this.sql.exec('INSERT INTO events (id, at_ms, digest) VALUES (?, ?, ?)', event.id, Date.parse(event.at), digest);
          this.setMeta('lastEventAt', event.at);
        }
        const values = {};
        const observedAt = {};
        for (const m of card.categories.flatMap((c) => c.measures)) {
          if (m.value !== null) values[m.id] = m.value;
          if (m.observedAt) observedAt[m.id] = m.observedAt;
        }
        const point = { at: card.at, score: card.score, band: card.band.id, modelHash: card.modelHash, values, observedAt };
        if (inputs.fields && Object.keys(inputs.fields).length > 0) point.fields = inputs.fields;
        if (inputs.value !== undefined) point.value = inputs.value;
        this.sql.exec('INSERT INTO snapshots (at_ms, point) VALUES (?, ?)', Date.parse(card.at), JSON.stringify(point));
        const seq = this.sql.exec('SELECT last_insert_rowid() AS seq').toArray()[0].seq;
        if (deliver) {
          for (const alert of result.alerts) {
            // (the snapshot's number keeps two alerts of one kind at one time apart; ids are escaped so ':' cannot mix them)
            const key = `${encodeURIComponent(tenant)}:${encodeURIComponent(account)}:${alert.at}:${alert.kind}:${seq}`;
            const body = JSON.stringify({ tenant, accountId: account, idempotencyKey: key, alert });
            this.sql.exec('INSERT OR IGNORE INTO outbox (key, kind, body, tries, next_at) VALUES (?, ?, ?, 0, ?)', key, alert.kind, body, Date.now());
            queued++;
          }
        }
        this.setMeta('inputs', inputs);
        this.setMeta('last', card);
      }
      // Bounded history, thinned: over the cap, every second snapshot of the
      // older half goes, so the history keeps its span with fewer old points
      // (the first snapshot and the recent half stay whole).
      for (let count = this.sql.exec('SELECT COUNT(*) AS n FROM snapshots').toArray()[0].n; count > max;) {
        this.sql.exec('DELETE FROM snapshots WHERE seq IN (SELECT seq FROM (SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) AS r FROM snapshots) WHERE r <= ? AND r % 2 = 0)', Math.floor(count / 2));
        count = this.sql.exec('SELECT COUNT(*) AS n FROM snapshots').toArray()[0].n;
      }
      const last = this.meta('lastEventAt');
      if (last !== null) this.sql.exec('DELETE FROM events WHERE at_ms < ?', Date.parse(last) - setting(this.env, 'EDGE_REPLAY_DAYS') * DAY);
      this.setMeta('reportPending', true);
    });
    if (queued > 0) this.ctx.storage.setAlarm(Date.now());
  }

  /** Sends the tenant the account's latest state and `counters`; when the tenant cannot be reached, the alarm tries again. */
  async report(counters = {}) {
    const card = this.meta('last');
    const dead = this.sql.exec('SELECT key, kind, error, tries, died_at FROM dead WHERE reported = 0 LIMIT 100').toArray()
      .map((r) => ({ key: r.key, kind: r.kind, error: r.error, tries: r.tries, diedAt: r.died_at }));
    const row = card && {
      score: card.score, band: card.band.id, value: card.value ?? null, coverage: card.coverage ?? null,
      lowCoverage: Boolean(card.lowCoverage), modelHash: card.modelHash, at: card.at,
    };
    try {
      const r = await callObject(this.tenant(), 'report', { account: this.meta('account'), row, counters, dead });
      if (r.status === 200) {
        this.ctx.storage.transactionSync(() => {
          for (const d of dead) this.sql.exec('UPDATE dead SET reported = 1 WHERE key = ?', d.key);
          this.setMeta('reportPending', null);
        });
        return;
      }
    } catch {
      // the alarm tries again
    }
    this.setMeta('reportPending', true);
  }

  /**
   * The next alarm: the earliest of an undelivered alert, a report the
   * tenant has not received (a minute), and the daily rescoring, for
   * models whose scores change with time alone (half-lives, staleness,
   * series windows); otherwise none.
   */
  async schedule(entry) {
    const times = [];
    const next = this.sql.exec('SELECT MIN(next_at) AS n FROM outbox').toArray()[0]?.n;
    if (next != null) times.push(next);
    if (this.meta('reportPending')) times.push(Date.now() + 60_000);
    const card = this.meta('last');
    if (card && entry?.facts.ages) times.push(Date.parse(card.at) + setting(this.env, 'EDGE_RESCORE_MS'));
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(Date.now(), Math.min(...times)));
  }

  async alarm() {
    const now = Date.now();
    let entry = null;
    const card = this.meta('last');
    if (!card) return;
    try {
      entry = await this.model(card.modelHash);
    } catch {
      entry = null;
    }
    // Rescoring: as an event is (one at a time), so that no event stored
    // meanwhile is overwritten by a rescoring of the scorecard before it.
    await this.ctx.blockConcurrencyWhile(async () => {
      const prev = this.meta('last');
      if (now - Date.parse(prev.at) < setting(this.env, 'EDGE_RESCORE_MS')) return;
      try {
        // Under the tenant's current model (a move, if it changed).
        const current = await this.model(null);
        if (!current.facts.ages && current.model.hash === prev.modelHash) return;
        entry = current;
        const result = this.step(current, prev, this.meta('inputs'), new Date(now).toISOString(), this.recent(current.facts, prev.at));
        this.store([{ result, inputs: this.meta('inputs') }], { deliver: true });
        this.setMeta('rescoreError', null);
        await this.report({ rescores: 1, alerts: result.alerts.length });
      } catch (e) {
        // The tenant's model is gone or refuses the account: try again next
        // period; the reason is shown with the outbox.
        this.setMeta('rescoreError', e instanceof Refusal ? e.answer.body.message : String(e?.message ?? e));
      }
    });
    if (this.meta('reportPending')) await this.report();
    await this.deliver(now);
    await this.schedule(entry);
  }

  /** POSTs the due alerts to the tenant's webhook; failures back off, then become dead letters. */
  async deliver(now) {
    const due = this.sql.exec('SELECT key, kind, body, tries FROM outbox WHERE next_at <= ? ORDER BY next_at, key LIMIT 50', now).toArray();
    if (due.length === 0) return;
    const target = (await callObject(this.tenant(), 'webhook', {})).body;
    if (!target.hook && !target.refused) {
      // No webhook yet: the alerts wait for one, with no try counted.
      this.sql.exec('UPDATE outbox SET next_at = ?, error = ? WHERE next_at <= ?', now + setting(this.env, 'EDGE_NO_WEBHOOK_WAIT_MS'), 'waiting for the tenant to set a webhook', now);
      return;
    }
    const results = await Promise.all(due.map((row) => (target.refused
      ? { ok: false, error: `the webhook is refused: ${target.refused}` }
      : postDelivery(target.hook, row.key, row.body, this.env))));
    const counters = { deliveries: 0, retries: 0, deadLetters: 0 };
    const diedAt = new Date(now).toISOString();
    this.ctx.storage.transactionSync(() => {
      due.forEach((row, i) => {
        const r = results[i];
        const tries = row.tries + 1;
        if (!r.ok) console.log(JSON.stringify({ at: new Date(now).toISOString(), delivery: row.key, tries, error: r.error }));
        if (r.ok) {
          this.sql.exec('DELETE FROM outbox WHERE key = ?', row.key);
          counters.deliveries++;
        } else if (tries >= setting(this.env, 'EDGE_MAX_TRIES')) {
          this.sql.exec('INSERT OR REPLACE INTO dead (key, kind, body, tries, error, died_at) VALUES (?, ?, ?, ?, ?, ?)', row.key, row.kind, row.body, tries, r.error, diedAt);
          this.sql.exec('DELETE FROM outbox WHERE key = ?', row.key);
          counters.deadLetters++;
        } else {
          this.sql.exec('UPDATE outbox SET tries = ?, next_at = ?, error = ? WHERE key = ?', tries, now + retryDelay(tries, this.env), r.error, row.key);
          counters.retries++;
        }
      });
    });
    await this.report(counters);
  }
}
