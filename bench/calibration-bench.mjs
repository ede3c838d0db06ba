// The calibration benchmark, shared by Node and headless Chromium
// (bench/calibration-speed.mjs): `suggest` on a wide churn table (default
// 35,000 rows × 56 columns, bench/churn-table.mjs) and `fit` on 50,000 rows
// × 20 measures (a known logistic model, the generator of
// examples/bench_calibrate.rs), rows passed as objects, as a user would.
// Medians of interleaved rounds. Not a test: it asserts no timings.
import { churnTable } from './churn-table.mjs';

const M = 20;

/** 50,000 × 20: uniform measures, churn from a logistic model (xorshift64 on BigInt, as in Rust). */
export function linearTable(n) {
  let s = 2024n;
  const MASK = (1n << 64n) - 1n;
  const rnd = () => {
    s ^= (s << 13n) & MASK;
    s ^= s >> 7n;
    s ^= (s << 17n) & MASK;
    return Number(s >> 11n) / 2 ** 53;
  };
  const rows = [];
  for (let i = 0; i < n; i++) {
    const row = {};
    let z = 3;
    for (let j = 0; j < M; j++) {
      const x = Math.round(rnd() * 1000) / 1000;
      z -= (6 * x * (M - j)) / M / 3;
      row[`m${j}`] = x;
    }
    row.churned = rnd() < 1 / (1 + Math.exp(-z));
    rows.push(row);
  }
  const columns = Object.keys(rows[0]);
  const csv = [columns.join(','), ...rows.map((r) => columns.map((c) => String(r[c])).join(','))].join('\n') + '\n';
  return { rows, csv };
}

/** The weighted model fitted to the linear table: every measure linear 0..1, equal weights. */
export const fitModel = {
  version: 1, id: 'bench',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'all', weight: 1, measures: Array.from({ length: M }, (_, j) => ({ id: `m${j}`, weight: 1, rule: { type: 'linear', points: [[0, 0], [1, 100]] } })) }],
};

export const suggestOptions = { outcome: { column: 'Churn', churnedWhen: 'Yes' }, idColumn: 'CustomerID' };
export const fitOptions = { outcome: { column: 'churned', churnedWhen: true } };

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Times suggest and fit through `api` (the package). */
export function run(api, { suggestRows = 35000, fitRows = 50000, rounds = 3 } = {}) {
  const wide = churnTable(suggestRows);
  const lin = linearTable(fitRows);
  const model = new api.HealthModel(fitModel);
  const times = { suggest: [], fit: [] };
  let auc = {};
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    const s = api.HealthModel.suggest(wide.rows, suggestOptions);
    times.suggest.push(performance.now() - t);
    t = performance.now();
    const f = model.fit(lin.rows, fitOptions);
    times.fit.push(performance.now() - t);
    auc = { suggest: s.backtest.auc, fit: f.after.auc, measures: s.model.categories[0].measures.length };
  }
  model.free();
  return {
    suggestRows, fitRows, rounds, columns: Object.keys(wide.rows[0]).length,
    suggestMs: median(times.suggest), fitMs: median(times.fit),
    firstSuggestMs: times.suggest[0], auc,
  };
}
