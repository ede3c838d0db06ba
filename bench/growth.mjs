// Benchmark (not a test): time against input size in Node for the calls
// whose work could grow faster than their input (issue 17): trend and
// alerts over a history, a model of many measures or bands, suggest on
// many columns, and the refusal of inputs over the limits (which must cost
// nothing). Each size doubles; a linear call's time doubles too.
//
//     node bench/growth.mjs
import { HealthModel, presets, initCalibration } from '../pkg/index.node.mjs';

const ms = (fn) => {
  const t = performance.now();
  let out;
  try {
    out = fn();
  } catch (e) {
    out = e;
  }
  return [performance.now() - t, out];
};
const row = (call, n, t, out) => {
  const note = out?.code ? `  (${out.code})` : '';
  console.log(`${call.padEnd(24)} ${String(n).padStart(9)} ${t.toFixed(1).padStart(10)} ms ${(t * 1e3 / n).toFixed(3).padStart(10)} µs/item${note}`);
};

const kpi = new HealthModel(presets['composite-kpi']);
const base = Date.UTC(2026, 0, 1);
const history = (n, step) => Array.from({ length: n }, (_, i) => ({
  at: new Date(base + i * step).toISOString(),
  score: 60 + 30 * Math.sin(i / 40) + ((i * 7919) % 13) * 0.3,
}));
for (let k = 10; k <= 17; k++) {
  const n = 2 ** k;
  const h = history(n, 3_600_000);
  row('trend (hourly)', n, ...ms(() => kpi.trend(h)));
  row('alerts (hourly)', n, ...ms(() => kpi.alerts(h)));
}
const measures = (n) => ({
  version: 1, id: 'wide',
  bands: [{ id: 'r', color: '#d55e00', from: 0 }, { id: 'g', color: '#009e73', from: 50 }],
  categories: [{ id: 'c', weight: 1, measures: Array.from({ length: n }, (_, i) => ({ id: `m${i}`, weight: 1, rule: { type: 'scale', min: 0, max: 10 } })) }],
});
for (let k = 8; k <= 17; k++) row('model: measures', 2 ** k, ...ms(() => new HealthModel(measures(2 ** k))));
const bands = (n) => ({
  ...measures(1),
  bands: Array.from({ length: n }, (_, i) => ({ id: `b${i}`, color: '#777777', from: (100 * i) / n })),
});
for (let k = 2; k <= 18; k += 2) row('model: bands', 2 ** k, ...ms(() => new HealthModel(bands(2 ** k))));
initCalibration();
const table = (cols, rows) => {
  const t = { churned: Array.from({ length: rows }, (_, r) => (r * 2654435761) % 7 < 2) };
  for (let c = 0; c < cols; c++) t[`x${c}`] = Array.from({ length: rows }, (_, r) => (r * (c + 3) * 2654435761) % 1000);
  return t;
};
for (const cols of [16, 64, 256, 999, 2000, 100000]) {
  const rows = cols > 1000 ? 10 : 2000;
  const t = table(cols, rows);
  row(`suggest: columns (${rows} rows)`, cols, ...ms(() => HealthModel.suggest(t, { outcome: { column: 'churned', churnedWhen: true } })));
}
