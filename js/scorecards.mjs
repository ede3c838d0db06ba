// Scorecards built from the kernel's columnar results, without JSON per
// account: the same fields and the same numbers (bit for bit) as the JSON
// path. Every number comes from the core (the columns, and per row what
// follows from the aggregation: caps, overrides, the coverage penalty, the
// CSM's disagreements, the low-coverage flag); nothing is computed here.
// The cheap fields are plain data; `categories` (the breakdown),
// `levers` and `actions` are own enumerable properties computed when first
// read (then they are plain data too): the breakdown from the columns kept
// with the chunk, levers and actions by the core from the account's packed
// values. JSON.stringify, spreading, structuredClone and deep equality read
// them like any other field.
import { measureKind } from './packers.mjs';

const STATUS = ['present', 'skipped', 'neutral', 'worst', 'imputed'];
/** A scorecard's row in its chunk, and the chunk (non-enumerable own properties). */
const ROW = Symbol('customer-health row');
const CHUNK = Symbol('customer-health chunk');

function own(obj, name, value) {
  Object.defineProperty(obj, name, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** An own enumerable property computed on first read. */
function lazy(name, compute) {
  return {
    get() {
      return own(this, name, compute(this));
    },
    set(value) {
      own(this, name, value);
    },
    enumerable: true,
    configurable: true,
  };
}

const orNull = (x) => (x === x ? x : null);
/** The fields computed on first read. */
const LAZY = ['categories', 'levers', 'actions'];

/**
 * @param {object} meta the model as the core describes it (`metaJson`)
 * @param {object} codes the core's band codes for insufficient data and refused rows
 * @param {(account: object) => object} detail the scorecard of an account by
 *   the JSON path (for levers and actions)
 */
export function makeScorecards(meta, { bandInsufficient, bandRefused }, detail) {
  const n = meta.measures.length;
  const kinds = meta.measures.map(measureKind);
  const band = (b) => {
    const x = b === bandInsufficient ? meta.insufficient : meta.bands[b];
    return { id: x.id, label: x.label, color: x.color };
  };

  /** A measure's raw value from the packed input: what the account gave. */
  function value(chunk, i, r) {
    const at = i * chunk.rows + r;
    const x = chunk.input[at];
    // (a text that is not one of the rule's keys, kept as it was given)
    if (kinds[i] === 2) return x < meta.measures[i].values.length ? meta.measures[i].values[x] : chunk.texts?.get(at) ?? null;
    if (x !== x) return null;
    if (kinds[i] === 1) return x === 1;
    return x;
  }

  function categoriesOf(chunk, r) {
    const rows = chunk.rows;
    return meta.categories.map((cat, c) => {
      const measures = cat.measures.map((i) => {
        const at = i * rows + r;
        const m = meta.measures[i];
        return {
          id: m.id,
          label: m.label,
          value: value(chunk, i, r),
          status: STATUS[chunk.status[at]],
          partial: orNull(chunk.partial[at]),
          normalized: orNull(chunk.normalized[at]),
          weight: chunk.weights[at],
          contribution: chunk.contributions[at],
          pointsMissed: chunk.missed[at],
          observedAt: null,
          ageDays: null,
          decayedWeight: null,
          seriesPoints: null,
          per: null,
          source: m.source,
          note: null,
        };
      });
      return {
        id: cat.id,
        label: cat.label,
        score: orNull(chunk.categories[c * rows + r]),
        weight: chunk.categoryWeights[c * rows + r],
        contribution: chunk.categoryContributions[c * rows + r],
        pointsMissed: chunk.categoryMissed[c * rows + r],
        measures,
      };
    });
  }

  /** The account again, from its packed values (so later changes to the caller's object do not matter). */
  function accountOf(card) {
    const chunk = card[CHUNK];
    const r = card[ROW];
    const values = {};
    for (let i = 0; i < n; i++) {
      const v = value(chunk, i, r);
      if (v !== null) values[meta.measures[i].id] = v;
    }
    const a = { id: card.accountId, values };
    if (card.name !== null) a.name = card.name;
    if (card.segment !== null) a.segment = card.segment;
    if (card.value !== null) a.value = card.value;
    return a;
  }

  const details = (card) => {
    const d = detail(accountOf(card));
    own(card, 'levers', d.levers);
    own(card, 'actions', d.actions);
    return d;
  };
  // One set of accessors for every scorecard of the model: V8 keeps cards
  // that share them on one hidden class (new accessors per chunk sent them to
  // slow dictionary mode, 3× the memory).
  const descriptors = {
    categories: lazy('categories', (card) => categoriesOf(card[CHUNK], card[ROW])),
    levers: lazy('levers', (card) => details(card).levers),
    actions: lazy('actions', (card) => details(card).actions),
  };
  const hiddenRow = { value: 0, writable: false, enumerable: false, configurable: false };
  const hiddenChunk = { value: null, writable: false, enumerable: false, configurable: false };

  /**
   * A copy of a scorecard built here with its `priority` first: the same
   * fields in the same order; the breakdown, levers and actions stay
   * computed on first read while unread (the shared accessors keep the
   * copies on one hidden class), and are copied as values once read.
   */
  function withPriority(card, priority) {
    const out = {
      priority,
      accountId: card.accountId,
      name: card.name,
      segment: card.segment,
      value: card.value,
      at: card.at,
      modelId: card.modelId,
      modelHash: card.modelHash,
      score: card.score,
      uncappedScore: card.uncappedScore,
      total: card.total,
      band: card.band,
      coverage: card.coverage,
      lowCoverage: card.lowCoverage,
      coveragePenalty: card.coveragePenalty,
      missing: card.missing,
      stale: card.stale,
      caps: card.caps,
      sentimentDisagrees: card.sentimentDisagrees,
      overrides: card.overrides,
    };
    for (const key of LAZY) {
      const d = Object.getOwnPropertyDescriptor(card, key);
      if (d.get) Object.defineProperty(out, key, descriptors[key]);
      else out[key] = d.value;
    }
    out.trend = card.trend;
    hiddenRow.value = card[ROW];
    Object.defineProperty(out, ROW, hiddenRow);
    hiddenChunk.value = card[CHUNK];
    Object.defineProperty(out, CHUNK, hiddenChunk);
    return out;
  }

  /**
   * Builds the scorecards of a chunk's rows that are not `slow` into
   * `out[offset + r]`; a refused row (band 254) is left null.
   */
  function build(chunk, out, offset, slow) {
    const rows = chunk.rows;
    chunk.withPriority = withPriority;
    hiddenChunk.value = chunk;
    for (let r = 0; r < rows; r++) {
      if (slow[r] || chunk.bands[r] === bandRefused) continue;
      const score = orNull(chunk.scores[r]);
      const missing = [];
      for (let i = 0; i < n; i++) if (chunk.status[i * rows + r] !== 0) missing.push(meta.measures[i].id);
      // The defaults of what follows from the aggregation; the core sends
      // the rows where any of it differs (extras, below).
      const card = {
        accountId: chunk.ids[r],
        name: chunk.names[r],
        segment: chunk.segments[r],
        value: orNull(chunk.values[r]),
        at: chunk.at,
        modelId: meta.id,
        modelHash: meta.hash,
        score,
        uncappedScore: score === null ? null : chunk.uncapped[r],
        total: orNull(chunk.totals[r]),
        band: band(chunk.bands[r]),
        coverage: chunk.coverage[r],
        lowCoverage: false,
        coveragePenalty: 0,
        missing,
        stale: [],
        caps: [],
        sentimentDisagrees: [],
        overrides: [],
      };
      Object.defineProperty(card, 'categories', descriptors.categories);
      Object.defineProperty(card, 'levers', descriptors.levers);
      Object.defineProperty(card, 'actions', descriptors.actions);
      card.trend = null;
      hiddenRow.value = r;
      Object.defineProperty(card, ROW, hiddenRow);
      Object.defineProperty(card, CHUNK, hiddenChunk);
      out[offset + r] = card;
    }
    // (each replaces a default in place: the fields keep their order)
    for (const [r, extras] of chunk.extras) {
      const card = out[offset + r];
      if (card != null && !slow[r]) Object.assign(card, extras);
    }
  }

  return { build };
}

/**
 * A scorecard with its `priority` first and the rest as given: one built
 * from columns keeps its breakdown, levers and actions unread (they are
 * computed when first read, as on the original).
 */
export function withPriority(card, priority) {
  return Object.hasOwn(card, CHUNK) ? card[CHUNK].withPriority(card, priority) : { priority, ...card };
}
