// The public API of customer-health. The document types (Model, Account,
// Scorecard, Batch, …) are generated from the Rust types into types.d.ts.
import type {
  Model, Account, Scorecard, Lever, Plan, Batch, ErrorData, Band, BatchError, Trend, Alert, Update, Explanation,
  Replay, Prioritised, BandMovement, Rollup, RollupOptions, Summary, ModelSet, Backtest, FitResult, BandEdges, Suggestion, Progress,
  ScoreOptionsData, BacktestOptionsData, FitOptionsData, SuggestOptionsData, BandOptionsData, RowOptions, RowAccount,
  ModelInfo, CsvFile,
} from './types.js';
export type * from './types.js';

/** An error from customer-health: a stable `code`, a `path` into your data, a `message` and `help`. */
export declare class HealthScoreError extends Error {
  readonly name: 'HealthScoreError';
  /** Stable snake_case code (see `errorCodes()`). */
  readonly code: string;
  /** Where the problem is: `categories[1].measures[0].rule`, `values.ops`, `[3].values.ops`. */
  readonly path: string;
  /** What to do about it. */
  readonly help: string;
  /** Every problem (model validation reports them all); the first is this error's own. */
  readonly errors: ErrorData[];
}

/**
 * Options of `score`: `{ at, asOf, ignoreUnknown, tableCells }` (generated from the Rust
 * type; an unknown option is an error).
 */
export type ScoreOptions = ScoreOptionsData;

/** A history: dated scorecards, or `{ at, score, band? }` points, in any order. */
export type History = Array<Scorecard | { at: string; score?: number | null; band?: string; modelHash?: string }>;

/** Labelled rows: objects, columns of equal length, or the text of a CSV file. */
export type Rows = Array<Record<string, unknown>> | Record<string, ArrayLike<unknown>> | string;

/** The JS-only options of the calibration calls. */
export interface ProgressOptions {
  /**
   * Called between steps with `{ phase, done, total }`, what is done so
   * far: `reading` rows read; `binning` columns binned (about 250,000
   * cells a step); `fitting` 0 while the fit on weights of evidence runs
   * (a report per Newton step), 1 once done, then 1 more per Newton step
   * of the points per bin, of 1 + the most steps (it jumps to the total
   * when they converge sooner); `bands` 1 of 2 once the rows are scored
   * by the draft model, 2 of 2 at the end. In the
   * synchronous calls, returning `false` stops the call with a
   * `cancelled` error.
   */
  onProgress?: (progress: Progress) => boolean | void;
  /** `…Async` calls: aborting stops the call with a `cancelled` error. */
  signal?: AbortSignal;
}

/** Options of `backtest` (generated from the Rust type) and progress. */
export type BacktestOptions = BacktestOptionsData & ProgressOptions;
/** Options of `fit`. */
export type FitOptions = FitOptionsData & ProgressOptions;
/** Options of `HealthModel.suggest`. */
export type SuggestOptions = SuggestOptionsData & ProgressOptions;
/** Options of `suggestBands`. */
export type BandOptions = BandOptionsData & ProgressOptions;

/** A stored raw snapshot for replay. */
export interface StoredSnapshot {
  accountId: string;
  at: string;
  values?: Account['values'];
  observedAt?: Account['observedAt'];
  name?: string;
  segment?: string;
  value?: number;
}

/** The result of `scoreColumns`. */
export interface ColumnResult {
  /** Score per row (NaN where the row has no score or was refused). */
  scores: Float64Array;
  /** Index into `model.bands` per row; 255 insufficient data, 254 refused. */
  bands: Uint8Array;
  /** One entry per problem in a refused row (`[17].values.csm`). */
  errors: BatchError[];
}

/** A columnar result with its breakdown (`{ breakdown: true }`). */
export interface ColumnBreakdown extends ColumnResult {
  /** Per category, its score per row as a scorecard shows it (0–100; NaN when none or refused). */
  categories: Record<string, Float64Array>;
  /** Per measure, the points it adds to the score per row (0 when not used; NaN when refused). */
  contributions: Record<string, Float64Array>;
}

/**
 * Column staging memory filled in place (`model.columnView(rows)`): write
 * `columns[measureId][row]` (NaN, the starting value, is missing; flags
 * 1/0), then `score()`. Any other call on the model, or one that grows the
 * module's memory, ends the view: `score()` then throws `stale_view`.
 */
export interface ColumnView {
  readonly rows: number;
  /** Views of the module's memory, one per measure, `rows` long. */
  readonly columns: Record<string, Float64Array>;
  score(options?: { breakdown?: false }): ColumnResult;
  score(options: { breakdown: true }): ColumnBreakdown;
}

/** Options of `scoreMany` for large portfolios: whole columns cross the boundary. */
export interface ColumnarOptions {
  /** Return typed-array columns (`ColumnResult`) instead of scorecards. */
  columnar: true;
  /** Also return category scores and measure contributions as columns. */
  breakdown?: boolean;
  /**
   * Generate a packer for the model's measure ids with `new Function` (3–4×
   * faster packing; default true). Where code generation is refused (a CSP
   * without 'unsafe-eval', Cloudflare Workers) the generic packer is used;
   * pass false to avoid the attempt (and a CSP violation report).
   */
  codegen?: boolean;
}

/** A validated health-score model. */
export declare class HealthModel {
  /** Validates once; throws a HealthScoreError listing every mistake. */
  constructor(model: Model | string);
  /** Every problem with a model document, without throwing (empty when valid). */
  static validate(model: unknown): ErrorData[];
  /** The model's id. */
  readonly id: string;
  /** SHA-256 of the canonical model JSON: same model, same hash, everywhere. */
  readonly hash: string;
  /** The bands, lowest first. */
  readonly bands: Band[];
  /** The measure ids, in model order. */
  readonly measureIds: string[];
  /** The coverage below which a scorecard is flagged `lowCoverage` (the model's `lowCoverageBelow`, default 0.8). */
  readonly lowCoverageBelow: number;
  /** The normalised model (defaults filled in; settings added later are left out at their defaults, so hashes stay). */
  toJSON(): Model;
  /** The model as its columns need it: bands, categories with their measures, what each measure reads (a copy). */
  describe(): ModelInfo;
  /** Scores one account into an explained scorecard. */
  score(account: Account, options?: ScoreOptions): Scorecard;
  /** A table row (cells as a CSV gives them) as an account of this model, and the columns that are not measures. */
  rowToAccount(row: Record<string, unknown>, options: RowOptions): RowAccount;
  /**
   * Scores many accounts; a bad account leaves null in its slot and an entry
   * in `errors`. The scorecards are the ones `score` gives, built from the
   * columnar kernel's results; `categories`, `levers` and `actions` are
   * computed when first read (then plain data). At most 2,000,000 accounts
   * a call (`too_large`).
   */
  scoreMany(accounts: Account[], options?: ScoreOptions & { columnar?: false; codegen?: boolean }): Batch;
  /**
   * Scores many accounts into columns: scores and band indexes per row (the
   * same numbers as the scorecards), errors by row index; with `breakdown`,
   * category scores and contributions too.
   */
  scoreMany(accounts: Account[], options: ColumnarOptions & { breakdown: true }): ColumnBreakdown;
  scoreMany(accounts: Account[], options: ColumnarOptions): ColumnResult;
  /** What would raise the account's score most, with the path to the next band. */
  levers(account: Account): Lever[];
  /**
   * The fewest changes that take the account to the next band up when no
   * single lever does (a single change when one is enough), or null: top
   * band, too little data, held by a cap, or out of reach.
   */
  plan(account: Account): Plan | null;
  /** Scores columns `{ measureId: Float64Array }` (NaN missing, flags 1/0); fast for large portfolios. */
  scoreColumns(columns: Record<string, Float64Array | ArrayLike<number | null> | null | undefined>, options?: { breakdown?: false }): ColumnResult;
  /** Scores columns with a columnar breakdown: category scores and measure contributions per row. */
  scoreColumns(columns: Record<string, Float64Array | ArrayLike<number | null> | null | undefined>, options: { breakdown: true }): ColumnBreakdown;
  /**
   * The order `prioritise` gives, without copying the scorecards: indexes
   * into `scorecards`, highest priority first (accounts `prioritise` leaves
   * out are absent), and each one's priority. Fast for large portfolios.
   */
  priorityOrder(scorecards: Scorecard[], options?: { objective?: 'retention' | 'growth' }): { indexes: Uint32Array; priorities: Float64Array };
  /** Column staging memory to fill in place and score without a copy (see ColumnView). */
  columnView(rows: number): ColumnView;
  /** The trend at the end of a history, or null when no snapshot has a score. */
  trend(history: History): Trend | null;
  /** Every alert over a history, each at the snapshot where it fired. */
  alerts(history: History): Alert[];
  /** Rescores `previous` with changed values at `at`: the new scorecard and the alerts the change caused. */
  update(previous: Scorecard, changedValues: Account['values'], at?: string | null, options?: { history?: History }): Update;
  /**
   * Rescores an account whose full inputs are known (values, series, fields,
   * value, notes) at `at`, compared with `previous` as `update` does: the new
   * scorecard and the alerts it raises. For a caller that keeps each
   * account's inputs (the edge service): fields, per-seat divisors and
   * series change as freely as values.
   */
  advance(previous: Scorecard, account: Account, at?: string | null, options?: { history?: History }): Update;
  /** Splits a score change into parts that add up to it. */
  explainChange(before: Scorecard, after: Scorecard): Explanation;
  /** Rescores stored raw inputs under this model. */
  replay(snapshots: StoredSnapshot[]): Replay;
  /** Orders scorecards by objective; each result carries its `priority`. */
  prioritise(scorecards: Scorecard[], options?: { objective?: 'retention' | 'growth'; limit?: number }): Prioritised[];
  /** Band movement since a date, over dated scorecards of many accounts. */
  bandMovement(scorecards: Scorecard[], since: string): BandMovement;
  /** The portfolio summary of scorecards. */
  summarize(scorecards: Array<Scorecard | null>): Summary;
  /**
   * Parents' health from their children's scorecards (`parents`: child id → parent id, a plain object or a Map;
   * `method`: `mean` or `worst`); cycles and orphans are errors. For a large hierarchy pass a Map: V8 lists a
   * million entries of a Map in about 0.1 s, the keys of a plain object in about 1 s.
   */
  rollup(scorecards: Array<Scorecard | null>, options: Omit<RollupOptions, 'parents'> & { parents: RollupOptions['parents'] | Map<string, string> }): Rollup[];
  /** Backtests the model on labelled rows: AUC, lift, churn per band, per-measure checks. */
  backtest(rows: Rows, options: BacktestOptions): Backtest;
  /** `backtest`, yielding to the event loop between steps (progress, `signal`). */
  backtestAsync(rows: Rows, options: BacktestOptions): Promise<Backtest>;
  /** Fits the model to labelled rows (weights, or a points model's points), with a before/after backtest on held-out rows. */
  fit(rows: Rows, options: FitOptions): FitResult;
  /** `fit`, yielding to the event loop between steps. */
  fitAsync(rows: Rows, options: FitOptions): Promise<FitResult>;
  /** Suggests band edges by target shares or churn rates. */
  suggestBands(rows: Rows, options: BandOptions): BandEdges;
  /** `suggestBands`, yielding to the event loop between steps. */
  suggestBandsAsync(rows: Rows, options: BandOptions): Promise<BandEdges>;
  /** Builds a complete model (a points table) from labelled rows. */
  /** The reference quantiles of a `percentile` rule from a portfolio's values (null and NaN left out): `count` (default 11) values at evenly spaced ranks. */
  static quantiles(values: ArrayLike<number | null>, count?: number): number[];
  static suggest(rows: Rows, options: SuggestOptions): Suggestion;
  /** `suggest`, yielding to the event loop between steps (progress, cancel with `signal`). */
  static suggestAsync(rows: Rows, options: SuggestOptions): Promise<Suggestion>;
  /** Releases the model's WebAssembly memory now. */
  free(): void;
}

/**
 * Several models with conditions on the account (segment, value, and its
 * `fields`); the first that matches applies, a default last. The history
 * calls go to the model named by the scorecards' `modelId`.
 */
export declare class HealthModelSet {
  constructor(set: ModelSet | string);
  readonly id: string;
  readonly modelIds: string[];
  score(account: Account, options?: ScoreOptions): Scorecard;
  /**
   * Scores each account with the model that applies; a bad account is
   * refused alone. The summary counts every account by band id over the
   * bands of every model of the set (the default model's first).
   */
  scoreMany(accounts: Account[], options?: ScoreOptions): Batch;
  /** SHA-256 of the set's canonical JSON. */
  readonly hash: string;
  /** The normalised set document. */
  toJSON(): ModelSet;
  /** Every measure id of the set's models, once, in model order. */
  readonly measureIds: string[];
  /** Every band id of the set's models (the default model's first), then `insufficient_data`: what columnar band codes index. */
  readonly bandIds: string[];
  /** The summary of scorecards made by the set's models (every model's bands); nulls are left out. */
  summarize(scorecards: Array<Scorecard | null>): Summary;
  /** As `HealthModel.priorityOrder`; growth takes accounts in the top band of the model that made them. */
  priorityOrder(scorecards: Scorecard[], options?: { objective?: 'retention' | 'growth' }): { indexes: Uint32Array; priorities: Float64Array };
  /** As `HealthModel.prioritise`. */
  prioritise(scorecards: Scorecard[], options?: { objective?: 'retention' | 'growth'; limit?: number }): Prioritised[];
  /** Rescores stored raw inputs, each under the model that applies to it. */
  replay(snapshots: StoredSnapshot[]): Replay;
  /**
   * Scores accounts given as columns, each with the model its segment,
   * value and fields choose (one entry per row in each option). Band codes
   * index `bandIds`; `models` holds each row's model index in `modelIds`.
   */
  scoreColumns(
    columns: Record<string, Float64Array | ArrayLike<number | null> | null | undefined>,
    options?: { segments?: Array<string | null>; values?: Float64Array | ArrayLike<number | null>; fields?: Record<string, ArrayLike<number | boolean | string | null>> },
  ): { scores: Float64Array; bands: Uint8Array; models: Uint8Array; errors: BatchError[] };
  /** The trend at the end of a history, by the model of its latest entry that names one of the set's models (else the default). */
  trend(history: History): Trend | null;
  /** Every alert over a history, by the model of its latest entry; a change of model is `modelChanged`. */
  alerts(history: History): Alert[];
  /**
   * Rescores `previous` with the model that made it (`unknown_model` when
   * the set lacks it). When the account's segment, value or fields change,
   * score it again with `score` and update from that scorecard.
   */
  update(previous: Scorecard, changedValues: Account['values'], at?: string | null, options?: { history?: History }): Update;
  /** `HealthModel.explainChange` with the model that made `after`. */
  explainChange(before: Scorecard, after: Scorecard): Explanation;
  /** The levers of an account under the model that applies to it. */
  levers(account: Account): Lever[];
  /** The plan of an account under the model that applies to it, or null. */
  plan(account: Account): Plan | null;
  free(): void;
}

/**
 * Models (their last 20 versions), data and score histories in the
 * browser's IndexedDB, one database per namespace. Every call is a
 * transaction (two tabs appending to one history both land); a broken entry
 * is quarantined and reported (`corrupt_storage`), the rest kept; a full disk
 * is `storage_full` and loses nothing already saved. Outside browsers every
 * call rejects with `storage_unavailable`.
 */
export declare class HealthStore {
  constructor(namespace?: string);
  /** The format version entries are written with. */
  readonly format: number;
  readonly namespace: string;
  /** Saves a model (validated first) as its newest version; resolves to the version number. */
  saveModel(name: string, model: Model | string, savedAt?: string): Promise<number>;
  /** The newest saved version of a model, or null. */
  loadModel(name: string): Promise<Model | null>;
  /** The versions kept, oldest first. */
  modelVersions(name: string): Promise<Array<{ version: number; savedAt: string }>>;
  /** Drops the newest version and resolves to the one before it (null when none is left). */
  undoModel(name: string): Promise<Model | null>;
  saveData(name: string, data: unknown, savedAt?: string): Promise<void>;
  loadData(name: string): Promise<unknown>;
  /** Appends a scorecard (with its `at`) to an account's history, keeping the last `keep` (default 100); resolves to the length. */
  appendHistory(accountId: string, scorecard: Scorecard, keep?: number): Promise<number>;
  loadHistory(accountId: string): Promise<Scorecard[] | null>;
  remove(kind: 'model' | 'data' | 'history', name: string): Promise<void>;
  /** Entries moved aside because they could not be read. */
  quarantined(): Promise<Array<{ store: string; key: string; why: string; at: string; entry: unknown }>>;
  /** Deletes the entries moved aside as unreadable, nothing else; resolves with how many there were. */
  clearQuarantine(): Promise<number>;
  /** Removes every entry of this namespace, and nothing of any other. */
  clear(): Promise<void>;
  close(): void;
}

/** The built-in models, by id, as plain model documents to copy and edit. */
export declare const presets: {
  'composite-kpi': Model;
  'composite-industrial': Model;
  'composite-consulting': Model;
  'saas-points': Model;
};

/** Every error code with its meaning. */
export declare function errorCodes(): Record<string, string>;

/**
 * Reads a CSV file (its text, or its bytes: UTF-8, else Windows-1252) with
 * the library's one reader: the delimiter (`,` `;` tab) from the first
 * lines, decimal commas per column in a `;` file, blank rows skipped and
 * counted, short rows padded and listed, errors with their line
 * (`invalid_csv` at `line N`; `not_text` for a file with NUL bytes).
 */
export declare function parseCsv(input: string | Uint8Array | ArrayBuffer | ArrayBufferView): CsvFile;

/**
 * The documented limits. Inputs over them are refused before any work with
 * `too_large` and the limit in `help` (see BENCHMARKS.md, "Growth with input
 * size, and the limits").
 */
export interface Limits {
  /** Accounts per object-mode `scoreMany` call, and stored inputs per `replay`. */
  maxAccounts: number;
  /** Cells (rows × measures) per columnar call. */
  maxColumnCells: number;
  /** Cells (rows × columns) per calibration table. */
  maxTableCells: number;
  /** Columns per calibration table. */
  maxTableColumns: number;
  /** Bands per model. */
  maxBands: number;
  /** Measures (and categories) per model. */
  maxMeasures: number;
  /** Entries per rule (match scores, steps thresholds, linear points); caps and playbooks per model. */
  maxRuleEntries: number;
  /** Models per model set. */
  maxSetModels: number;
  /** Snapshots per history (`trend`, `alerts`, `update`'s history). */
  maxHistory: number;
  /** The most points a measure's series may hold in one account. */
  maxSeriesPoints: number;
  /** The most bytes of JSON one account (a stored snapshot, an update's changed values) may be; refused while it is written, before it crosses. */
  maxAccountBytes: number;
  /** The most bytes of JSON a model may be; refused before it is read. */
  maxModelBytes: number;
  /** The most conditions one override may have (`all` and `any` together). */
  maxOverrideConditions: number;
  /** The most conditions a model may have in all (caps and override conditions). */
  maxConditions: number;
  /** The most candidate values a lever search tries through overrides for one measure. */
  maxOverrideCandidates: number;
  /** The most changes a plan names (an account that needs more gets none). */
  maxPlanChanges: number;
  /** The most levers a rollup parent lists. */
  maxRollupLevers: number;
  /** The most children a rollup parent lists (the costliest; `childCount` counts them all). */
  maxRollupChildren: number;
  /** The most levels of parents a rollup takes. */
  maxRollupDepth: number;
  /** The most characters of each field of a note. */
  maxNoteChars: number;
}

/** The documented limits. */
export declare function limits(): Limits;

/** Facts of the core that JS code may need, so that it never writes them out a second time. */
export interface Constants {
  /** Band codes of columnar results (`scoreColumns`, `{ columnar: true }`) besides a band's index. */
  bandCodes: { insufficientData: number; refused: number };
  /** The band of an account with too little data (not one of a model's bands). */
  insufficientData: Band;
  /** Texts read as a missing value (compared ignoring case and surrounding spaces). */
  missingTexts: string[];
  /** Texts a flag reads as true. */
  trueTexts: string[];
  /** Texts a flag reads as false. */
  falseTexts: string[];
}

/** The core's constants: band codes of columnar results, the insufficient-data band, the typing policy's texts. */
export declare function constants(): Constants;

/**
 * Loads the WebAssembly module. Required once in browsers before creating a
 * HealthModel; already done (and harmless) in Node and edge workers.
 */
export declare function init(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/**
 * Loads the calibration module (backtest, fit, suggest), a second module
 * loaded only when needed. Node loads it on first use; browsers need it
 * before the synchronous calibration calls (the `…Async` ones load it
 * themselves); an edge worker passes the imported module
 * (`customer-health/customer_health_calibration_bg.wasm`).
 */
export declare function initCalibration(input?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;

/** Bytes of WebAssembly memory in use by the scoring module (0 before `init`; for leak checks and diagnostics). */
export declare function wasmMemoryBytes(): number;
