// HealthModelSet: several models with conditions on the account; the first
// that matches applies, a default last.
import { CHUNK } from './model.mjs';
import { makeHistoryCalls } from './history.mjs';
import { makePortfolioReader } from './portfolio.mjs';
import { withPriority } from './scorecards.mjs';

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} codec js/codec.mjs
 * @param {object} known js/facts.mjs (the core's constants)
 */
export function makeModelSetClass(rt, codec, known) {
  const { call, encode, encodeEach, encodeText, parse, options, jsOptions, error } = codec;
  const calls = makeHistoryCalls(codec);
  const portfolio = makePortfolioReader(codec, known);

  /** Several models with conditions on the account; the first that matches applies, a default last. */
  class HealthModelSet {
    #handle;

    constructor(set) {
      const text = typeof set === 'string' ? encodeText(set, 'the model set') : encode(set, 'the model set');
      this.#handle = call(() => rt.handle((b) => new b.WasmModelSet(text)));
    }

    get #inner() {
      return this.#handle.get();
    }

    get id() {
      return call(() => this.#inner.id());
    }

    /** SHA-256 of the set's canonical JSON (each model in its canonical form). */
    get hash() {
      return call(() => this.#inner.hash());
    }

    /** The normalised set document (each model as `HealthModel.toJSON` gives it). */
    toJSON() {
      return call(() => parse(this.#inner.canonicalJson()));
    }

    /** Every measure id of the set's models, once, in model order. */
    get measureIds() {
      return call(() => parse(this.#inner.measureIdsJson()));
    }

    /** Every band id of the set's models (the default model's first), then `insufficient_data`: the codes of columnar results index it. */
    get bandIds() {
      return this.#bandIds().slice();
    }

    #bandIds() {
      return (this.#bands ??= call(() => parse(this.#inner.bandIdsJson())));
    }

    #bands;

    /** The summary (count, mean, median, bands of every model, low coverage) of scorecards made by the set's models; nulls are left out. */
    summarize(scorecards) {
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass the scorecards of scoreMany');
      const bandIndex = new Map(this.#bandIds().map((id, i) => [id, i]));
      const c = portfolio.summaryColumns(scorecards, bandIndex, known.facts().bandOther);
      return call(() => parse(this.#inner.summarizeColumns(c.scores, c.bands, c.values, c.low)));
    }

    /** As `HealthModel.priorityOrder`; growth takes each account in the top band of the model that made its scorecard. */
    priorityOrder(scorecards, opts) {
      opts = jsOptions(opts, ['objective'], '{ objective: "growth" }');
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass the scorecards of scoreMany');
      const objective = opts.objective ?? 'retention';
      if (typeof objective !== 'string') throw error('wrong_type', 'objective', 'objective must be a string', 'use "retention" or "growth"');
      const bandIndex = new Map(this.#bandIds().map((id, i) => [id, i]));
      const c = portfolio.priorityColumns(scorecards, bandIndex, known.facts().bandOther);
      const modelIndex = new Map(this.modelIds.map((id, i) => [id, i]));
      const models = Uint8Array.from(scorecards, (card) => modelIndex.get(card.modelId) ?? modelIndex.size - 1);
      const ids = portfolio.idBytes(c.ids);
      return rt.withMemory(160 * c.scores.length + 2 * ids.length, () => call(() => {
        const order = this.#inner.priorityOrder(c.scores, c.values, c.bands, models, c.rising, ids, objective);
        try {
          return { indexes: order.takeIndexes(), priorities: order.takePriorities() };
        } finally {
          order.free();
        }
      }));
    }

    /** As `HealthModel.prioritise`, over scorecards of the set's models. */
    prioritise(scorecards, opts) {
      opts = jsOptions(opts, ['objective', 'limit'], '{ objective: "growth", limit: 20 }');
      const limit = opts.limit;
      if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit >= 0)) {
        throw error('invalid_value', 'limit', 'limit must be a whole number', 'pass e.g. { limit: 20 }');
      }
      const order = this.priorityOrder(scorecards, { objective: opts.objective });
      const n = limit == null ? order.indexes.length : Math.min(limit, order.indexes.length);
      const out = new Array(n);
      for (let k = 0; k < n; k++) out[k] = withPriority(scorecards[order.indexes[k]], order.priorities[k]);
      return out;
    }

    /** Rescores stored raw inputs `[{ accountId, at, values, … }]`, each under the model that applies to it; `modelHash` is the set's hash. */
    replay(snapshots) {
      if (!Array.isArray(snapshots)) throw error('wrong_type', '', 'the snapshots must be an array', 'pass an array of { accountId, at, values }');
      return call(() => parse(this.#inner.replay(encodeEach(snapshots, 'the snapshots', 'account'))));
    }

    /**
     * Scores accounts given as columns (`{ measureId: Float64Array }`, any
     * of the set's measures; NaN missing, flags 1/0), each with the model
     * its segment, value and fields choose: options `{ segments: [segment
     * | null, …], values: Float64Array (NaN unknown), fields: { name: [value,
     * …] } }`, one entry per row. Returns `{ scores, bands, models, errors }`:
     * band codes index `bandIds` (255 insufficient data, 254 refused),
     * `models` each row's model index in `modelIds`.
     */
    scoreColumns(columns, opts) {
      opts = jsOptions(opts, ['segments', 'values', 'fields'], '{ segments: ["enterprise", null] }');
      if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
        throw error('wrong_type', '', 'columns must be an object of Float64Array columns', 'pass { measureId: Float64Array, ... }');
      }
      const names = Object.keys(columns).filter((k) => columns[k] != null);
      const rows = names.length ? columns[names[0]].length : (opts.segments?.length ?? opts.values?.length ?? 0);
      const cells = new Float64Array(names.length * rows);
      names.forEach((k, i) => {
        const col = columns[k];
        if (col.length !== rows) throw error('column_length', known.fieldPath('columns', k), `column \`${k}\` has ${col.length} rows, expected ${rows}`, 'give every column the same number of rows');
        for (let r = 0; r < rows; r++) {
          const x = col[r];
          if (x === null || x === undefined) cells[i * rows + r] = NaN;
          else if (typeof x === 'number') cells[i * rows + r] = x;
          else throw error('not_a_number', `${known.fieldPath('columns', k)}[${r}]`, `not a number: ${typeof x}`, 'give numbers (NaN or null when missing)');
        }
      });
      const per = (x, name) => {
        if (x == null) return undefined;
        if ((!Array.isArray(x) && !ArrayBuffer.isView(x)) || x.length !== rows) throw error('column_length', name, `${name} must hold one entry per row (${rows})`, 'give one entry per row');
        return x;
      };
      const segments = per(opts.segments, 'segments');
      const values = per(opts.values, 'values');
      const fields = opts.fields == null ? undefined : Object.fromEntries(Object.entries(opts.fields).map(([k, v]) => [k, per(v, known.fieldPath('fields', k))]));
      return call(() => {
        const out = this.#inner.scoreColumns(
          JSON.stringify(names),
          cells,
          rows,
          segments === undefined ? undefined : encode([...segments], 'segments'),
          values === undefined ? undefined : Float64Array.from(values, (v) => (v == null ? NaN : v)),
          fields === undefined ? undefined : encode(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, [...v]])), 'fields'),
        );
        try {
          return { scores: out.takeScores(), bands: out.takeBands(), models: out.takeModels(), errors: parse(out.errors()) };
        } finally {
          out.free();
        }
      });
    }

    /** The ids of the models, in order. */
    get modelIds() {
      return call(() => parse(this.#inner.modelIdsJson()));
    }

    /** Scores one account with the model that applies (the scorecard's `modelId` names it). Options as `HealthModel.score`. */
    score(account, opts) {
      const text = encode(account, 'the account', 'account');
      const o = options(opts);
      return call(() => parse(this.#inner.score(text, o)));
    }

    /**
     * Scores many accounts, each with the model that applies: `{ scorecards,
     * errors, summary }` (the summary counts every model's bands). Options
     * as `HealthModel.score` (`at`, `asOf`, `ignoreUnknown`; an unknown
     * option is `unknown_field`). Sent in chunks, so that a portfolio of any
     * size fits.
     */
    scoreMany(accounts, opts) {
      if (!Array.isArray(accounts)) {
        throw codec.error('wrong_type', '', 'accounts must be an array', 'pass an array of account objects');
      }
      const o = options(opts);
      // (checked once, before any work: a misspelt option throws here)
      call(() => rt.bindings.scoreOptionsDated(o));
      known.checkBatch(accounts.length);
      const n = accounts.length;
      const scorecards = new Array(n);
      const errors = [];
      const scores = new Float64Array(n);
      const bands = new Uint8Array(n);
      const values = new Float64Array(n);
      const low = new Uint8Array(n);
      // Every model's bands by id (the default model's first), as the core
      // lists them for the set's summary; `bandOther` only for safety.
      const bandIndex = new Map(this.#bandIds().map((id, i) => [id, i]));
      const out = { scores, bands, values, low };
      for (let a = 0; a < n; a += CHUNK) {
        const text = encodeEach(accounts.slice(a, a + CHUNK), 'the accounts', 'account');
        const got = call(() => parse(this.#inner.scoreMany(text, o, a)));
        got.scorecards.forEach((card, j) => {
          scorecards[a + j] = card;
          known.writeCard(card, a + j, out, bandIndex, known.facts().bandOther);
        });
        for (const e of got.errors) errors.push(e);
      }
      const summary = call(() => parse(this.#inner.summarizeColumns(scores, bands, values, low)));
      return { scorecards, errors, summary };
    }

    /** The trend at the end of a history, by the model of its latest entry that names one of the set's models (else the default). */
    trend(history) {
      return calls.trend(this.#inner, history);
    }

    /** Every alert over a history, by the model of its latest entry (as `trend`); a change of model is `modelChanged`. */
    alerts(history) {
      return calls.alerts(this.#inner, history);
    }

    /**
     * Rescores `previous` with the model that made it (its `modelId`; an id
     * the set lacks is `unknown_model`): `{ scorecard, alerts }`. When an
     * account's segment, value or fields change, score it again with
     * `score` and update from that scorecard.
     */
    update(previous, changedValues, at, opts) {
      return calls.update(this.#inner, previous, changedValues, at, opts);
    }

    /** `HealthModel.explainChange` with the model that made `after`. */
    explainChange(before, after) {
      return calls.explainChange(this.#inner, before, after);
    }

    /** The levers of an account under the model that applies to it. */
    levers(account) {
      return calls.levers(this.#inner, account);
    }

    /** The plan of an account under the model that applies to it, or null. */
    plan(account) {
      return calls.plan(this.#inner, account);
    }

    free() {
      this.#handle.free();
    }
  }

  return HealthModelSet;
}
