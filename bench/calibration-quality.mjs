// Prints the quality table of CALIBRATION.md (see bench/calibration-quality.sh).
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { churnTable } from './churn-table.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const data = join(root, '..', 'shared', 'data');
const sets = [
  ['telco_customer_churn', join(data, 'telco_customer_churn.csv'), 'Churn', 'Yes', ['customerID']],
  ['iranian_churn', join(data, 'iranian_churn.csv'), 'Churn', '1', []],
];
if (process.env.WIDE === '1') {
  mkdirSync(join(root, 'target', 'bench'), { recursive: true });
  const file = join(root, 'target', 'bench', 'wide-35000.csv');
  writeFileSync(file, churnTable(35000).csv);
  sets.push(['synthetic wide table (bench/churn-table.mjs)', file, 'Churn', 'Yes', ['CustomerID']]);
}
const python = join(root, 'target', 'pyref', 'bin', 'python');
const rows = [];
for (const [name, file, outcome, churned, skip] of sets) {
  if (!existsSync(file)) {
    console.error(`${file} is missing; skipped`);
    continue;
  }
  const ours = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'calibrate', '--', file, outcome, churned, ...(skip.length ? ['--skip', ...skip] : []), '--json'], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop());
  const refs = Object.fromEntries(execFileSync(python, [join(root, 'bench', 'calibration_reference.py'), file, outcome, churned, ...skip], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.method, r.auc]));
  rows.push({ name, refs, ours });
}
const f = (x) => (x == null ? '—' : x.toFixed(3));
console.log('Held-out ROC AUC (stratified 70/30 split, seed 42; churn positive, risk = 100 − score):');
console.log('');
console.log('| data set | logistic regression | optbinning scorecard | EBM | `suggest` | `suggest` bands: churn per band on held-out rows |');
console.log('|---|---:|---:|---:|---:|---|');
for (const { name, refs, ours } of rows) {
  const bands = ours.bands.map((r) => (r == null ? '–' : `${(100 * r).toFixed(1)} %`)).join(' / ');
  console.log(`| ${name} | ${f(refs['logistic regression'])} | ${f(refs['optbinning scorecard'])} | ${f(refs.EBM)} | **${f(ours.suggested)}** | ${bands}${ours.bandsFalling ? ' (falling)' : ' (NOT falling)'} |`);
}
