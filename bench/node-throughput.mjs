// Throughput of scoreMany and scoreColumns in Node on N accounts (default
// 100,000), built by cycling the sample portfolio. Not a test: prints medians.
//   node bench/node-throughput.mjs [N] [rounds]
import { readFileSync } from 'node:fs';
import { HealthModel } from '../pkg/index.node.mjs';
import { time as timeOf } from './timing.mjs';

const time = (fn) => timeOf(fn, rounds);

const n = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
const root = new URL('../', import.meta.url);
const modelDoc = JSON.parse(readFileSync(new URL('samples/model.json', root)));
const sample = JSON.parse(readFileSync(new URL('samples/portfolio.json', root))).accounts;
// Without `contract` (a match rule cannot be a number column) so that both
// paths score the same inputs.
const accounts = Array.from({ length: n }, (_, i) => {
  const a = sample[i % sample.length];
  const values = { ...a.values };
  delete values.contract;
  return { id: `${a.id}-${i}`, segment: a.segment, value: a.value, values };
});
const model = new HealthModel(modelDoc);
const ids = model.measureIds.filter((id) => id !== 'contract');
const toColumns = () => Object.fromEntries(ids.map((id) => [id, Float64Array.from(accounts, (a) => {
  const v = a.values[id];
  return typeof v === 'boolean' ? Number(v) : v == null ? NaN : v;
})]));
const columns = toColumns();


// Check both paths agree before timing.
const batch = model.scoreMany(accounts.slice(0, 1000));
const cols = model.scoreColumns(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.subarray(0, 1000)])));
batch.scorecards.forEach((c, i) => {
  if (c.score !== null && c.score !== cols.scores[i]) throw new Error(`row ${i} differs`);
});

const many = time(() => model.scoreMany(accounts));
const columnar = time(() => model.scoreColumns(columns));
const fmt = (ms) => `${ms.toFixed(0)} ms, ${((n / ms) * 1000 / 1e6).toFixed(2)} M accounts/s`;
console.log(`node ${process.version}, ${n} accounts × ${ids.length} measures, median of ${rounds}`);
console.log(`scoreMany (full scorecards with breakdown and levers): ${fmt(many)}`);
console.log(`scoreColumns (scores and bands):                       ${fmt(columnar)}`);
