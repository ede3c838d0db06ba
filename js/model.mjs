// HealthModel: a validated model and everything it does. Single calls go
// through JSON; portfolios go through the columnar kernel (src/score/kernel),
// their scorecards built in JS from its columns (js/scorecards.mjs), and the
// accounts the packer cannot read plainly through JSON, so that every account
// gets the same scorecard or the same errors either way.
import { makePacker, packFieldsSafely, packSafely } from './packers.mjs';
import { makeScorecards, withPriority } from './scorecards.mjs';
import { makePortfolioReader } from './portfolio.mjs';
import { scoreColumnsInto } from './columns.mjs';
import { makeHistoryCalls } from './history.mjs';

/** Accounts per chunk: bounds the wasm memory a batch needs and the size of each JSON text. */
export const CHUNK = 16384;

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} codec js/codec.mjs
 * @param {object} known js/facts.mjs (the core's constants)
 * @param {object} calibration `{ runSync, runAsync }` from js/calibration.mjs
 */
export function makeModelClass(rt, codec, known, { runSync, runAsync }) {
  const { HealthScoreError, error, call, encode, encodeEach, encodeText, parse, list, options, jsOptions } = codec;
  const calls = makeHistoryCalls(codec);
  const portfolio = makePortfolioReader(codec, known);

  /** A validated health-score model. */
  class HealthModel {
    #handle;
    #meta; // the model as the core describes it (metaJson), read once
    #cards;
    #packers = [];
    /** How many times the staging memory was handed out (a column view is valid until the next). */
    #stagings = 0;

    /** @param {object|string} model a model document, or its JSON text */
    constructor(model) {
      const text = typeof model === 'string' ? encodeText(model, 'the model', 'model') : encode(model, 'the model', 'model');
      // Remade from the same text if the module is ever restarted.
      this.#handle = call(() => rt.handle((b) => new b.WasmModel(text)));
      this.#meta = call(() => parse(this.#inner.metaJson()));
    }

    /** The model in the module's current instance. */
    get #inner() {
      return this.#handle.get();
    }

    /** Every problem with a model document, without throwing (empty when valid). */
    static validate(model) {
      let text;
      try {
        text = typeof model === 'string' ? encodeText(model, 'the model', 'model') : encode(model, 'the model', 'model');
      } catch (e) {
        if (e instanceof HealthScoreError) return e.errors;
        throw e;
      }
      return call(() => parse(rt.bindings.validateModel(text)));
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
      return this.#meta.bands.map((b) => ({ ...b }));
    }

    /** The measure ids in model order. */
    get measureIds() {
      return this.#meta.measures.map((m) => m.id);
    }

    /**
     * The model as its columns need it: `{ id, hash, bands, insufficient,
     * categories: [{ id, label, measures: [index] }], measures: [{ id, label,
     * reads, source, per, values? }], lowCoverageBelow, historyDays, ages }`
     * (a copy).
     */
    describe() {
      return structuredClone(this.#meta);
    }

    /** The coverage below which a scorecard is flagged `lowCoverage` (the model's `lowCoverageBelow`, default 0.8). */
    get lowCoverageBelow() {
      return this.#meta.lowCoverageBelow;
    }

    /** The normalised model document (defaults filled in; settings added after 1.0 are left out at their defaults, so hashes stay). */
    toJSON() {
      return call(() => parse(this.#inner.canonicalJson()));
    }

    /**
     * Scores one account. Options: `{ at, asOf, ignoreUnknown, tableCells }` (ISO dates:
     * the snapshot's date; the date values age to; leave out and list keys
     * that are not measures instead of refusing the account; read values as
     * a table's cells, as `suggest` does: `"30"` is a number for a numeric
     * rule, `"yes"` a boolean for a flag).
     */
    score(account, opts) {
      const text = encode(account, 'the account', 'account');
      const o = options(opts);
      return call(() => parse(this.#inner.score(text, o)));
    }

    /**
     * A table row (`{ column: cell }`, cells as a CSV gives them) as an
     * account of this model: `{ account, ignored }`. Options: `{ idColumn,
     * nameColumn, segmentColumn, valueColumn }` (idColumn required).
     */
    rowToAccount(row, opts) {
      const text = encode(row, 'the row', 'account');
      const o = options(opts);
      return call(() => parse(this.#inner.rowToAccount(text, o)));
    }

    /** The trend at the end of a history (scorecards or `{ at, score }` points), or null. */
    trend(history) {
      return calls.trend(this.#inner, history);
    }

    /** Every alert over a history, each at the snapshot where it fired. */
    alerts(history) {
      return calls.alerts(this.#inner, history);
    }

    /**
     * Rescores `previous` with `changedValues` at `at`: `{ scorecard, alerts }`, the
     * alerts this change caused. `options.history`: earlier scorecards or points.
     */
    update(previous, changedValues, at, opts) {
      return calls.update(this.#inner, previous, changedValues, at, opts);
    }

    /**
     * Rescores an account whose full inputs are known (values, series,
     * fields, value, notes) at `at`, compared with `previous` as `update`
     * does: `{ scorecard, alerts }`. For a caller that keeps each account's
     * inputs (the edge service).
     */
    advance(previous, account, at, opts) {
      return calls.advance(this.#inner, previous, account, at, opts);
    }

    /** Splits `after.score − before.score` into per-measure effects, renormalisation, caps, staleness and a model change. */
    explainChange(before, after) {
      return calls.explainChange(this.#inner, before, after);
    }

    /** Rescores stored raw inputs `[{ accountId, at, values }]` under this model. */
    replay(snapshots) {
      if (!Array.isArray(snapshots)) throw error('wrong_type', '', 'the snapshots must be an array', 'pass an array of { accountId, at, values }');
      return call(() => parse(this.#inner.replay(encodeEach(snapshots, 'the snapshots', 'account'))));
    }

    /**
     * Orders scorecards: `{ objective: 'retention' | 'growth', limit }`;
     * each comes back with its `priority` (first), the rest of it as given.
     * Built on `priorityOrder`: reads each scorecard's score, value, band,
     * trend direction and account id only.
     */
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

    /**
     * The order `prioritise` gives, without copying the scorecards: `{
     * indexes, priorities }`, indexes into `scorecards` (highest priority
     * first; accounts `prioritise` leaves out are absent) and each one's
     * priority. Reads each scorecard's score, value, band, trend direction
     * and account id only: fast for a large portfolio.
     */
    priorityOrder(scorecards, opts) {
      opts = jsOptions(opts, ['objective'], '{ objective: "growth" }');
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass the scorecards of scoreMany');
      const objective = opts.objective ?? 'retention';
      if (typeof objective !== 'string') throw error('wrong_type', 'objective', 'objective must be a string', 'use "retention" or "growth"');
      const bandIndex = new Map(this.#meta.bands.map((b, i) => [b.id, i]));
      const c = portfolio.priorityColumns(scorecards, bandIndex, known.facts().bandOther);
      const ids = portfolio.idBytes(c.ids);
      return rt.withMemory(160 * c.scores.length + 2 * ids.length, () => call(() => {
        const order = this.#inner.priorityOrder(c.scores, c.values, c.bands, c.rising, ids, objective);
        try {
          return { indexes: order.takeIndexes(), priorities: order.takePriorities() };
        } finally {
          order.free();
        }
      }));
    }

    /** Band movement since a date, over dated scorecards of many accounts (reads each one's account id, date and band). */
    bandMovement(scorecards, since) {
      if (typeof since !== 'string') throw error('wrong_type', 'since', 'since must be an ISO date string', 'pass e.g. "2026-09-01"');
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass dated scorecards of many accounts');
      const rows = portfolio.movementRows(scorecards);
      return rt.withMemory(200 * scorecards.length + 2 * rows.length, () => call(() => parse(this.#inner.bandMovement(rows, since))));
    }

    /**
     * Backtests the model on labelled rows (`[{ column: value }]`, `{ column: [values] }`
     * or CSV text): AUC, lift, churn per band, per-measure checks. Options:
     * `{ outcome: { column, churnedWhen, retainedWhen? }, valueColumn, idColumn, onProgress }`.
     */
    backtest(rows, opts) {
      return runSync((c, o) => new c.CalibrationJob('backtest', this.#text(), o), rows, opts);
    }

    /** `backtest` yielding to the event loop between steps; stops on `options.signal`. */
    backtestAsync(rows, opts) {
      return runAsync((c, o) => new c.CalibrationJob('backtest', this.#text(), o), rows, opts);
    }

    /** Fits the model to labelled rows: `{ model, weights, reversed, before, after, … }`. */
    fit(rows, opts) {
      return runSync((c, o) => new c.CalibrationJob('fit', this.#text(), o), rows, opts);
    }

    /** `fit` yielding to the event loop between steps; stops on `options.signal`. */
    fitAsync(rows, opts) {
      return runAsync((c, o) => new c.CalibrationJob('fit', this.#text(), o), rows, opts);
    }

    /** Suggests band edges from labelled rows: options `{ outcome, shares }` or `{ outcome, churnRates }`. */
    suggestBands(rows, opts) {
      return runSync((c, o) => new c.CalibrationJob('suggestBands', this.#text(), o), rows, opts);
    }

    /** `suggestBands` yielding to the event loop between steps. */
    suggestBandsAsync(rows, opts) {
      return runAsync((c, o) => new c.CalibrationJob('suggestBands', this.#text(), o), rows, opts);
    }

    /**
     * The reference quantiles of a `percentile` rule, from a portfolio's
     * values (numbers; null and NaN left out): `count` values at evenly
     * spaced ranks, 0th to 100th (default 11: every 10th percentile).
     */
    static quantiles(values, count = 11) {
      if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw error('wrong_type', 'values', 'values must be an array of numbers', 'pass e.g. the measure\'s column: [3, 8, null, 12]');
      if (!Number.isInteger(count)) throw error('invalid_value', 'count', 'count must be a whole number', 'ask for e.g. 11 or 101');
      const xs = new Float64Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v === null || v === undefined) xs[i] = NaN;
        else if (typeof v === 'number') xs[i] = v;
        else throw error('wrong_type', `values[${i}]`, `values[${i}] is not a number`, 'give numbers, or null when unknown');
      }
      return call(() => parse(rt.bindings.quantilesJson(xs, count)));
    }

    /** Builds a model from labelled rows: `{ model, columns, backtest, bands, outcome, … }`. */
    static suggest(rows, opts) {
      return runSync((c, o) => new c.CalibrationJob('suggest', undefined, o), rows, opts);
    }

    /** `suggest` yielding to the event loop between steps (progress, cancel with `signal`). */
    static suggestAsync(rows, opts) {
      return runAsync((c, o) => new c.CalibrationJob('suggest', undefined, o), rows, opts);
    }

    /**
     * Parents' health from their children's scorecards: `options.parents`
     * maps each child's id to its parent's (parents may have parents), a
     * plain object or a Map (for large hierarchies: V8 lists a Map of a
     * million entries in about 0.1 s, an object's keys in about 1 s),
     * `options.method` is `mean` (value-weighted, default) or `worst`. One
     * result per parent: score, band, children (costliest first), shares
     * per band, and levers that name the child to act on.
     */
    rollup(scorecards, opts) {
      if (opts === null || typeof opts !== 'object') throw error('wrong_type', 'options', 'options must be { parents, method? }', 'pass e.g. { parents: { "acme-eu": "acme" } }');
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass the children\'s scorecards (scoreMany\'s)');
      const c = portfolio.rollupColumns(scorecards);
      const { links, options: rest } = portfolio.rollupLinks(opts, c.idList);
      const options = encode(rest, 'the options');
      // (a million children under one parent took 300 MiB: the ids and
      // links as text, and about 260 bytes a child besides; asked a little
      // over, the memory grows once: each growth costs a collection of the
      // JS heap, and pages asked for but never touched cost nothing)
      const text = links ? (links.children?.length ?? 0) + 4 * links.parents.length + links.names.length : options.length;
      return rt.withMemory(300 * c.model.length + c.ids.length + 2 * text, () =>
        call(() => parse(this.#inner.rollupColumns(c.ids, c.names, c.model, c.scores, c.band, c.values, c.lever, c.points, links?.children ?? undefined, links?.parents, links?.names, options))));
    }

    /**
     * The portfolio summary (count, mean, median, bands, low coverage) of
     * scorecards (nulls are left out). Reads each one's score, band, value
     * and low-coverage flag only.
     */
    summarize(scorecards) {
      if (!Array.isArray(scorecards)) throw error('wrong_type', '', 'the scorecards must be an array', 'pass the scorecards of scoreMany');
      const bandIndex = new Map(this.#meta.bands.map((b, i) => [b.id, i]));
      const c = portfolio.summaryColumns(scorecards, bandIndex, known.facts().bandOther);
      return call(() => parse(this.#inner.summarizeColumns(c.scores, c.bands, c.values, c.low)));
    }

    /**
     * Scores many accounts: `{ scorecards, errors, summary }`; bad accounts leave null.
     * Options as `score`. With `{ columnar: true }` it returns scores and
     * bands as typed arrays instead (`{ scores, bands, errors }`, plus
     * `categories` and `contributions` columns with `breakdown: true`).
     */
    scoreMany(accounts, opts) {
      if (!Array.isArray(accounts)) {
        throw error('wrong_type', '', 'accounts must be an array', 'pass an array of account objects');
      }
      if (opts != null && (typeof opts !== 'object' || Array.isArray(opts))) {
        throw error('wrong_type', 'options', 'options must be an object', 'pass e.g. { columnar: true }');
      }
      const { columnar, breakdown, codegen, ...rest } = opts ?? {};
      const o = Object.keys(rest).length > 0 ? encode(rest, 'the options') : undefined;
      const dated = call(() => rt.bindings.scoreOptionsDated(o));
      if (columnar) {
        if (rest.tableCells === true) {
          throw error('invalid_value', 'tableCells', 'columnar results read values as the kernel does, not as table cells', 'leave out tableCells with { columnar: true }, or score objects without columnar');
        }
        if (rest.at != null || rest.asOf != null) {
          throw error('invalid_value', 'at', 'columnar results are not dated snapshots', 'leave out at and asOf with { columnar: true }, or score objects without it');
        }
        return this.#scoreManyColumnar(accounts, breakdown === true, codegen !== false, o);
      }
      known.checkBatch(accounts.length);
      // (table cells are read by the core alone: the kernel's packer reads
      // JSON values, and a padded text would miss its key there)
      return this.#scoreManyObjects(accounts, codegen !== false, o, dated && rest.tableCells !== true ? rest.at ?? null : undefined);
    }

    // Scorecards for a portfolio, a chunk at a time: the packer writes the
    // values into the column staging memory, the kernel scores every row
    // with every number of a scorecard, and the scorecards are built in JS
    // from those columns. The rows it cannot take (see makePacker and
    // packFields, plus rows the kernel refuses) are scored through JSON,
    // which reports their errors exactly. `at` is undefined when the
    // options' dates are invalid or `tableCells` is on: then every row goes
    // through JSON.
    #scoreManyObjects(accounts, codegen, opts, at) {
      const n = accounts.length;
      const scorecards = new Array(n).fill(null);
      const scores = new Float64Array(n);
      const bands = new Uint8Array(n);
      const values = new Float64Array(n);
      const low = new Uint8Array(n);
      const slowRows = [];
      const errors = [];
      const meta = this.#meta;
      const { bandRefused } = known.facts();
      const kernel = at !== undefined && meta.bands.length < bandRefused;
      const pack = kernel ? (this.#packers[+codegen] ??= makePacker(this.#meta.measures, codegen, known.facts().missingTexts)) : null;
      const cards = kernel ? (this.#cards ??= makeScorecards(meta, known.facts(), (a) => this.score(a))) : null;
      const given = new Uint8Array(meta.measures.length).fill(1);
      for (let start = 0; start < n; start += CHUNK) {
        const rows = Math.min(CHUNK, n - start);
        if (!kernel) {
          for (let r = 0; r < rows; r++) slowRows.push(start + r);
          continue;
        }
        const chunk = call(() => {
          const buffer = this.#stage(rows, !pack.writesEveryCell);
          const slow = new Uint8Array(rows);
          const texts = new Map();
          for (const r of packSafely(pack, accounts, buffer, rows, start, texts)) slow[r] = 1;
          // (a detached buffer reads as empty: every row is slow then)
          const input = buffer.length === 0 ? new Float64Array(rows * meta.measures.length).fill(NaN) : buffer.slice();
          const result = this.#inner.scoreStaged(rows, given, true, true, true, start);
          try {
            return {
              slow,
              rows,
              input,
              texts,
              at,
              scores: result.takeScores(),
              bands: result.takeBands(),
              categories: result.takeCategories(),
              contributions: result.takeContributions(),
              uncapped: result.takeFull('uncapped'),
              totals: result.takeFull('totals'),
              coverage: result.takeFull('coverage'),
              partial: result.takeFull('partial'),
              normalized: result.takeFull('normalized'),
              weights: result.takeFull('weights'),
              missed: result.takeFull('pointsMissed'),
              categoryWeights: result.takeFull('categoryWeights'),
              categoryContributions: result.takeFull('categoryContributions'),
              categoryMissed: result.takeFull('categoryPointsMissed'),
              status: result.takeStatus(),
              extras: parse(result.extrasJson()),
            };
          } finally {
            result.free();
          }
        });
        const { slow } = chunk;
        // A row the kernel refused is rescored through JSON for its errors.
        for (let r = 0; r < rows; r++) if (chunk.bands[r] === bandRefused) slow[r] = 1;
        Object.assign(chunk, packFieldsSafely(accounts, start, rows, slow));
        cards.build(chunk, scorecards, start, slow);
        for (let r = 0; r < rows; r++) {
          if (slow[r]) {
            slowRows.push(start + r);
          } else {
            scores[start + r] = chunk.scores[r];
            bands[start + r] = chunk.bands[r];
            values[start + r] = chunk.values[r];
            low[start + r] = scorecards[start + r].lowCoverage ? 1 : 0;
          }
        }
      }
      this.#scoreSlow(accounts, slowRows, opts, { scorecards, scores, bands, values, low, errors });
      const summary = call(() => parse(this.#inner.summarizeColumns(scores, bands, values, low)));
      return { scorecards, errors, summary };
    }

    // Scores the given rows through JSON, a chunk at a time, into the batch.
    #scoreSlow(accounts, slowRows, opts, out) {
      if (slowRows.length === 0) return;
      const bandIndex = new Map(this.#meta.bands.map((b, i) => [b.id, i]));
      for (let a = 0; a < slowRows.length; a += CHUNK) {
        const part = slowRows.slice(a, a + CHUNK);
        const text = encodeEach(part.map((r) => accounts[r]), 'the accounts', 'account');
        const batch = call(() => parse(this.#inner.scoreMany(text, opts, Uint32Array.from(part))));
        part.forEach((r, j) => {
          out.scorecards[r] = batch.scorecards[j];
          known.writeCard(batch.scorecards[j], r, out, bandIndex);
        });
        for (const e of batch.errors) out.errors.push(e);
      }
      // Errors in account order; an account's own errors keep their order.
      out.errors.sort((x, y) => x.index - y.index);
    }

    // Packs the accounts' values straight into the column staging memory
    // (one pass, no JSON), runs the kernel once, and sends only the accounts
    // it cannot pack (text values, wrong types, unknown measures, no
    // `values` object) through the JSON path, whose scorecards and errors
    // are merged back by row.
    #scoreManyColumnar(accounts, breakdown, codegen, opts) {
      const rows = accounts.length;
      const m = this.#meta.measures.length;
      const pack = (this.#packers[+codegen] ??= makePacker(this.#meta.measures, codegen, known.facts().missingTexts));
      return call(() => {
        const buffer = this.#stage(rows, !pack.writesEveryCell);
        const slow = packSafely(pack, accounts, buffer, rows);
        const out = this.#runStaged(rows, new Uint8Array(m).fill(1), breakdown, true);
        if (slow.length > 0) this.#mergeSlow(accounts, slow, out, opts);
        return out;
      });
    }

    // Scores the slow rows with full scorecards and writes them into `out`.
    #mergeSlow(accounts, slow, out, opts) {
      const batch = { scorecards: new Array(slow.length), errors: [] };
      for (let a = 0; a < slow.length; a += CHUNK) {
        const part = slow.slice(a, a + CHUNK);
        const got = parse(this.#inner.scoreMany(encodeEach(part.map((r) => accounts[r]), 'the accounts', 'account'), opts, Uint32Array.from(part)));
        got.scorecards.forEach((c, j) => (batch.scorecards[a + j] = c));
        batch.errors.push(...got.errors);
      }
      const bandIndex = new Map(this.#meta.bands.map((b, i) => [b.id, i]));
      const isSlow = new Set(slow);
      const errors = out.errors.filter((e) => !isSlow.has(e.index));
      slow.forEach((r, j) => {
        const card = batch.scorecards[j];
        known.writeCard(card, r, out, bandIndex);
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
      errors.push(...batch.errors);
      errors.sort((a, b) => a.index - b.index);
      out.errors = errors;
    }

    // Runs the kernel over the staged columns and reads the results back.
    #runStaged(rows, given, breakdown, matchCodes = false) {
      const result = this.#inner.scoreStaged(rows, given, breakdown, matchCodes, false, 0);
      try {
        const out = { scores: result.takeScores(), bands: result.takeBands(), errors: parse(result.errors()) };
        if (breakdown) {
          const cats = result.takeCategories();
          const contribs = result.takeContributions();
          const catIds = this.#meta.categories.map((c) => c.id);
          out.categories = Object.fromEntries(catIds.map((c, i) => [c, cats.subarray(i * rows, (i + 1) * rows)]));
          out.contributions = Object.fromEntries(this.#meta.measures.map((x, i) => [x.id, contribs.subarray(i * rows, (i + 1) * rows)]));
        }
        return out;
      } finally {
        result.free();
      }
    }

    /** What would raise an account's score most, with the path to the next band. */
    levers(account) {
      return calls.levers(this.#inner, account);
    }

    /**
     * The fewest changes that take the account to the next band up, when no
     * single lever does: `{ band, changes: [{ measureId, from, to, strict }],
     * score }`, or null (top band, too little data, held by a cap, or out of
     * reach). A single change is preferred when one is enough.
     */
    plan(account) {
      return calls.plan(this.#inner, account);
    }

    /**
     * Scores a portfolio given as columns: `{ measureId: Float64Array }`, NaN for
     * missing, flags as 1/0. Returns `{ scores: Float64Array, bands: Uint8Array,
     * errors }`; band 255 is insufficient data, 254 a refused row
     * (`constants().bandCodes`). With
     * `{ breakdown: true }` also `categories: { categoryId: Float64Array }`
     * (category scores, NaN when none) and `contributions: { measureId:
     * Float64Array }` (points each measure adds).
     */
    scoreColumns(columns, opts) {
      const breakdown = jsOptions(opts, ['breakdown'], '{ breakdown: true }').breakdown === true;
      const { rows, given } = scoreColumnsInto(columns, this.measureIds, error, (key) => known.fieldPath('columns', key), (n) => call(() => this.#stage(n, false)));
      return call(() => this.#runStaged(rows, given, breakdown));
    }

    /**
     * Column staging memory to fill in place, without a copy: `const view =
     * model.columnView(rows)`, write `view.columns[measureId][r]` (NaN,
     * the starting value, is missing; flags 1/0), then `view.score({
     * breakdown })`, which returns what `scoreColumns` returns. The columns
     * are views of the module's memory: any other call on this model, or a
     * call that grows the module's memory, ends them, and `score` then
     * refuses with `stale_view` rather than read what may not be what you
     * wrote. Fill, then score, with no calls in between.
     */
    columnView(rows) {
      if (!Number.isSafeInteger(rows) || rows < 0) {
        throw error('invalid_value', 'rows', 'rows must be a whole number', 'pass e.g. columnView(10000)');
      }
      const ids = this.measureIds;
      const buffer = call(() => this.#stage(rows, true));
      const stamp = this.#stagings;
      const epoch = rt.epoch;
      const columns = Object.fromEntries(ids.map((id, i) => [id, buffer.subarray(i * rows, (i + 1) * rows)]));
      const given = new Uint8Array(ids.length).fill(1);
      const model = this;
      return {
        rows,
        columns,
        score(opts) {
          // A grown memory detaches every view of it (length 0).
          if (stamp !== model.#stagings || epoch !== rt.epoch || buffer.length !== rows * ids.length) {
            throw error('stale_view', '', 'the column view was ended by another call before score()', 'call columnView() again, fill it, then score() with no calls into customer-health in between');
          }
          const breakdown = jsOptions(opts, ['breakdown'], '{ breakdown: true }').breakdown === true;
          model.#stagings++;
          return call(() => model.#runStaged(rows, given, breakdown));
        },
      };
    }

    /** The staging memory for `rows` rows (NaN first with `missing`); ends any column view. */
    #stage(rows, missing) {
      this.#stagings++;
      return this.#inner.columnBuffer(rows, missing);
    }

    /** The canonical model JSON (what the calibration module reads the model from). */
    #text() {
      return call(() => this.#inner.canonicalJson());
    }

    /** Releases the model's WebAssembly memory now (otherwise the garbage collector does). */
    free() {
      this.#handle.free();
    }
  }

  return HealthModel;
}
