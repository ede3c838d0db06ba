import { makeCalibration } from './calibration.mjs';
import { makeStore } from './store.mjs';

// The public JS API of customer-health: a thin wrapper over the WebAssembly
// bindings (src/wasm/). All scoring logic lives in the Rust core; this file
// only moves values across the boundary and turns errors into
// HealthScoreError. It is the same for every runtime: each entry point
// (index.node.mjs, index.node.cjs, index.browser.mjs, index.worker.mjs)
// initialises the module its own way and calls makeApi.

/**
 * Makes the function that writes account objects' values straight into the
 * column staging memory (measure-major, NaN for missing, flags 1/0, match
 * values as codes) and returns the rows it cannot pack: no `values` object,
 * a value of the wrong type or NaN, a text value the rule does not list, or
 * a key that is not a measure. Those rows go through the JSON path, which
 * reports their errors exactly as scoreMany does.
 *
 * With `codegen`, the packer is generated for the model's measure ids (named
 * property reads are 3–4× faster than reads by a computed key); where code
 * generation is refused (a Content-Security-Policy without 'unsafe-eval',
 * Cloudflare Workers) the generic packer is used.
 */
function makePacker(measures, codegen) {
  const m = measures.length;
  const ids = measures.map((x) => x.id);
  const kind = measures.map((x) => (x.rule === 'flag' ? 1 : x.values ? 2 : 0));
  // Match values travel as codes: the index of the value among the rule's keys.
  const codes = measures.map((x) => (x.values ? new Map(x.values.map((v, k) => [v, k])) : null));
  if (codegen && !codegenRefused) {
    let src = 'const slow = [];\nfor (let r = 0; r < rows; r++) {\n';
    src += '  const a = accounts[r];\n  const v = a !== null && typeof a === "object" ? a.values : undefined;\n';
    src += '  let ok = v !== null && typeof v === "object" && !Array.isArray(v), seen = 0, x, c;\n  if (ok) {\n';
    ids.forEach((id, i) => {
      const cell = `buffer[${i} * rows + r]`;
      src += `    x = v[${JSON.stringify(id)}];\n`;
      const present = kind[i] === 1
        ? `if (typeof x === "boolean") { ${cell} = x ? 1 : 0; seen++; }`
        : kind[i] === 2
          ? `if (typeof x === "string" && (c = codes[${i}].get(x)) !== undefined) { ${cell} = c; seen++; }`
          : `if (typeof x === "number" && x === x) { ${cell} = x; seen++; }`;
      src += `    ${present} else if (x === undefined) ${cell} = NaN; else if (x === null) { ${cell} = NaN; seen++; } else ok = false;\n`;
    });
    src += '    if (ok) { let k = 0; for (const key in v) k++; ok = k === seen; }\n  }\n';
    src += `  if (!ok) { slow.push(r); for (let i = 0; i < ${m}; i++) buffer[i * rows + r] = NaN; }\n}\nreturn slow;`;
    try {
      const fn = new Function('accounts', 'buffer', 'rows', 'codes', src);
      const pack = (accounts, buffer, rows) => fn(accounts, buffer, rows, codes);
      pack.writesEveryCell = true;
      return pack;
    } catch {
      codegenRefused = true;
    }
  }
  // The generic packer walks each object's own keys with for…in (fast in V8)
  // and remembers the key order of the previous object, so that objects built
  // alike find each key's measure without a lookup. The staging memory
  // starts as NaN, so measures an object leaves out are missing.
  const index = new Map(ids.map((id, i) => [id, i]));
  return function pack(accounts, buffer, rows) {
    const slow = [];
    const lastKeys = [];
    const lastIdx = [];
    for (let r = 0; r < rows; r++) {
      const a = accounts[r];
      const values = a !== null && typeof a === 'object' ? a.values : undefined;
      let ok = values !== null && typeof values === 'object' && !Array.isArray(values);
      let j = 0;
      if (ok) {
        for (const key in values) {
          let i;
          if (lastKeys[j] === key) {
            i = lastIdx[j];
          } else {
            i = index.get(key);
            if (i === undefined) {
              ok = false;
              break;
            }
            lastKeys[j] = key;
            lastIdx[j] = i;
          }
          j++;
          const v = values[key];
          const at = i * rows + r;
          if (v == null) {
            buffer[at] = NaN;
          } else if (kind[i] === 0) {
            ok = typeof v === 'number' && v === v;
            buffer[at] = v;
          } else if (kind[i] === 1) {
            ok = typeof v === 'boolean';
            buffer[at] = v ? 1 : 0;
          } else {
            const c = typeof v === 'string' ? codes[i].get(v) : undefined;
            ok = c !== undefined;
            buffer[at] = c;
          }
          if (!ok) break;
        }
      }
      if (!ok) {
        slow.push(r);
        for (let i = 0; i < m; i++) buffer[i * rows + r] = NaN;
      }
    }
    return slow;
  };
}

/** Set once `new Function` has been refused here; not tried again. */
let codegenRefused = false;

/**
 * @param {object} wasm the scoring module's bindings (WasmModel, validateModel, errorCodesJson)
 * @param {object} [runtime] `{ ensureReady, calibration: { load, loadAsync } }`: a check that
 *   throws when the module is not initialised yet, and the calibration module's loaders
 *   (synchronous, and asynchronous for the `…Async` calls)
 */
export function makeApi(wasm, { ensureReady = () => {}, calibration } = {}) {
  /** An error from customer-health: a stable code, a path into your data, a message and help. */
  class HealthScoreError extends Error {
    constructor(data) {
      super(data.message);
      this.name = 'HealthScoreError';
      this.code = data.code;
      this.path = data.path;
      this.help = data.help;
      this.errors = Array.isArray(data.errors) && data.errors.length > 0
        ? data.errors
        : [{ code: data.code, path: data.path, message: data.message, help: data.help }];
    }
  }

  const error = (code, path, message, help) => new HealthScoreError({ code, path, message, help });

  function rethrow(e) {
    if (typeof e === 'string') {
      let data;
      try {
        data = JSON.parse(e);
      } catch {
        data = { code: 'internal_error', path: '', message: e, help: 'report this as a bug' };
      }
      throw new HealthScoreError(data);
    }
    if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) {
      throw error('internal_error', '', `the WebAssembly module trapped: ${e.message}`, 'report this as a bug, with the input that caused it');
    }
    throw e;
  }

  function call(fn) {
    ensureReady();
    try {
      return fn();
    } catch (e) {
      return rethrow(e);
    }
  }

  // JSON cannot carry these; they are sent as marked strings (a leading U+0000)
  // and refused by the core with the path where they were found.
  function replacer(_key, v) {
    switch (typeof v) {
      case 'number':
        return Number.isFinite(v) ? v : '\u0000' + (Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
      case 'string':
        return v.charCodeAt(0) === 0 ? '\u0000' + v : v;
      case 'bigint':
        return '\u0000BigInt';
      case 'symbol':
        return '\u0000Symbol';
      case 'function':
        return '\u0000Function';
      case 'object':
        if (v instanceof Map) return '\u0000Map';
        if (v instanceof Set) return '\u0000Set';
        return v;
      default:
        return v;
    }
  }

  function encode(value, what) {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') {
      throw error('wrong_type', '', `${what} is ${typeof value}`, `pass ${what} as a plain object`);
    }
    let text;
    try {
      text = JSON.stringify(value, replacer);
    } catch (e) {
      if (e instanceof TypeError && /circular|cyclic/i.test(e.message)) {
        throw error('cyclic_input', '', `${what} refers to itself`, 'pass plain data without cycles');
      }
      throw error('wrong_type', '', `${what} cannot be read: ${e.message}`, 'pass plain data (numbers, booleans, strings, arrays, objects)');
    }
    return text;
  }

  const parse = (text) => JSON.parse(text);

  let constants;
  /** Facts from the core: limits, band codes, the typing policy. */
  const facts = () => (constants ??= call(() => parse(wasm.constantsJson())));
  const { runSync, runAsync } = makeCalibration({ call, encode, error, parse, limits: facts, calibration });

  function list(value, what) {
    if (!Array.isArray(value)) throw error('wrong_type', '', `${what} must be an array`, `pass ${what} as an array`);
    return encode(value, what);
  }

  /**
   * Options of a call as JSON text for the core (which refuses unknown ones
   * with their path), or undefined for none.
   */
  function options(value, what = 'options') {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw error('wrong_type', '', `${what} must be an object`, 'pass e.g. { at: "2026-09-30" }');
    }
    return encode(value, what);
  }

  /** A validated health-score model. */
  class HealthModel {
    #inner;
    #measures;
    #packers = [];

    /** @param {object|string} model a model document, or its JSON text */
    constructor(model) {
      const text = typeof model === 'string' ? model : encode(model, 'the model');
      this.#inner = call(() => new wasm.WasmModel(text));
      this.#measures = parse(this.#inner.measuresJson());
    }

    /** Every problem with a model document, without throwing (empty when valid). */
    static validate(model) {
      let text;
      try {
        text = typeof model === 'string' ? model : encode(model, 'the model');
      } catch (e) {
        if (e instanceof HealthScoreError) return e.errors;
        throw e;
      }
      return call(() => parse(wasm.validateModel(text)));
    }

    /** The model's id. */
    get id() {
      return call(() => this.#inner.id());
    }

    /** SHA-256 of the canonical model JSON: same model, same hash, everywhere. */
    get hash() {
      return call(() => this.#inner.hash());
    }

    /** The bands, lowest first: `{ id, label, color }`. */
    get bands() {
      return call(() => parse(this.#inner.bandsJson()));
    }

    /** The measure ids in model order. */
    get measureIds() {
      return this.#measures.map((m) => m.id);
    }

    /** The normalised model document (defaults filled in). */
    toJSON() {
      return call(() => parse(this.#inner.canonicalJson()));
    }

    /**
     * Scores one account. Options: `{ at, asOf, ignoreUnknown }` (ISO dates:
     * the snapshot's date; the date values age to; leave out and list keys
     * that are not measures instead of refusing the account).
     */
    score(account, opts) {
      const text = encode(account, 'the account');
      const o = options(opts);
      return call(() => parse(this.#inner.score(text, o)));
    }

    /**
     * A table row (`{ column: cell }`, cells as a CSV gives them) as an
     * account of this model: `{ account, ignored }`. Options: `{ idColumn,
     * nameColumn, segmentColumn, valueColumn }` (idColumn required).
     */
    rowToAccount(row, opts) {
      const text = encode(row, 'the row');
      const o = options(opts);
      return call(() => parse(this.#inner.rowToAccount(text, o)));
    }

    /** The trend at the end of a history (scorecards or `{ at, score }` points), or null. */
    trend(history) {
      return call(() => parse(this.#inner.trend(list(history, 'the history'))));
    }

    /** Every alert over a history, each at the snapshot where it fired. */
    alerts(history) {
      return call(() => parse(this.#inner.alerts(list(history, 'the history'))));
    }

    /**
     * Rescores `previous` with `changedValues` at `at`: `{ scorecard, alerts }`, the
     * alerts this change caused. `options.history`: earlier scorecards or points.
     */
    update(previous, changedValues, at, options = {}) {
      const prev = encode(previous, 'the previous scorecard');
      const changed = encode(changedValues, 'the changed values');
      if (at !== undefined && at !== null && typeof at !== 'string') {
        throw error('wrong_type', 'at', 'at must be an ISO date string', 'pass e.g. "2026-09-30"');
      }
      const history = options?.history == null ? undefined : list(options.history, 'the history');
      return call(() => parse(this.#inner.update(prev, changed, at ?? undefined, history)));
    }

    /** Splits `after.score − before.score` into per-measure effects, renormalisation, caps, staleness and a model change. */
    explainChange(before, after) {
      const b = encode(before, 'the earlier scorecard');
      const a = encode(after, 'the later scorecard');
      return call(() => parse(this.#inner.explainChange(b, a)));
    }

    /** Rescores stored raw inputs `[{ accountId, at, values }]` under this model. */
    replay(snapshots) {
      return call(() => parse(this.#inner.replay(list(snapshots, 'the snapshots'))));
    }

    /** Orders scorecards: `{ objective: 'retention' | 'growth', limit }`; each gets a `priority`. */
    prioritise(scorecards, options = {}) {
      const objective = options?.objective ?? 'retention';
      const limit = options?.limit;
      if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && limit >= 0)) {
        throw error('invalid_value', 'limit', 'limit must be a whole number', 'pass e.g. { limit: 20 }');
      }
      if (typeof objective !== 'string') {
        throw error('wrong_type', 'objective', 'objective must be a string', 'use "retention" or "growth"');
      }
      const text = list(scorecards, 'the scorecards');
      return call(() => parse(this.#inner.prioritise(text, objective, limit ?? undefined)));
    }

    /** Band movement since a date, over dated scorecards of many accounts. */
    bandMovement(scorecards, since) {
      if (typeof since !== 'string') throw error('wrong_type', 'since', 'since must be an ISO date string', 'pass e.g. "2026-09-01"');
      return call(() => parse(this.#inner.bandMovement(list(scorecards, 'the scorecards'), since)));
    }

    /**
     * Backtests the model on labelled rows (`[{ column: value }]`, `{ column: [values] }`
     * or CSV text): AUC, lift, churn per band, per-measure checks. Options:
     * `{ outcome: { column, churnedWhen, retainedWhen? }, valueColumn, idColumn, onProgress }`.
     */
    backtest(rows, options) {
      return runSync((c, o) => new c.CalibrationJob('backtest', this.#text(), o), rows, options);
    }

    /** `backtest` yielding to the event loop between steps; stops on `options.signal`. */
    backtestAsync(rows, options) {
      return runAsync((c, o) => new c.CalibrationJob('backtest', this.#text(), o), rows, options);
    }

    /** Fits the model to labelled rows: `{ model, weights, reversed, before, after, … }`. */
    fit(rows, options) {
      return runSync((c, o) => new c.CalibrationJob('fit', this.#text(), o), rows, options);
    }

    /** `fit` yielding to the event loop between steps; stops on `options.signal`. */
    fitAsync(rows, options) {
      return runAsync((c, o) => new c.CalibrationJob('fit', this.#text(), o), rows, options);
    }

    /** Suggests band edges from labelled rows: options `{ outcome, shares }` or `{ outcome, churnRates }`. */
    suggestBands(rows, options) {
      return runSync((c, o) => new c.CalibrationJob('suggestBands', this.#text(), o), rows, options);
    }

    /** `suggestBands` yielding to the event loop between steps. */
    suggestBandsAsync(rows, options) {
      return runAsync((c, o) => new c.CalibrationJob('suggestBands', this.#text(), o), rows, options);
    }

    /** Builds a model from labelled rows: `{ model, columns, backtest, bands, outcome, … }`. */
    static suggest(rows, options) {
      return runSync((c, o) => new c.CalibrationJob('suggest', undefined, o), rows, options);
    }

    /** `suggest` yielding to the event loop between steps (progress, cancel with `signal`). */
    static suggestAsync(rows, options) {
      return runAsync((c, o) => new c.CalibrationJob('suggest', undefined, o), rows, options);
    }

    /** The portfolio summary (count, mean, median, bands) of scorecards. */
    summarize(scorecards) {
      return call(() => parse(this.#inner.summarize(list(scorecards, 'the scorecards'))));
    }

    /**
     * Scores many accounts: `{ scorecards, errors, summary }`; bad accounts leave null.
     * With `{ columnar: true }` it returns scores and bands as typed arrays
     * instead (`{ scores, bands, errors }`, plus `categories` and
     * `contributions` columns with `breakdown: true`), moving whole columns
     * across the boundary: the fast way to score a large portfolio.
     */
    scoreMany(accounts, options) {
      if (!Array.isArray(accounts)) {
        throw error('wrong_type', '', 'accounts must be an array', 'pass an array of account objects');
      }
      if (options != null && (typeof options !== 'object' || Array.isArray(options))) {
        throw error('wrong_type', 'options', 'options must be an object', 'pass e.g. { columnar: true }');
      }
      const { columnar, breakdown, codegen, ...rest } = options ?? {};
      const o = Object.keys(rest).length > 0 ? encode(rest, 'the options') : undefined;
      if (columnar) {
        if (rest.at != null || rest.asOf != null) {
          throw error('invalid_value', 'at', 'columnar results are not dated snapshots', 'leave out at and asOf with { columnar: true }, or score objects without it');
        }
        return this.#scoreManyColumnar(accounts, breakdown === true, codegen !== false, o);
      }
      const text = encode(accounts, 'the accounts');
      return call(() => parse(this.#inner.scoreMany(text, o)));
    }

    // Packs the accounts' values straight into the column staging memory
    // (one pass, no JSON), runs the kernel once, and sends only the accounts
    // it cannot pack (text values, wrong types, unknown measures, no
    // `values` object) through the JSON path, whose scorecards and errors
    // are merged back by row.
    #scoreManyColumnar(accounts, breakdown, codegen, opts) {
      const rows = accounts.length;
      const ms = this.#measures;
      const m = ms.length;
      const pack = (this.#packers[+codegen] ??= makePacker(ms, codegen));
      return call(() => {
        const buffer = this.#inner.columnBuffer(rows, !pack.writesEveryCell);
        const slow = pack(accounts, buffer, rows);
        const out = this.#runStaged(rows, new Uint8Array(m).fill(1), breakdown, true);
        if (slow.length > 0) this.#mergeSlow(accounts, slow, out, opts);
        return out;
      });
    }

    // Scores the slow rows with full scorecards and writes them into `out`.
    #mergeSlow(accounts, slow, out, opts) {
      const batch = parse(this.#inner.scoreMany(encode(slow.map((r) => accounts[r]), 'the accounts'), opts));
      const bandIds = this.bands.map((b) => b.id);
      const isSlow = new Set(slow);
      const errors = out.errors.filter((e) => !isSlow.has(e.index));
      slow.forEach((r, j) => {
        const card = batch.scorecards[j];
        out.scores[r] = card?.score ?? NaN;
        const band = card ? bandIds.indexOf(card.band.id) : -1;
        out.bands[r] = card == null ? 254 : band < 0 ? 255 : band;
        if (out.categories) {
          // A scorecard lists every category and measure of the model.
          for (const cat of card?.categories ?? []) {
            out.categories[cat.id][r] = cat.score ?? NaN;
            for (const meas of cat.measures) out.contributions[meas.id][r] = meas.contribution;
          }
          if (card == null) {
            for (const col of Object.values(out.categories)) col[r] = NaN;
            for (const col of Object.values(out.contributions)) col[r] = NaN;
          }
        }
      });
      for (const e of batch.errors) {
        const r = slow[e.index];
        errors.push({ ...e, index: r, path: e.path.replace(/^\[\d+\]/, `[${r}]`) });
      }
      errors.sort((a, b) => a.index - b.index);
      out.errors = errors;
    }

    // Runs the kernel over the staged columns and reads the results back.
    #runStaged(rows, given, breakdown, matchCodes = false) {
      const result = this.#inner.scoreStaged(rows, given, breakdown, matchCodes);
      try {
        const out = { scores: result.takeScores(), bands: result.takeBands(), errors: parse(result.errors()) };
        if (breakdown) {
          const cats = result.takeCategories();
          const contribs = result.takeContributions();
          const catIds = [...new Set(this.#measures.map((x) => x.category))];
          out.categories = Object.fromEntries(catIds.map((c, i) => [c, cats.subarray(i * rows, (i + 1) * rows)]));
          out.contributions = Object.fromEntries(this.#measures.map((x, i) => [x.id, contribs.subarray(i * rows, (i + 1) * rows)]));
        }
        return out;
      } finally {
        result.free();
      }
    }

    /** What would raise an account's score most, with the path to the next band. */
    levers(account) {
      const text = encode(account, 'the account');
      return call(() => parse(this.#inner.levers(text)));
    }

    /**
     * Scores a portfolio given as columns: `{ measureId: Float64Array }`, NaN for
     * missing, flags as 1/0. Returns `{ scores: Float64Array, bands: Uint8Array,
     * errors }`; band 255 is insufficient data, 254 a refused row. With
     * `{ breakdown: true }` also `categories: { categoryId: Float64Array }`
     * (category scores, NaN when none) and `contributions: { measureId:
     * Float64Array }` (points each measure adds).
     */
    scoreColumns(columns, options) {
      const breakdown = options?.breakdown === true;
      if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
        throw error('wrong_type', '', 'columns must be an object of Float64Array columns', 'pass { measureId: Float64Array, ... }');
      }
      const ids = this.#measures.map((m) => m.id);
      let rows = -1;
      const given = new Uint8Array(ids.length);
      const cols = new Array(ids.length);
      const paths = new Array(ids.length);
      for (const key of Object.keys(columns)) {
        const i = ids.indexOf(key);
        const path = /^[A-Za-z_$][\w$]*$/.test(key) ? `columns.${key}` : `columns[${JSON.stringify(key)}]`;
        if (i < 0) {
          throw error('unknown_measure', path, `the model has no measure \`${key}\``, `the measures are: ${ids.join(', ')}`);
        }
        const col = columns[key];
        if (col == null) continue;
        if (!(col instanceof Float64Array)) {
          if (typeof col !== 'object' || typeof col.length !== 'number') {
            throw error('wrong_type', path, 'a column must be a Float64Array (or an array of numbers)', 'pass Float64Array.from(values)');
          }
        }
        if (rows >= 0 && col.length !== rows) {
          throw error('column_length', path, `column \`${key}\` has ${col.length} rows, expected ${rows}`, 'give every column the same number of rows');
        }
        rows = col.length;
        given[i] = 1;
        cols[i] = col;
        paths[i] = path;
      }
      if (rows < 0) rows = 0;
      return call(() => {
        // Every cell of a given column is written; the others are not read.
        const buffer = this.#inner.columnBuffer(rows, false);
        for (let i = 0; i < ids.length; i++) {
          if (given[i]) {
            const col = cols[i];
            if (col instanceof Float64Array) {
              buffer.set(col, i * rows);
            } else {
              for (let r = 0; r < rows; r++) {
                const x = col[r];
                if (typeof x === 'number') buffer[i * rows + r] = x;
                else if (x == null) buffer[i * rows + r] = NaN;
                else throw error('not_a_number', `${paths[i]}[${r}]`, `a column holds ${typeof x}`, 'columns hold numbers only (NaN or null for missing, 1/0 for flags)');
              }
            }
          }
        }
        return this.#runStaged(rows, given, breakdown);
      });
    }

    /** The canonical model JSON (what the calibration module reads the model from). */
    #text() {
      return call(() => this.#inner.canonicalJson());
    }

    /** Releases the model's WebAssembly memory now (otherwise the garbage collector does). */
    free() {
      this.#inner.free();
    }
  }

  /** Several models with conditions on the account; the first that matches applies, a default last. */
  class HealthModelSet {
    #inner;

    constructor(set) {
      const text = typeof set === 'string' ? set : encode(set, 'the model set');
      this.#inner = call(() => new wasm.WasmModelSet(text));
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

    /** Scores many accounts, each with the model that applies. */
    scoreMany(accounts) {
      return call(() => parse(this.#inner.scoreMany(list(accounts, 'the accounts'))));
    }

    free() {
      this.#inner.free();
    }
  }

  const { HealthStore } = makeStore({ error, validate: (doc) => HealthModel.validate(doc) });

  let codes;
  /** Every error code with its meaning. */
  function errorCodes() {
    codes ??= call(() => parse(wasm.errorCodesJson()));
    return codes;
  }

  return { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes };
}
