// Portfolio calls over scorecard objects (summarize, priorityOrder and
// prioritise, bandMovement, rollup): each reads only the few fields it
// needs of each scorecard into columns, and the core does the rest. A
// breakdown is never read, so scorecards built from columns stay light, and
// the cost grows with the number of scorecards only.

/**
 * @param {object} codec js/codec.mjs (`error`)
 * @param {object} known js/facts.mjs (`bandCode`, `facts`)
 */
export function makePortfolioReader({ error, wellFormed }, known) {
  const utf8 = new TextEncoder();
  // (JSON.stringify writes half a character as \udXXX; a false alarm, an
  // escaped backslash before "ud8…", is checked id by id)
  const halfCharacter = /\\ud[89a-f]/i;

  const notCard = (i, why) =>
    error('wrong_type', `[${i}]`, `not a scorecard: ${why}`, 'pass scorecards as score() or scoreMany() returns them (leave out the nulls of refused accounts)');

  /** Gives each distinct text an index (`names`), the last one remembered. */
  function indexer() {
    const index = new Map();
    const names = [];
    let last;
    let k = 0;
    const at = (name) => {
      if (name === last) return k;
      k = index.get(name);
      if (k === undefined) {
        k = names.length;
        index.set(name, k);
        names.push(name);
      }
      last = name;
      return k;
    };
    at.names = names;
    return at;
  }

  /**
   * The account ids as a JSON array in UTF-8 bytes (copied into the module
   * as they are); an id with half a character is refused at its place
   * (`kept[j]`, or `j` when no scorecard was left out).
   */
  function idBytes(ids, kept) {
    const json = JSON.stringify(ids);
    if (halfCharacter.test(json)) {
      const j = ids.findIndex((id) => !wellFormed(id));
      if (j >= 0) throw error('invalid_text', `[${kept ? kept[j] : j}].accountId`, 'not a scorecard: its accountId holds half a character (a lone surrogate)', 'pass scorecards as score() or scoreMany() returns them');
    }
    return utf8.encode(json);
  }

  function card(c, i) {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) throw notCard(i, 'it is not an object');
    const band = c.band;
    if (band === null || typeof band !== 'object' || typeof band.id !== 'string') throw notCard(i, 'its band has no id');
    return c;
  }

  function number(x, i, name) {
    if (x === null || x === undefined) return NaN;
    if (typeof x !== 'number' || !Number.isFinite(x)) throw notCard(i, `its ${name} is not a number`);
    return x;
  }

  function text(x, i, name) {
    if (typeof x !== 'string') throw notCard(i, `its ${name} is not text`);
    return x;
  }

  /**
   * The columns of a summary (`summarizeColumns`): score, band code,
   * value, the low-coverage flag. Nulls (refused accounts) are left out.
   */
  function summaryColumns(cards, bandIndex, other) {
    const kept = [];
    for (let i = 0; i < cards.length; i++) if (cards[i] != null) kept.push(i);
    const n = kept.length;
    const out = { scores: new Float64Array(n), bands: new Uint8Array(n), values: new Float64Array(n), low: new Uint8Array(n) };
    for (let k = 0; k < n; k++) {
      const i = kept[k];
      const c = card(cards[i], i);
      out.scores[k] = number(c.score, i, 'score');
      out.bands[k] = known.bandCode(c, bandIndex, other);
      out.values[k] = number(c.value, i, 'value');
      out.low[k] = c.lowCoverage === true ? 1 : 0;
    }
    return out;
  }

  /** The columns of a priority order: score, value, band code, rising, account id. */
  function priorityColumns(cards, bandIndex, other) {
    const n = cards.length;
    const out = { scores: new Float64Array(n), values: new Float64Array(n), bands: new Uint8Array(n), rising: new Uint8Array(n), ids: new Array(n) };
    for (let i = 0; i < n; i++) {
      const c = card(cards[i], i);
      out.scores[i] = number(c.score, i, 'score');
      out.values[i] = number(c.value, i, 'value');
      out.bands[i] = known.bandCode(c, bandIndex, other);
      out.rising[i] = c.trend?.direction === 'up' ? 1 : 0;
      out.ids[i] = text(c.accountId, i, 'accountId');
    }
    return out;
  }

  /** `[accountId, at, bandId]` of each dated scorecard (JSON text), for band movement. */
  function movementRows(cards) {
    const rows = new Array(cards.length);
    for (let i = 0; i < cards.length; i++) {
      const c = card(cards[i], i);
      const at = c.at;
      if (at !== null && at !== undefined && typeof at !== 'string') throw notCard(i, 'its at is not a date');
      rows[i] = [text(c.accountId, i, 'accountId'), at ?? null, c.band.id];
    }
    return JSON.stringify(rows);
  }

  /**
   * What rollup reads of each child, as columns (`rollupColumns`): the ids
   * as one JSON array (UTF-8 bytes); model, band and lever measure as
   * indexes into `names` (`[models, bands, measures]`, JSON; lever 2³²−1:
   * none); score, value and lever points as numbers (NaN: none). Nulls are
   * left out. A scorecard built from columns computes its levers when first
   * read.
   */
  function rollupColumns(cards) {
    let n = 0;
    for (let i = 0; i < cards.length; i++) if (cards[i] != null) n++;
    const ids = new Array(n);
    // (each id's place in the scorecards, when some were left out)
    const kept = n < cards.length ? new Uint32Array(n) : null;
    const model = new Uint32Array(n);
    const band = new Uint32Array(n);
    const lever = new Uint32Array(n);
    const scores = new Float64Array(n);
    const values = new Float64Array(n);
    const points = new Float64Array(n);
    const models = indexer();
    const bands = indexer();
    const measures = indexer();
    for (let i = 0, j = 0; i < cards.length; i++) {
      if (cards[i] == null) continue;
      const c = card(cards[i], i);
      if (kept) kept[j] = i;
      ids[j] = text(c.accountId, i, 'accountId');
      model[j] = models(text(c.modelId, i, 'modelId'));
      scores[j] = number(c.score, i, 'score');
      band[j] = bands(c.band.id);
      values[j] = number(c.value, i, 'value');
      const first = Array.isArray(c.levers) ? c.levers[0] : undefined;
      // (a lever without its points is no lever, as before the columns)
      const pts = first ? number(first.pointsMissed, i, 'lever') : NaN;
      if (first && pts === pts) {
        lever[j] = measures(text(first.measureId, i, 'lever'));
        points[j] = pts;
      } else {
        lever[j] = 0xffffffff;
        points[j] = NaN;
      }
      j++;
    }
    const names = JSON.stringify([models.names, bands.names, measures.names]);
    return { ids: idBytes(ids, kept), idList: ids, names, model, scores, band, values, lever, points };
  }

  /**
   * Rollup's `parents` (a plain object or a Map of child id to parent id)
   * as `links`: `children`, the children's ids as a JSON array (UTF-8
   * bytes; null when they are the scorecards' ids in order), `parents`,
   * each child's parent as an index into `names`, the distinct parents'
   * ids (a JSON array, UTF-8 bytes); and the other options with `parents`
   * empty. (V8 lists a plain object's keys slowly: a million take about a
   * second; a Map's, a tenth of it.) When a parent is not text or an id
   * holds half a character, `links` is undefined and `parents` stays in
   * the options, for the core's error at its path.
   */
  function rollupLinks(opts, ids) {
    const parents = opts.parents;
    const fallback = () => ({ links: undefined, options: { ...opts, parents: parents instanceof Map ? Object.fromEntries(parents) : parents } });
    const up = indexer();
    let kids;
    let ups;
    if (parents instanceof Map) {
      kids = new Array(parents.size);
      ups = new Uint32Array(parents.size);
      let i = 0;
      let plain = true;
      for (const [k, v] of parents) {
        if (typeof k !== 'string') throw error('wrong_type', 'parents', 'a key of the parents Map is not text', 'key the Map by each child\'s account id');
        // (a parent that is not text goes to the core for its error, once
        // every key is known to be text)
        if (typeof v !== 'string') plain = false;
        else if (plain) {
          kids[i] = k;
          ups[i++] = up(v);
        }
      }
      if (!plain) return fallback();
    } else if (parents !== null && typeof parents === 'object' && !Array.isArray(parents)) {
      kids = Object.keys(parents);
      ups = new Uint32Array(kids.length);
      for (let i = 0; i < kids.length; i++) {
        const v = parents[kids[i]];
        if (typeof v !== 'string') return fallback();
        ups[i] = up(v);
      }
    } else {
      return { links: undefined, options: opts };
    }
    // (the links' children in the scorecards' order, as when both come
    // from one list: the module reads the ids it already has)
    const same = kids.length === ids.length && kids.every((k, i) => k === ids[i]);
    const children = same ? null : JSON.stringify(kids);
    const names = JSON.stringify(up.names);
    // (JSON.stringify escapes half a character as \udXXX, and nothing else so)
    if ((children && halfCharacter.test(children)) || halfCharacter.test(names)) return fallback();
    const links = { children: children && utf8.encode(children), parents: ups, names: utf8.encode(names) };
    return { links, options: { ...opts, parents: {} } };
  }

  return { idBytes, summaryColumns, priorityColumns, movementRows, rollupColumns, rollupLinks };
}
