// The size budget (issue 23): prints each budgeted file of pkg/ with its
// gzipped size and budget, and exits 1 when one is over (or missing). The
// budgets live in size-budget.json at the root.
//   node scripts/size-budget.mjs [budget file] [package folder]
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const budgetFile = process.argv[2] ?? join(root, 'size-budget.json');
const pkg = process.argv[3] ?? join(root, 'pkg');
const { files } = JSON.parse(readFileSync(budgetFile, 'utf8'));
let over = 0;
for (const [file, { budget, target }] of Object.entries(files)) {
  const path = join(pkg, file);
  if (!existsSync(path)) {
    console.log(`[size-budget] ${file}: missing`);
    over++;
    continue;
  }
  const bytes = readFileSync(path);
  const gz = gzipSync(bytes, { level: 9 }).length;
  const verdict = gz > budget ? 'OVER BUDGET' : 'ok';
  const goal = target ? `, target ${target.toLocaleString('en-US')}` : '';
  console.log(`[size-budget] ${file}: ${bytes.length.toLocaleString('en-US')} B raw, ${gz.toLocaleString('en-US')} B gzipped (budget ${budget.toLocaleString('en-US')}${goal}) ${verdict}`);
  if (gz > budget) over++;
}
if (over > 0) {
  console.error(`[size-budget] ${over} file(s) over budget or missing: shrink them, or raise the budget in size-budget.json with a note in BENCHMARKS.md`);
  process.exit(1);
}
