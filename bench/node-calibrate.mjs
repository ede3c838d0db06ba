// Benchmark (not a test): Fit and Suggest on 50,000 rows × 20 measures in
// Node through the WebAssembly package, the same rows as
// examples/bench_calibrate.rs (same generator).
//   node bench/node-calibrate.mjs [rows] [rounds]
import { HealthModel } from '../pkg/index.node.mjs';

const n = Number(process.argv[2] ?? 50_000);
const rounds = Number(process.argv[3] ?? 3);
const M = 20;

// xorshift64 on BigInt, identical to the Rust generator.
let s = 2024n;
const MASK = (1n << 64n) - 1n;
function rnd() {
  s ^= (s << 13n) & MASK;
  s ^= s >> 7n;
  s ^= (s << 17n) & MASK;
  return Number(s >> 11n) / 2 ** 53;
}
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
const model = new HealthModel({
  version: 1, id: 'bench',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'all', weight: 1, measures: Array.from({ length: M }, (_, j) => ({ id: `m${j}`, weight: 1, rule: { type: 'linear', points: [[0, 0], [1, 100]] } })) }],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const fit = [];
const suggest = [];
let aucs;
for (let r = 0; r < rounds; r++) {
  let t = performance.now();
  const f = model.fit(rows);
  fit.push(performance.now() - t);
  t = performance.now();
  const sg = HealthModel.suggest(rows);
  suggest.push(performance.now() - t);
  aucs = [f.after.auc, sg.backtest.auc];
}
console.log(`node ${process.version}: ${n} rows × ${M} measures, median of ${rounds}`);
console.log(`fit:     ${median(fit).toFixed(0)} ms (test AUC ${aucs[0].toFixed(4)})`);
console.log(`suggest: ${median(suggest).toFixed(0)} ms (test AUC ${aucs[1].toFixed(4)})`);
