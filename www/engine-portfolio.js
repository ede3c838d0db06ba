// The engine's portfolio: the saved model, the accounts, their scorecards and
// score lines, and what the portfolio and account views ask for (one page of
// rows in any order, one account, an export). Runs in the worker.
import { HealthModel, constants } from '/pkg/index.browser.mjs';
import { toCsv } from './export.js';

/** The engine's state, shared by its modules. */
export const current = {
  model: null,
  doc: null,
  accounts: [],
  snapshots: [],
  cards: [],
  errors: [],
  summary: null,
  lines: new Map(), // accountId → [{ at, score, band }]
  index: new Map(), // accountId → position in accounts
  orders: new Map(), // "order|band|segment" → Uint32Array of positions
  trends: new Map(), // accountId → trend (accounts with a line)
  snapshotsBy: new Map(), // accountId → its stored snapshots (raw inputs)
  stepAlerts: new Map(), // accountId → alerts of the step from its history to today
  actions: new Map(), // accountId → actions given the account's history
  insufficient: null, // the insufficient-data band as the core gives it
  store: null,
  sample: null,
};

/** Says what a storage failure means: the data is in use, but not kept. */
export function storageProblem(e, what) {
  return { code: e?.code ?? 'storage_unavailable', message: `${what} is in use but was not stored for the next visit: ${e?.message ?? e}` };
}

/** Measure id → label in the saved model. */
export function labels(doc = current.doc) {
  return new Map(doc.categories.flatMap((c) => c.measures.map((m) => [m.id, m.label ?? m.id])));
}

/** Every band of the model and the insufficient-data band, as `{ id, label, color }`. */
export function allBands(model = current.model) {
  return [...model.bands, current.insufficient];
}

/** Makes these the portfolio (nothing is stored here) and scores it. */
export function setPortfolio({ model, doc, accounts, snapshots }) {
  if (current.model && current.model !== model) current.model.free();
  Object.assign(current, { model, doc, accounts, snapshots });
  current.insufficient = constants().insufficientData;
  rescore();
}

/**
 * Scores every account. Values of measures the model does not have are left
 * out (`ignoreUnknown`), so a model that does not fit the accounts keeps
 * every account (scored with what it has); refused accounts are listed.
 */
export function rescore() {
  const { model } = current;
  const batch = model.scoreMany(current.accounts, { ignoreUnknown: true });
  current.cards = batch.scorecards;
  current.summary = batch.summary;
  current.errors = batch.errors;
  current.index = new Map(current.accounts.map((a, i) => [a.id, i]));
  current.orders.clear();
  current.actions.clear();
  current.stepAlerts.clear();
  current.trends.clear();
  current.lines = new Map();
  current.snapshotsBy = new Map();
  current.refusedSnapshots = 0;
  for (const s of current.snapshots) {
    if (!current.snapshotsBy.has(s.accountId)) current.snapshotsBy.set(s.accountId, []);
    current.snapshotsBy.get(s.accountId).push(s);
  }
  if (current.snapshots.length > 0) {
    // Values of measures this model lacks are left out, as for accounts.
    const replay = model.replay(current.snapshots.map(known));
    current.refusedSnapshots = replay.errors.length;
    for (const p of replay.points) {
      if (!current.lines.has(p.accountId)) current.lines.set(p.accountId, []);
      current.lines.get(p.accountId).push({ at: p.at, score: p.score, band: p.band });
    }
    for (const [id, line] of current.lines) {
      const points = scored(line);
      if (points.length > 1) current.trends.set(id, model.trend(points));
    }
  }
}

const scored = (line) => line.filter((p) => p.score !== null).map((p) => ({ at: p.at, score: p.score, band: p.band }));

/** The portfolio's figures for the views. */
export function overview() {
  const { summary, model, doc } = current;
  const withValue = current.accounts.some((a) => typeof a.value === 'number');
  const totalValue = withValue ? Object.values(summary.bands).reduce((a, b) => a + b.value, 0) : null;
  const segments = [...new Set(current.accounts.map((a) => a.segment).filter((s) => typeof s === 'string' && s !== ''))].sort();
  const lowCoverage = summary.lowCoverage;
  const disagree = current.cards.reduce((n, c) => n + (c?.sentimentDisagrees?.length ? 1 : 0), 0);
  // Account groups: parents named by the accounts' fields.parent.
  const parents = {};
  current.accounts.forEach((a, i) => {
    const p = a?.fields?.parent;
    if (typeof p === 'string' && p !== '' && current.cards[i]) parents[a.id] = p;
  });
  let groups = [];
  try {
    groups = Object.keys(parents).length === 0 ? [] : model.rollup(current.cards, { parents });
  } catch {
    groups = []; // a hierarchy the library refuses (a cycle) is not drawn
  }
  return {
    id: model.id,
    name: doc.name ?? doc.id,
    hash: model.hash,
    doc,
    bands: allBands(),
    measures: [...labels()].map(([id, label]) => ({ id, label })),
    summary: { count: summary.count, mean: summary.mean, totalValue, bands: summary.bands },
    segments,
    accounts: current.accounts.length,
    refused: current.errors.length,
    refusedExamples: current.errors.slice(0, 5).map((e) => ({ path: e.path, code: e.code, message: e.message })),
    lowCoverage,
    disagree,
    groups: groups.map((g) => ({
      id: g.accountId,
      score: g.score,
      band: g.band,
      children: g.children.length,
      costliest: g.children[0] ? { id: g.children[0].accountId, points: g.children[0].pointsMissed } : null,
      lever: g.levers[0] ? { id: g.levers[0].accountId, measure: labels().get(g.levers[0].measureId) ?? g.levers[0].measureId, points: g.levers[0].points } : null,
    })),
    lowCoverageBelow: model.lowCoverageBelow,
    withHistory: current.lines.size,
    refusedSnapshots: current.refusedSnapshots,
    insufficient: summary.bands[current.insufficient.id]?.count ?? 0,
  };
}

/**
 * What to do about an account now: the playbooks of its band under the trend
 * of its history, and those of the alerts its latest snapshot raised, most
 * urgent first (cached per model). This is what the library's `advance`
 * answers for the latest step: the previous snapshot's scorecard, the
 * history before it. When the account's current inputs are its latest
 * snapshot (the sample's last month is its portfolio), that snapshot is the
 * step; when they came after it, today is.
 */
function actionsOf(i) {
  const card = current.cards[i];
  const id = card.accountId;
  if (current.actions.has(id)) return current.actions.get(id);
  let actions = card.actions;
  try {
    actions = actionsWithHistory(i, card) ?? actions;
  } catch {
    // A history this model cannot replay: the scorecard's own actions.
  }
  current.actions.set(id, actions);
  return actions;
}

const URGENCY = { critical: 0, high: 1, medium: 2, low: 3 };

/** Whether a stored snapshot holds the account's inputs (its values, and its value where it stored one). */
function sameInputs(snapshot, account) {
  const canon = (o) => JSON.stringify(Object.keys(o ?? {}).sort().map((k) => [k, o[k]]));
  return canon(snapshot.values) === canon(account.values) && (snapshot.value === undefined || snapshot.value === account.value);
}

function actionsWithHistory(i, card) {
  const { model } = current;
  const id = card.accountId;
  const points = scored(current.lines.get(id) ?? []);
  if (points.length === 0 || card.score === null) return null;
  // The first stored snapshot of a date is the one replay scored (a later
  // one of the same date is refused as duplicate_date).
  const snaps = current.snapshotsBy.get(id) ?? [];
  const snapshotAt = (at) => snaps.find((s) => s.at === at);
  const account = known(current.accounts[i]);
  const last = points.at(-1);
  const latest = snapshotAt(last.at);
  const isLatest = latest !== undefined && sameInputs(known(latest), account);
  let before, at, history;
  if (isLatest) {
    if (points.length < 2) return null; // one snapshot: no trend, no alert
    before = points.at(-2);
    at = last.at;
    history = points.slice(0, -1);
  } else {
    const today = new Date().toISOString().slice(0, 10);
    if (today <= last.at.slice(0, 10)) return null;
    before = last;
    at = today;
    history = points;
  }
  const snapshot = snapshotAt(before.at);
  if (!snapshot) return null;
  // The previous scorecard from everything the snapshot stored (value,
  // fields, segment: a per-seat measure needs them), as replay scored it.
  const { accountId: _id, at: _at, ...inputs } = known(snapshot);
  const previous = model.score({ ...inputs, id }, { at: before.at, ignoreUnknown: true });
  const step = model.advance(previous, account, at, { history });
  // A step to today raises alerts the history does not hold: the account
  // view lists them with the history's, so actions and alerts agree.
  if (!isLatest) current.stepAlerts.set(id, step.alerts);
  const seen = new Set();
  const out = [];
  for (const a of [...step.scorecard.actions, ...step.alerts.flatMap((x) => x.actions)]) {
    if (!seen.has(a.id)) {
      seen.add(a.id);
      out.push(a);
    }
  }
  return out.sort((a, b) => URGENCY[a.urgency] - URGENCY[b.urgency]);
}

/** Positions of the scored accounts that pass the filter, in the order asked for (cached per model). */
function ordered({ band = '', segment = '', order = 'score' }) {
  const key = `${order}|${band}|${segment}`;
  if (current.orders.has(key)) return current.orders.get(key);
  const { cards, accounts } = current;
  const keep = [];
  for (let i = 0; i < cards.length; i++) {
    const c = cards[i];
    if (c && (!band || c.band.id === band) && (!segment || accounts[i].segment === segment)) keep.push(i);
  }
  let out;
  if (order === 'retention' || order === 'growth') {
    const light = keep.map((i) => {
      const c = cards[i];
      return { accountId: c.accountId, score: c.score, value: c.value ?? null, band: c.band, trend: current.trends.get(c.accountId) ?? null };
    });
    const { indexes } = current.model.priorityOrder(light, { objective: order });
    // Accounts the objective does not rank (growth skips accounts at risk;
    // accounts without a score have no priority) follow, lowest score first:
    // every order lists the same accounts.
    const ranked = new Uint8Array(keep.length);
    for (const k of indexes) ranked[k] = 1;
    const rest = keep.filter((_, k) => !ranked[k]).sort((a, b) => (cards[a].score ?? -1) - (cards[b].score ?? -1) || a - b);
    out = Uint32Array.from([...Array.from(indexes, (k) => keep[k]), ...rest]);
  } else {
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const by = {
      score: (a, b) => (cards[a].score ?? -1) - (cards[b].score ?? -1) || a - b,
      value: (a, b) => (cards[b].value ?? -1) - (cards[a].value ?? -1) || a - b,
      name: (a, b) => collator.compare(cards[a].name ?? cards[a].accountId, cards[b].name ?? cards[b].accountId) || a - b,
    }[order];
    if (!by) throw Object.assign(new Error(`unknown order ${order}`), { code: 'invalid_value' });
    out = Uint32Array.from(keep.sort(by));
  }
  current.orders.set(key, out);
  return out;
}

/** One row of the portfolio table. */
function row(i, names) {
  const c = current.cards[i];
  const lever = c.levers[0];
  const line = current.lines.get(c.accountId) ?? [];
  return {
    accountId: c.accountId,
    name: c.name ?? null,
    segment: c.segment ?? null,
    score: c.score,
    band: c.band,
    value: c.value ?? null,
    coverage: c.coverage,
    lowCoverage: c.lowCoverage,
    trend: current.trends.get(c.accountId)?.direction ?? null,
    line: line.map((p) => p.score),
    lever: lever ? { label: names.get(lever.measureId) ?? lever.measureId, points: lever.pointsMissed } : null,
    action: actionsOf(i)[0]?.label ?? null,
  };
}

export const portfolioOps = {
  overview,

  /** One page of the table: `{ total, offset, rows }`. */
  rows({ band, segment, order, offset = 0, limit = 50 }) {
    const list = ordered({ band, segment, order });
    const names = labels();
    // A page that no longer exists (the list got shorter) is the last one.
    const last = Math.max(0, Math.ceil(list.length / limit) - 1) * limit;
    const start = Math.max(0, Math.min(offset - (offset % limit), last));
    const rows = [];
    for (let k = start; k < Math.min(list.length, start + limit); k++) rows.push(row(list[k], names));
    return { total: list.length, offset: start, rows };
  },

  /** Everything the account view shows. */
  account({ id }) {
    const i = current.index.get(id);
    const card = i === undefined ? null : current.cards[i];
    if (!card) return null;
    const { model } = current;
    const names = labels();
    const line = current.lines.get(id) ?? [];
    const points = scored(line);
    const actions = actionsOf(i);
    const alerts = [...(points.length > 1 ? model.alerts(points) : []), ...(current.stepAlerts.get(id) ?? [])];
    const plain = JSON.parse(JSON.stringify(card));
    const reaches = plain.levers.some((l) => l.toNextBand);
    let plan = null;
    if (!reaches && plain.score !== null) plan = model.plan(known(current.accounts[i]));
    return {
      card: plain,
      labels: Object.fromEntries(names),
      bands: allBands(),
      edges: current.doc.bands.map((b) => b.from ?? b.above ?? 0),
      plan,
      actions,
      alerts,
      points,
      change: change(card),
    };
  },

  /** The table as CSV: the filter and order of the view, labels, action and priorities. */
  exportCsv({ band, segment, order }, { progress }) {
    const list = ordered({ band, segment, order });
    const names = labels();
    const retention = priorities('retention');
    const growth = priorities('growth');
    const out = [];
    for (let k = 0; k < list.length; k++) {
      const i = list[k];
      const c = current.cards[i];
      const lever = c.levers[0];
      out.push([
        c.accountId, c.name ?? '', c.segment ?? '', c.value ?? '', c.score === null ? '' : c.score.toFixed(2), c.band.label,
        lever ? names.get(lever.measureId) ?? lever.measureId : '', lever ? lever.pointsMissed.toFixed(1) : '',
        actionsOf(i)[0]?.label ?? '', fixed(retention.get(i)), fixed(growth.get(i)),
      ]);
      if (k % 5000 === 4999) progress({ phase: 'export', done: k + 1, total: list.length });
    }
    return toCsv(['id', 'name', 'segment', 'value', 'score', 'band', 'top lever', 'lever points', 'action', 'retention priority', 'growth priority'], out);
  },
};

/** The saved model's measure ids as a set (made once per model: `known` runs per account and snapshot). */
let measures = { model: null, ids: null };
function measureSet() {
  if (measures.model !== current.model) measures = { model: current.model, ids: new Set(current.model.measureIds) };
  return measures.ids;
}

/** An account with only the values of the model's measures (what `ignoreUnknown` scores). */
function known(account) {
  const ids = measureSet();
  const pick = (o) => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([k]) => ids.has(k))) : o);
  return { ...account, values: pick(account.values), ...(account.observedAt ? { observedAt: pick(account.observedAt) } : {}) };
}

const fixed = (x) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(2));

/** Position → priority under an objective (accounts the objective leaves out are absent). */
function priorities(objective) {
  const keep = [];
  for (let i = 0; i < current.cards.length; i++) if (current.cards[i]) keep.push(i);
  const light = keep.map((i) => {
    const c = current.cards[i];
    return { accountId: c.accountId, score: c.score, value: c.value ?? null, band: c.band, trend: current.trends.get(c.accountId) ?? null };
  });
  const { indexes, priorities: p } = current.model.priorityOrder(light, { objective });
  const out = new Map();
  indexes.forEach((k, j) => out.set(keep[k], p[j]));
  return out;
}

/** The explanation of the last change between the account's last two snapshots, or why there is none. */
function change(card) {
  const snaps = current.snapshots.filter((s) => s.accountId === card.accountId).sort((a, b) => a.at.localeCompare(b.at));
  if (snaps.length === 0) return { note: 'No history for this account.' };
  if (snaps.length < 2) return { note: 'Only one snapshot: nothing to compare.' };
  const [prev, last] = snaps.slice(-2);
  try {
    const before = current.model.score({ id: card.accountId, values: prev.values }, { at: prev.at, ignoreUnknown: true });
    const after = current.model.score({ id: card.accountId, values: last.values }, { at: last.at, ignoreUnknown: true });
    if (before.score === null || after.score === null) return { note: 'No score at one of the two snapshots.' };
    return { from: prev.at, to: last.at, explanation: current.model.explainChange(before, after) };
  } catch (err) {
    return { note: `Cannot explain the change: ${err.message}` };
  }
}

/** A new model from a document (validated by the constructor: coded errors with paths). */
export function modelOf(doc) {
  return new HealthModel(doc);
}
