// Scorecards built from the kernel's columnar results, without JSON per
// account: the same fields and the same numbers (bit for bit) as the JSON
// path. The cheap fields are plain data; `categories` (the breakdown),
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

/**
 * @param {object} meta the model as the core describes it (`metaJson`)
 * @param {object} codes the core's band codes for insufficient data and refused rows
 * @param {(account: object) => object} detail the scorecard of an account by
 *   the JSON path (for levers and actions)
 */
export function makeScorecards(meta, { bandInsufficient, bandRefused }, detail) {
  const n = meta.measures.length;
  const kinds = meta.measures.map(measureKind);
  const csm = meta.measures.flatMap((m, i) => (m.source === 'csm' ? [i] : []));
  const band = (b) => {
    const x = b === bandInsufficient ? meta.insufficient : meta.bands[b];
    return { id: x.id, label: x.label, color: x.color };
  };

  /** A measure's raw value from the packed input: what the account gave. */
  function value(chunk, i, r) {
    const x = chunk.input[i * chunk.rows + r];
    if (x !== x) return null;
    if (kinds[i] === 1) return x === 1;
    if (kinds[i] === 2) return meta.measures[i].values[x];
    return x;
  }

  function categoriesOf(chunk, r) {
    const rows = chunk.rows;
    return meta.categories.map((cat, c) => {
      let contribution = -0;
      let missed = -0;
      const measures = cat.measures.map((i) => {
        const at = i * rows + r;
        const co = chunk.contributions[at];
        const mi = chunk.missed[at];
        contribution += co;
        missed += mi;
        const m = meta.measures[i];
        return {
          id: m.id,
          label: m.label,
          value: value(chunk, i, r),
          status: STATUS[chunk.status[at]],
          partial: orNull(chunk.partial[at]),
          normalized: orNull(chunk.normalized[at]),
          weight: chunk.weights[at],
          contribution: co,
          pointsMissed: mi,
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
        contribution,
        pointsMissed: missed,
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
   * Builds the scorecards of a chunk's rows that are not `slow` into
   * `out[offset + r]`; a refused row (band 254) is left null.
   */
  function build(chunk, out, offset, slow) {
    const rows = chunk.rows;
    const nc = meta.caps.length;
    const no = meta.overrides.length;
    hiddenChunk.value = chunk;
    for (let r = 0; r < rows; r++) {
      if (slow[r] || chunk.bands[r] === bandRefused) continue;
      const s = chunk.scores[r];
      const score = orNull(s);
      const missing = [];
      for (let i = 0; i < n; i++) if (chunk.status[i * rows + r] !== 0) missing.push(meta.measures[i].id);
      const coverage = chunk.coverage[r];
      const u = chunk.uncapped[r];
      // The core's coverage penalty and low-coverage flag, operation for operation.
      const penalty = score !== null && meta.coveragePenalty > 0 ? meta.coveragePenalty * (1 - coverage) * (u - 50) + 0 : 0;
      const caps = [];
      let capped = score === null ? NaN : u - penalty;
      for (let c = 0; c < nc; c++) {
        if (chunk.caps[c * rows + r]) {
          caps.push({ reason: meta.caps[c].reason, max: meta.caps[c].max });
          capped = Math.min(capped, meta.caps[c].max);
        }
      }
      // The overrides that held (bits after the caps'), replayed in order
      // from the score after caps: the core's min, max and assignment.
      const overrides = [];
      for (let o = 0; o < no; o++) {
        if (!chunk.caps[(nc + o) * rows + r]) continue;
        const { reason, kind, value } = meta.overrides[o];
        const before = capped;
        capped = kind === 'set' ? value : kind === 'floor' ? Math.max(capped, value) : Math.min(capped, value);
        overrides.push({ reason, kind, value, before, after: capped });
      }
      // The CSM's measures far from the score: the core's arithmetic.
      const sentimentDisagrees = [];
      if (score !== null) {
        for (const i of csm) {
          if (chunk.status[i * rows + r] !== 0) continue;
          const sentiment = 100 * chunk.normalized[i * rows + r];
          const gap = sentiment - score;
          if (Math.abs(gap) > meta.sentimentMargin) sentimentDisagrees.push({ measureId: meta.measures[i].id, sentiment, score, gap });
        }
      }
      const card = {
        accountId: chunk.ids[r],
        name: chunk.names[r],
        segment: chunk.segments[r],
        value: orNull(chunk.values[r]),
        at: chunk.at,
        modelId: meta.id,
        modelHash: meta.hash,
        score,
        uncappedScore: score === null ? null : u,
        total: orNull(chunk.totals[r]),
        band: band(chunk.bands[r]),
        coverage,
        lowCoverage: score !== null && coverage + meta.coverageSlack < meta.lowCoverageBelow,
        coveragePenalty: penalty,
        missing,
        stale: [],
        caps,
        sentimentDisagrees,
        overrides,
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
  }

  return { build };
}
