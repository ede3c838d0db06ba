// HealthModelSet: several models with conditions on the account; the first
// that matches applies, a default last.
import { CHUNK } from './model.mjs';

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} codec js/codec.mjs
 */
export function makeModelSetClass(rt, codec) {
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
      codec.checkBatch(accounts.length);
      const n = accounts.length;
      const scorecards = new Array(n);
      const errors = [];
      const scores = new Float64Array(n);
      const bands = new Uint8Array(n);
      const values = new Float64Array(n);
      const bandIds = call(() => parse(this.#inner.bandIdsJson()));
      for (let a = 0; a < n; a += CHUNK) {
        const text = encodeEach(accounts.slice(a, a + CHUNK), 'the accounts');
        const got = call(() => parse(this.#inner.scoreMany(text, a)));
        got.scorecards.forEach((card, j) => {
          const r = a + j;
          scorecards[r] = card;
          // The default model's bands, then insufficient data (255); 254:
          // refused (left out); 253: a band the default model does not have.
          const b = card == null ? 254 : bandIds.indexOf(card.band.id);
          bands[r] = b === bandIds.length - 1 ? 255 : b >= 0 ? b : 253;
          scores[r] = card?.score ?? NaN;
          values[r] = card?.value ?? NaN;
        });
        for (const e of got.errors) errors.push(e);
      }
      const summary = call(() => parse(this.#inner.summarizeColumns(scores, bands, values)));
      return { scorecards, errors, summary };
    }

    free() {
      this.#handle.free();
    }
  }

  return HealthModelSet;
}
