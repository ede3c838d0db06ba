// A long-tailed match column (issue 25): scoreMany of 20,000 accounts under
// a model with one match measure (52 keys and `otherwise`) and ten numeric
// measures, the match values drawn from 52 (all keys), 200, 700 and 5,000
// distinct texts. The time should not depend on how many are not keys.
// Not a test: no timing is asserted.  node bench/long-tail.mjs [rows] [rounds]
import { HealthModel } from '../pkg/index.node.mjs';
import { time } from './timing.mjs';

const rows = Number(process.argv[2] ?? 20_000);
const rounds = Number(process.argv[3] ?? 5);
const keys = Array.from({ length: 52 }, (_, k) => `Area ${k}`);
const model = new HealthModel({
  version: 1, id: 'long-tail',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'area', weight: 1, rule: { type: 'match', scores: Object.fromEntries(keys.map((k, i) => [k, (i % 10) / 10])), otherwise: 0.5 } },
    ...Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, weight: 1, rule: { type: 'scale', min: 0, max: 10 } })),
  ] }],
});
console.log(`node ${process.version}, ${rows.toLocaleString('en-US')} accounts, median of ${rounds}`);
console.log('| distinct texts in the match column | scoreMany ms |');
console.log('|---:|---:|');
for (const distinct of [52, 200, 700, 5000]) {
  const accounts = Array.from({ length: rows }, (_, r) => ({
    id: `a${r}`,
    values: { area: `Area ${(r * 7919) % distinct}`, ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`m${i}`, (r + i) % 11])) },
  }));
  const ms = time(() => model.scoreMany(accounts), rounds);
  console.log(`| ${distinct.toLocaleString('en-US')} | ${ms.toFixed(1)} |`);
}
