// The calls a model and a model set share, each on the module's object
// (`inner`): trends, alerts, updates, explaining a change, levers and plans.
// A model set's core sends each to the model that made the scorecards
// concerned (src/history/set.rs).

/** @param {object} codec js/codec.mjs */
export function makeHistoryCalls(codec) {
  const { call, encode, parse, list, error, jsOptions } = codec;
  return {
    trend(inner, history) {
      return call(() => parse(inner.trend(list(history, 'the history'))));
    },
    alerts(inner, history) {
      return call(() => parse(inner.alerts(list(history, 'the history'))));
    },
    update(inner, previous, changedValues, at, opts) {
      opts = jsOptions(opts, ['history'], '{ history: [...] }');
      const prev = encode(previous, 'the previous scorecard');
      const changed = encode(changedValues, 'the changed values', 'account');
      if (at !== undefined && at !== null && typeof at !== 'string') {
        throw error('wrong_type', 'at', 'at must be an ISO date string', 'pass e.g. "2026-09-30"');
      }
      const history = opts?.history == null ? undefined : list(opts.history, 'the history');
      return call(() => parse(inner.update(prev, changed, at ?? undefined, history)));
    },
    advance(inner, previous, account, at, opts) {
      opts = jsOptions(opts, ['history'], '{ history: [...] }');
      const prev = encode(previous, 'the previous scorecard');
      const text = encode(account, 'the account', 'account');
      if (at !== undefined && at !== null && typeof at !== 'string') {
        throw error('wrong_type', 'at', 'at must be an ISO date string', 'pass e.g. "2026-09-30"');
      }
      const history = opts?.history == null ? undefined : list(opts.history, 'the history');
      return call(() => parse(inner.advance(prev, text, at ?? undefined, history)));
    },
    explainChange(inner, before, after) {
      const b = encode(before, 'the earlier scorecard');
      const a = encode(after, 'the later scorecard');
      return call(() => parse(inner.explainChange(b, a)));
    },
    levers(inner, account) {
      const text = encode(account, 'the account', 'account');
      return call(() => parse(inner.levers(text)));
    },
    plan(inner, account) {
      const text = encode(account, 'the account', 'account');
      return call(() => parse(inner.plan(text)));
    },
  };
}
