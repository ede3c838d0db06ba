// HealthModelSet: several models with conditions on the account; the first
// that matches applies, a default last.
import { CHUNK } from './model.mjs';

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} codec js/codec.mjs
 * @param {object} known js/facts.mjs (the core's constants)
 */
export function makeModelSetClass(rt, codec, known) {
  const { call, encode, encodeEach, encodeText, parse, options } = codec;

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
     * errors, summary }` (the summary by the default model's bands). Sent
     * in chunks, so that a portfolio of any size fits.
     */
    scoreMany(accounts) {
      if (!Array.isArray(accounts)) {
        throw codec.error('wrong_type', '', 'accounts must be an array', 'pass an array of account objects');
      }
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
        const got = call(() => parse(this.#inner.scoreMany(text, a)));
        got.scorecards.forEach((card, j) => {
          scorecards[a + j] = card;
          known.writeCard(card, a + j, out, bandIndex, known.facts().bandOther);
        });
        for (const e of got.errors) errors.push(e);
      }
      const summary = call(() => parse(this.#inner.summarizeColumns(scores, bands, values, low)));
      return { scorecards, errors, summary };
    }

    free() {
      this.#handle.free();
    }
  }

  return HealthModelSet;
}
