// What the views share: the engine's latest overview of the portfolio and
// model, the page's preferences (localStorage, preferences only), and a
// small event bus so views never import each other or the start-up module.
export const state = {
  overview: null, // the engine's overview: model, bands, summary, segments
  presets: {}, // preset id → model document
  sample: null, // the sample model document
  limits: null, // what an import accepts
  versions: 0, // saved model versions
};

const listeners = new Map();

/** Calls `fn(detail)` on each `emit(name, detail)`. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

export function emit(name, detail) {
  for (const fn of listeners.get(name) ?? []) fn(detail);
}

const PREFS = 'customer-health-demo:prefs';

/** A stored preference (filters, order), or `fallback`. */
export function pref(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(PREFS) ?? '{}')[key] ?? fallback;
  } catch {
    return fallback;
  }
}

export function setPref(key, value) {
  try {
    const all = JSON.parse(localStorage.getItem(PREFS) ?? '{}');
    all[key] = value;
    localStorage.setItem(PREFS, JSON.stringify(all));
  } catch {
    // Preferences are a convenience: without storage they last the visit.
  }
}

/** Shows a message over the page; `actions` are [label, fn] buttons. */
export function banner(text, actions = []) {
  emit('banner', { text, actions });
}

/** A band by id among the overview's bands (the model's and insufficient data). */
export function band(id) {
  return state.overview?.bands.find((b) => b.id === id) ?? { id, label: id, color: '#ccc' };
}

/**
 * After a model is saved or adopted: says so when most accounts have
 * insufficient data under it (the portfolio's columns are not its measures).
 */
export function warnIfUnfit(o) {
  if (o.summary.count > 0 && o.insufficient > o.summary.count / 2) {
    banner(`Under the model now saved, ${o.insufficient} of ${o.summary.count} accounts have insufficient data: the portfolio's columns are mostly not its measures. Import the accounts with this model's measures, or undo the save on the Model view.`);
  }
}
