// HealthModelSet: several models with conditions on the account; the first
// that matches applies, a default last.
import { CHUNK } from './model.mjs';
import { makeHistoryCalls } from './history.mjs';

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} codec js/codec.mjs
 * @param {object} known js/facts.mjs (the core's constants)
 */
export function makeModelSetClass(rt, codec, known) {
  const { call, encode, encodeEach, encodeText, parse, options } = codec;
  const calls = makeHistoryCalls(codec);

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

    /** The ids of the models, in order. */
    get modelIds() {
      return call(() => parse(this.#inner.modelIdsJson()));
    }

    /** Scores one account with the model that applies (the scorecard's `modelId` names it). Options as `HealthModel.score`. */
    score(account, opts) {
      const text = encode(account, 'the account');
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
      const bandIds = call(() => parse(this.#inner.bandIdsJson()));
      const bandIndex = new Map(bandIds.map((id, i) => [id, i]));
      const out = { scores, bands, values, low };
      for (let a = 0; a < n; a += CHUNK) {
        const text = encodeEach(accounts.slice(a, a + CHUNK), 'the accounts');
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
