// Portfolio calls over scorecards from scoreMany (issue 22): summarize,
// priorityOrder, prioritise (with and without a limit) and bandMovement, at
// 1,000 to 1,000,000 scorecards, in Node. Prints the time per call and per
// scorecard: the curve should be flat (each call reads a few fields of each
// scorecard, never its breakdown). Not a test: no timing is asserted.
//   node --expose-gc --max-old-space-size=12000 bench/portfolio-calls.mjs [maxN] [rounds]
import { readFileSync } from 'node:fs';
import { HealthModel } from '../pkg/index.node.mjs';
import { time as timeOf } from './timing.mjs';

const time = (fn) => timeOf(fn, rounds);

const maxN = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const root = new URL('../', import.meta.url);
const doc = JSON.parse(readFileSync(new URL('samples/model.json', root)));
const sample = JSON.parse(readFileSync(new URL('samples/portfolio.json', root))).accounts;
const model = new HealthModel(doc);

/** `n` scorecards (built from columns, as scoreMany gives them), dated over two months. */
function cards(n) {
  const out = [];
  for (let start = 0; start < n; start += 100_000) {
    const part = Array.from({ length: Math.min(100_000, n - start) }, (_, k) => {
      const i = start + k;
      const a = sample[i % sample.length];
      return { id: `${a.id}-${i}`, name: a.name, segment: a.segment, value: a.value, values: a.values };
    });
    const at = `2026-${start % 200_000 === 0 ? '09' : '11'}-01`;
    for (const c of model.scoreMany(part, { at }).scorecards) if (c) out.push(c);
  }
  return out;
}


console.log(`node ${process.version}, the sample model, median of ${rounds}; ms per call (µs per scorecard)`);
console.log('| scorecards | summarize | priorityOrder | prioritise (all) | prioritise (limit 20) | bandMovement |');
console.log('|---:|---:|---:|---:|---:|---:|');
for (let n = 1000; n <= maxN; n *= 10) {
  const all = cards(n);
  const row = [
    time(() => model.summarize(all)),
    time(() => model.priorityOrder(all)),
    time(() => model.prioritise(all)),
    time(() => model.prioritise(all, { limit: 20 })),
    time(() => model.bandMovement(all, '2026-10-01')),
  ].map((ms) => `${ms.toFixed(ms < 10 ? 1 : 0)} (${((ms * 1000) / n).toFixed(2)})`);
  console.log(`| ${n.toLocaleString('en-US')} | ${row.join(' | ')} |`);
  // The breakdowns were never read (a built-from-columns card keeps them unread).
  if (typeof Object.getOwnPropertyDescriptor(all[0], 'categories').get !== 'function') throw new Error('a breakdown was read');
}
