// The size budget check (issue 23): it passes on the built package with
// the committed budgets, and fails (exit 1, the file named) when a budget is
// below a file's size or a budgeted file is missing. Run after
// scripts/build-pkg.sh:  node --test tests/js/size-budget.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = join(root, 'scripts', 'size-budget.mjs');
const check = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('the committed budgets hold for the built package, and each figure is printed', () => {
  const r = check();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /web\/customer_health_bg\.wasm: [\d,]+ B raw, [\d,]+ B gzipped \(budget [\d,]+, target 175,000\) ok/);
});

test('a file over its budget, or missing, fails the check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'budget-'));
  const budgets = JSON.parse(readFileSync(join(root, 'size-budget.json'), 'utf8'));
  budgets.files['web/customer_health_bg.wasm'].budget = 1000;
  writeFileSync(join(dir, 'tight.json'), JSON.stringify(budgets));
  const tight = check(join(dir, 'tight.json'));
  assert.equal(tight.status, 1);
  assert.match(tight.stdout, /customer_health_bg\.wasm: .* OVER BUDGET/);
  writeFileSync(join(dir, 'missing.json'), JSON.stringify({ files: { 'web/nothing.wasm': { budget: 1 } } }));
  const missing = check(join(dir, 'missing.json'));
  assert.equal(missing.status, 1);
  assert.match(missing.stdout, /nothing\.wasm: missing/);
});
