// HealthStore: models (with their last versions), data and score histories
// in the browser's IndexedDB, one database per namespace. Every call is a
// transaction, so two tabs appending to the same history both land; a quota
// error aborts the transaction and leaves what was saved; an entry that
// cannot be read is moved aside (quarantined) and reported, the rest kept.
// Plain JS: it only moves data, so it does not need the WebAssembly module.

/** The format version of stored entries. */
export const STORE_FORMAT = 1;
/** Model versions kept per name (undo goes back through them). */
export const MODEL_VERSIONS = 20;
const STORES = ['models', 'data', 'histories', 'quarantine'];

/**
 * @param {object} cx `{ error, validate }`: the API's error constructor and
 *   model validation (a model is validated before it is saved).
 */
export function makeStore({ error, validate }) {
  const unavailable = () => error('storage_unavailable', '', 'IndexedDB is not available here', 'HealthStore works in browsers; elsewhere keep models and histories yourself');

  function request(req) {
    return new Promise((ok, fail) => {
      req.onsuccess = () => ok(req.result);
      req.onerror = () => fail(req.error);
    });
  }

  function fail(e, what) {
    if (e && e.code !== undefined && typeof e.path === 'string' && e.name === 'HealthScoreError') return e;
    if (e?.name === 'QuotaExceededError') {
      return error('storage_full', '', `the browser's storage for this site is full: ${what} was not saved (nothing already saved was lost)`, 'remove old histories or data (store.remove), or free space in the browser');
    }
    // (a browser may fail with no message at all: Chromium's UnknownError
    // for a value too large to write says nothing; its name still does)
    const why = [e?.name, e?.message].filter(Boolean).join(': ') || (e == null ? '' : String(e)) || 'the browser gave no reason';
    return error('storage_unavailable', '', `${what} failed (${why})`, 'check that the browser allows storage for this site and has room for it; a very large portfolio may be over what the browser stores in one entry');
  }

  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

  function checkName(name, what) {
    if (typeof name !== 'string' || name.length === 0) throw error('wrong_type', what, `${what} must be a non-empty string`, `pass e.g. "main"`);
  }

  /** A stored scorecard must be one: an id, a date, a score, a band. */
  function checkScorecard(card) {
    const problems = [];
    if (!isObject(card)) problems.push(['', 'a scorecard must be an object']);
    else {
      if (typeof card.accountId !== 'string') problems.push(['accountId', 'accountId must be a string']);
      if (typeof card.at !== 'string' || Number.isNaN(Date.parse(card.at))) problems.push(['at', 'at must be the ISO date of the snapshot']);
      if (!(card.score === null || (typeof card.score === 'number' && Number.isFinite(card.score)))) problems.push(['score', 'score must be a number or null']);
      if (!isObject(card.band) || typeof card.band.id !== 'string') problems.push(['band', 'band must be { id, … }']);
    }
    if (problems.length > 0) {
      const [path, message] = problems[0];
      throw error('invalid_value', path, message, 'append scorecards as returned by score() or update(), with their `at` date');
    }
  }

  class HealthStore {
    #namespace;
    #db;

    /** A store for one namespace (a database of its own: no key of one namespace can reach another). */
    constructor(namespace = 'default') {
      if (typeof namespace !== 'string' || namespace.length === 0) {
        throw error('wrong_type', '', 'the namespace must be a non-empty string', 'e.g. new HealthStore("my-app")');
      }
      this.#namespace = namespace;
    }

    /** The format version entries are written with. */
    get format() {
      return STORE_FORMAT;
    }

    /** The namespace. */
    get namespace() {
      return this.#namespace;
    }

    #open() {
      if (this.#db) return this.#db;
      let idb;
      try {
        idb = globalThis.indexedDB;
      } catch {
        idb = undefined;
      }
      if (!idb) return Promise.reject(unavailable());
      const req = idb.open(`customer-health/${this.#namespace}`, 1);
      req.onupgradeneeded = () => {
        for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s, s === 'quarantine' ? { autoIncrement: true } : undefined);
      };
      this.#db = request(req).then((db) => {
        // Another tab deleting this namespace (clear) closes this connection.
        db.onversionchange = () => {
          db.close();
          this.#db = undefined;
        };
        return db;
      }, (e) => {
        this.#db = undefined;
        throw fail(e, 'opening the store');
      });
      return this.#db;
    }

    /**
     * Runs `work(stores, done, defer)` in one transaction; resolves with what
     * `done` was given once it is committed, or rejects with what `defer`
     * was given (after committing: a quarantined entry stays quarantined).
     */
    async #tx(mode, names, what, work) {
      const db = await this.#open();
      return new Promise((ok, reject) => {
        let result;
        let deferred;
        let tx;
        try {
          tx = db.transaction(names, mode);
        } catch (e) {
          reject(fail(e, what));
          return;
        }
        const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
        tx.oncomplete = () => (deferred ? reject(deferred) : ok(result));
        tx.onabort = () => reject(fail(tx.error, what));
        tx.onerror = (ev) => ev.preventDefault?.();
        Promise.resolve()
          .then(() => work(stores, (v) => (result = v), (e) => (deferred ??= e)))
          .catch((e) => {
            result = undefined;
            try {
              tx.abort();
            } catch {
              // already finished
            }
            reject(fail(e, what));
          });
      });
    }

    /** Moves a broken entry aside (it reads as absent) and reports it once the transaction is committed. */
    #quarantine(stores, store, key, entry, why, defer) {
      stores.quarantine.add({ store, key, entry, why, at: new Date().toISOString() });
      stores[store].delete(key);
      defer(error('corrupt_storage', `${store}.${key}`, `the stored entry ${store}/${key} cannot be read (${why}); it was moved aside`, 'store.quarantined() lists it; the rest of the store is kept'));
      return undefined;
    }

    /** The entry if it is one of this kind and format; a broken one is quarantined. */
    #envelope(stores, store, key, entry, kind, defer) {
      if (entry === undefined) return undefined;
      const shapes = { model: (e) => Array.isArray(e.versions), data: (e) => 'data' in e, history: (e) => Array.isArray(e.entries) };
      if (!isObject(entry) || !('format' in entry)) return this.#quarantine(stores, store, key, entry, 'not a stored entry', defer);
      if (entry.format !== STORE_FORMAT) {
        throw error('unsupported_storage_format', `${store}.${key}`, `the stored entry ${store}/${key} has format ${entry.format}, this library reads ${STORE_FORMAT}`, 'read it with the version of the library that wrote it, or remove it');
      }
      if (entry.kind !== kind || !shapes[kind](entry)) return this.#quarantine(stores, store, key, entry, `not a ${kind} entry`, defer);
      return entry;
    }

    /**
     * Saves a model (validated first) as the newest version of `name`; the
     * last 20 versions are kept. Returns the version number.
     */
    async saveModel(name, model, savedAt = new Date().toISOString()) {
      checkName(name, 'name');
      const doc = typeof model === 'string' ? JSON.parse(model) : model;
      const problems = validate(doc);
      if (problems.length > 0) throw error(problems[0].code, problems[0].path, `the model is not valid: ${problems[0].message}`, problems[0].help);
      return this.#tx('readwrite', ['models', 'quarantine'], `saving model ${name}`, async (s, done, defer) => {
        // A broken entry is quarantined (listed by quarantined()); the save goes on.
        const entry = this.#envelope(s, 'models', name, await request(s.models.get(name)), 'model', () => {}) ?? { format: STORE_FORMAT, kind: 'model', versions: [] };
        const version = (entry.versions.at(-1)?.version ?? 0) + 1;
        entry.versions = [...entry.versions, { version, savedAt, model: doc }].slice(-MODEL_VERSIONS);
        s.models.put(entry, name);
        done(version);
      });
    }

    /** The newest saved version of a model, or null. */
    async loadModel(name) {
      checkName(name, 'name');
      return this.#tx('readwrite', ['models', 'quarantine'], `loading model ${name}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'models', name, await request(s.models.get(name)), 'model', defer);
        done(entry?.versions.at(-1)?.model ?? null);
      });
    }

    /** The saved versions of a model, oldest first: `[{ version, savedAt }]`. */
    async modelVersions(name) {
      checkName(name, 'name');
      return this.#tx('readwrite', ['models', 'quarantine'], `reading versions of ${name}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'models', name, await request(s.models.get(name)), 'model', defer);
        done((entry?.versions ?? []).map(({ version, savedAt }) => ({ version, savedAt })));
      });
    }

    /** Drops the newest version of a model and returns the one before it (null when none is left). */
    async undoModel(name) {
      checkName(name, 'name');
      return this.#tx('readwrite', ['models', 'quarantine'], `undoing model ${name}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'models', name, await request(s.models.get(name)), 'model', defer);
        if (!entry || entry.versions.length < 2) {
          done(entry?.versions.at(-1)?.model ?? null);
          return;
        }
        entry.versions = entry.versions.slice(0, -1);
        s.models.put(entry, name);
        done(entry.versions.at(-1).model);
      });
    }

    /** Saves any data (a portfolio, settings). */
    async saveData(name, data, savedAt = new Date().toISOString()) {
      checkName(name, 'name');
      return this.#tx('readwrite', ['data'], `saving data ${name}`, (s, done) => {
        s.data.put({ format: STORE_FORMAT, kind: 'data', savedAt, data }, name);
        done(undefined);
      });
    }

    /** Data saved with saveData, or null. */
    async loadData(name) {
      checkName(name, 'name');
      return this.#tx('readwrite', ['data', 'quarantine'], `loading data ${name}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'data', name, await request(s.data.get(name)), 'data', defer);
        done(entry ? entry.data : null);
      });
    }

    /** Appends a scorecard to an account's history, keeping the last `keep` (default 100); returns the length. */
    async appendHistory(accountId, scorecard, keep = 100) {
      checkName(accountId, 'accountId');
      if (!Number.isInteger(keep) || keep < 1) throw error('invalid_value', 'keep', `keep must be a whole number of 1 or more, not ${keep}`, 'e.g. 100');
      checkScorecard(scorecard);
      return this.#tx('readwrite', ['histories', 'quarantine'], `appending to the history of ${accountId}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'histories', accountId, await request(s.histories.get(accountId)), 'history', () => {}) ?? { format: STORE_FORMAT, kind: 'history', entries: [] };
        entry.entries = [...entry.entries, scorecard].slice(-keep);
        s.histories.put(entry, accountId);
        done(entry.entries.length);
      });
    }

    /** An account's stored history (scorecards, oldest first), or null. */
    async loadHistory(accountId) {
      checkName(accountId, 'accountId');
      return this.#tx('readwrite', ['histories', 'quarantine'], `loading the history of ${accountId}`, async (s, done, defer) => {
        const entry = this.#envelope(s, 'histories', accountId, await request(s.histories.get(accountId)), 'history', defer);
        done(entry ? entry.entries : null);
      });
    }

    /** Removes one entry: kind is "model" (every version), "data" or "history". */
    async remove(kind, name) {
      const store = { model: 'models', data: 'data', history: 'histories' }[kind];
      if (!store) throw error('invalid_value', 'kind', `\`${kind}\` is not a kind of entry`, 'use "model", "data" or "history"');
      checkName(name, 'name');
      return this.#tx('readwrite', [store], `removing ${kind} ${name}`, (s, done) => {
        s[store].delete(name);
        done(undefined);
      });
    }

    /** Entries moved aside because they could not be read: `[{ store, key, why, at, entry }]`. */
    async quarantined() {
      return this.#tx('readonly', ['quarantine'], 'reading the quarantine', async (s, done, defer) => {
        done(await request(s.quarantine.getAll()));
      });
    }

    /** Deletes the entries moved aside as unreadable (nothing else); returns how many there were. */
    async clearQuarantine() {
      return this.#tx('readwrite', ['quarantine'], 'clearing the quarantine', async (s, done) => {
        const n = await request(s.quarantine.count());
        s.quarantine.clear();
        done(n);
      });
    }

    /** Removes every entry of this namespace (and nothing of any other). */
    async clear() {
      return this.#tx('readwrite', STORES, 'clearing the store', (s, done) => {
        for (const name of STORES) s[name].clear();
        done(undefined);
      });
    }

    /** Closes the connection (it reopens on the next call). */
    close() {
      Promise.resolve(this.#db).then((db) => db?.close(), () => {});
      this.#db = undefined;
    }
  }

  return { HealthStore };
}
