// Benchmark (not a test): calibration speed in one run, side by side.
//   node bench/calibration-speed.mjs [suggestRows] [fitRows] [rounds]
// - Node and headless Chromium: HealthModel.suggest on the wide churn table
//   (35,000 rows × 56 columns by default) and model.fit on 50,000 × 20,
//   rows passed as objects (bench/calibration-bench.mjs);
// - native Rust on the same rows (examples/bench_calibrate.rs);
// - scikit-learn's logistic regression and optbinning's scorecard fitted on
//   the same training rows (bench/calibration_reference.py), when the
//   virtual environment of bench/calibration-quality.sh exists
//   (target/pyref; make it with `bash bench/calibration-quality.sh`).
// Run after scripts/build-pkg.sh. Prints a Markdown table.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as api from '../pkg/index.node.mjs';
import { run, linearTable } from './calibration-bench.mjs';
import { churnTable } from './churn-table.mjs';

const suggestRows = Number(process.argv[2] ?? 35000);
const fitRows = Number(process.argv[3] ?? 50000);
const rounds = Number(process.argv[4] ?? 3);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const out = join(root, 'target', 'bench');
mkdirSync(out, { recursive: true });
const wideCsv = join(out, `wide-${suggestRows}.csv`);
const linCsv = join(out, `linear-${fitRows}.csv`);
writeFileSync(wideCsv, churnTable(suggestRows).csv);
writeFileSync(linCsv, linearTable(fitRows).csv);

const node = run(api, { suggestRows, fitRows, rounds });

async function chromiumRun() {
  const { chromium } = await import('playwright-core');
  const types = { '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const file = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname)));
    const top = file.slice(root.length + 1).split(/[\\/]/)[0];
    if (!file.startsWith(root + '/') || !['pkg', 'bench'].includes(top) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/bench/calibration.html?suggest=${suggestRows}&fit=${fitRows}&rounds=${rounds}`);
    await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 0, polling: 500 });
    const error = await page.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    return { ...(await page.evaluate(() => window.benchResult)), version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}
const chrome = existsSync('/usr/bin/chromium') ? await chromiumRun() : null;

let native = null;
try {
  const text = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_calibrate', '--', wideCsv, linCsv, String(rounds)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  native = JSON.parse(text.trim().split('\n').pop());
} catch (e) {
  console.error(`native run skipped: ${e.message}`);
}

const python = join(root, 'target', 'pyref', 'bin', 'python');
const refs = {};
if (existsSync(python)) {
  for (const [name, file, args] of [['suggest', wideCsv, ['Churn', 'Yes', 'CustomerID']], ['fit', linCsv, ['churned', 'true']]]) {
    const lines = execFileSync(python, [join(root, 'bench', 'calibration_reference.py'), file, ...args], { encoding: 'utf8', env: { ...process.env, EBM: '0' } });
    refs[name] = Object.fromEntries(lines.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.method, r]));
  }
} else {
  console.error('Python references skipped: make target/pyref with `bash bench/calibration-quality.sh`');
}

const ms = (x) => (x == null ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const sec = (r) => (r ? ms(r.fit_seconds * 1000) : '—');
console.log(`Calibration, median of ${rounds} rounds; Node ${process.version}${chrome ? `, Chromium ${chrome.version}` : ''}`);
console.log('');
console.log('| call | rows | Node | Chromium | Chromium / Node | native | scikit-learn logistic regression | optbinning scorecard |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const row = (call, rows, n, c, nat, ref) =>
  console.log(`| ${call} | ${rows} | ${ms(n)} | ${ms(c)} | ${c && n ? (c / n).toFixed(2) + '×' : '—'} | ${ms(nat)} | ${sec(ref?.['logistic regression'])} | ${sec(ref?.['optbinning scorecard'])} |`);
row('`HealthModel.suggest` (wide churn table)', `${suggestRows.toLocaleString('en')} × ${node.columns - 2}`, node.suggestMs, chrome?.suggestMs, native?.suggestMs, refs.suggest);
row('`model.fit` (20 measures)', `${fitRows.toLocaleString('en')} × 20`, node.fitMs, chrome?.fitMs, native?.fitMs, refs.fit);
console.log('');
console.log(`first suggest in a fresh Node process: ${ms(node.firstSuggestMs)}; Chromium: ${ms(chrome?.firstSuggestMs)}`);
console.log(`held-out AUC: suggest ${node.auc.suggest.toFixed(4)} (${node.auc.measures} measures), fit ${node.auc.fit.toFixed(4)}` +
  (refs.suggest ? `; on the wide table, logistic regression ${refs.suggest['logistic regression'].auc}, optbinning ${refs.suggest['optbinning scorecard'].auc}` : ''));
