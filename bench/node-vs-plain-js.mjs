// Benchmark (not a test): the same 12-measure model scored by a plain-JS
// implementation a user would write instead (objects and a hand-tuned
// columnar loop) against the package's scoreColumns, on N accounts
// (default 1,000,000). Checks that every path gives the same scores first.
//   node bench/node-vs-plain-js.mjs [N] [rounds]
import { HealthModel } from '../pkg/index.node.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 5);

// 4 categories × 3 measures: 6 linear, 4 steps (3 thresholds), 2 flags.
const lin = (id, a, b) => ({ id, weight: 1 + (id.length % 3), rule: { type: 'linear', points: [[a, 0], [b, 100]] } });
const stp = (id) => ({ id, weight: 2, rule: { type: 'steps', thresholds: [2, 5, 9], scores: [100, 70, 30, 0] } });
const flg = (id) => ({ id, weight: 1, rule: { type: 'flag', ifTrue: 1, ifFalse: 0 } });
const doc = {
  version: 1, id: 'bench12',
  bands: [{ id: 'red', label: 'Red', color: '#d55e00', from: 0 }, { id: 'amber', label: 'Amber', color: '#e69f00', from: 50 }, { id: 'green', label: 'Green', color: '#009e73', above: 75 }],
  categories: [
    { id: 'a', weight: 40, measures: [lin('m0', 0, 100), lin('m1', 10, 60), stp('m2')] },
    { id: 'b', weight: 30, measures: [lin('m3', 0, 30), stp('m4'), flg('m5')] },
    { id: 'c', weight: 20, measures: [lin('m6', 5, 95), stp('m7'), lin('m8', 0, 10)] },
    { id: 'd', weight: 10, measures: [stp('m9'), flg('m10'), lin('m11', 100, 0 + 1)] },
  ],
};
doc.categories[3].measures[2].rule.points = [[0, 100], [40, 0]]; // falling: lower is better
const model = new HealthModel(doc);
const measures = doc.categories.flatMap((c) => c.measures);
const ids = measures.map((m) => m.id);

// Data: deterministic, every value present.
let s = 1234567;
const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const cols = Object.fromEntries(ids.map((id, j) => [id, new Float64Array(n)]));
for (let i = 0; i < n; i++) {
  for (const m of measures) {
    const t = m.rule.type;
    cols[m.id][i] = t === 'flag' ? (rnd() < 0.5 ? 1 : 0) : t === 'steps' ? Math.floor(rnd() * 12) : Math.round(rnd() * 1000) / 10;
  }
}
const accounts = Array.from({ length: n }, (_, i) => ({ id: `a${i}`, values: Object.fromEntries(ids.map((id) => [id, doc.categories.flatMap((c) => c.measures).find((m) => m.id === id).rule.type === 'flag' ? cols[id][i] === 1 : cols[id][i]])) }));

// The plain-JS reference: the same arithmetic, in the same order (DESIGN-NOTES).
function ruleNorm(rule, x) {
  let out, min, max;
  if (rule.type === 'linear') {
    const [[x0, y0], [x1, y1]] = rule.points;
    out = x <= x0 ? y0 : x >= x1 ? y1 : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
    min = Math.min(y0, y1); max = Math.max(y0, y1);
  } else if (rule.type === 'steps') {
    let k = 0;
    while (k < rule.thresholds.length && rule.thresholds[k] <= x) k++;
    out = rule.scores[k]; min = Math.min(...rule.scores); max = Math.max(...rule.scores);
  } else {
    out = x ? rule.ifTrue : rule.ifFalse; min = Math.min(rule.ifTrue, rule.ifFalse); max = Math.max(rule.ifTrue, rule.ifFalse);
  }
  return Math.min(1, Math.max(0, (out - min) / (max - min)));
}
const edges = [0, 50, 75];
const bandOf = (score) => (score > 75 ? 2 : score >= 50 ? 1 : 0);
function plainObjects(list) {
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i].values;
    let num = 0;
    let den = 0;
    for (const c of doc.categories) {
      let sw = 0;
      for (const m of c.measures) sw += m.weight;
      let sum = 0;
      for (const m of c.measures) sum += m.weight * ruleNorm(m.rule, v[m.id]);
      num += c.weight * (sum / sw);
      den += c.weight;
    }
    const score = (100 * num) / den;
    out[i] = { score, band: bandOf(score) };
  }
  return out;
}
function plainColumns() {
  const scores = new Float64Array(n);
  const num = new Float64Array(n);
  let den = 0;
  for (const c of doc.categories) {
    const sum = new Float64Array(n);
    let sw = 0;
    for (const m of c.measures) sw += m.weight;
    for (const m of c.measures) {
      const col = cols[m.id];
      for (let i = 0; i < n; i++) sum[i] += m.weight * ruleNorm(m.rule, col[i]);
    }
    for (let i = 0; i < n; i++) num[i] += c.weight * (sum[i] / sw);
    den += c.weight;
  }
  const bands = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = (100 * num[i]) / den;
    bands[i] = bandOf(scores[i]);
  }
  return { scores, bands };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const time = (fn) => {
  const t = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
};

const ref = plainObjects(accounts.slice(0, 10000));
const fast = model.scoreColumns(cols);
ref.forEach((r, i) => {
  if (Math.abs(r.score - fast.scores[i]) > 1e-9 || r.band !== fast.bands[i]) throw new Error(`row ${i}: plain ${r.score} vs wasm ${fast.scores[i]}`);
});
const card = model.score(accounts[0]);
if (Math.abs(card.score - ref[0].score) > 1e-9) throw new Error('scoreMany differs');
void edges;

const tObjects = time(() => plainObjects(accounts));
const tColumnsJs = time(plainColumns);
const tWasm = time(() => model.scoreColumns(cols));
const small = accounts.slice(0, 20000);
const tMany = time(() => model.scoreMany(small)) * (n / small.length);
const f = (ms) => `${ms.toFixed(0)} ms`;
console.log(`node ${process.version}, ${n} accounts × 12 measures, median of ${rounds} (same scores checked)`);
console.log(`plain JS, objects → { score, band }:        ${f(tObjects)}`);
console.log(`plain JS, columnar Float64Array loop:        ${f(tColumnsJs)}`);
console.log(`scoreColumns (copies included):              ${f(tWasm)}  (${(tColumnsJs / tWasm).toFixed(2)}× the columnar JS loop, ${(tObjects / tWasm).toFixed(2)}× the object loop)`);
console.log(`scoreMany, full scorecards (from 20,000):     ${f(tMany)} extrapolated  (${(tObjects / tMany).toFixed(3)}× the object loop)`);
