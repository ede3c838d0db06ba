// Benchmark (not a test): the demo page with a large portfolio in Debian's
// headless Chromium. Imports N accounts from a CSV through the page, then
// orders by every key, moves a weight slider, types in the model editor and
// saves a model, recording the main thread's long tasks (over 50 ms, the
// browser's definition) with a PerformanceObserver for each step, and the
// time until the step's result is on screen.
//   node bench/page-long-tasks.mjs [N=50000] [--write]
// --write replaces the table between the markers in BENCHMARKS.md.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { listen } from '../scripts/serve.mjs';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 50_000);
const write = process.argv.includes('--write');
const root = new URL('../', import.meta.url);
const sample = JSON.parse(readFileSync(new URL('samples/portfolio.json', root), 'utf8')).accounts;
const model = JSON.parse(readFileSync(new URL('samples/model.json', root), 'utf8'));
const measures = model.categories.flatMap((c) => c.measures.map((m) => m.id));

/** N accounts: the sample accounts repeated with new ids and names. */
function csv() {
  const lines = [['id', 'name', 'segment', 'value', ...measures].join(',')];
  for (let i = 0; i < n; i++) {
    const a = sample[i % sample.length];
    const cell = (v) => (v === undefined || v === null ? '' : String(v).includes(',') ? `"${v}"` : String(v));
    lines.push([`a${i}`, `Account ${i}`, a.segment ?? '', a.value ?? '', ...measures.map((m) => cell(a.values[m]))].join(','));
  }
  return lines.join('\n') + '\n';
}

const server = await listen(0);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await ctx.newPage();
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
});
await page.goto(`${base}/`);
await page.waitForSelector('body[data-ready="true"]');

const rows = [];
/** Runs `act` then `done` (waits for the result on screen) and records the long tasks in between. */
async function step(name, act, done) {
  await page.evaluate(() => {
    window.__long = [];
  });
  const t0 = Date.now();
  await act();
  await done();
  const ms = Date.now() - t0;
  await page.waitForTimeout(50);
  const long = await page.evaluate(() => window.__long);
  rows.push({ name, ms, longest: long.length ? Math.max(...long) : 0, count: long.length });
  console.error(`${name}: ${ms} ms, longest task ${long.length ? Math.max(...long).toFixed(0) : 0} ms (${long.length} over 50 ms)`);
}

// A file on disk, as a user picks it (a buffer would be turned into a File by
// playwright's own script in the page, a long task that is not the page's).
const path = join(mkdtempSync(join(tmpdir(), 'ch-bench-')), 'accounts.csv');
writeFileSync(path, csv());
await page.click('.tab[data-view="import"]');
await step(`import ${n.toLocaleString('en-US')} accounts: read and map the file`, () => page.setInputFiles('#file', path), () => page.waitForSelector('#mapping:not([hidden])'));
await step('import: build, check and score every row (preview)', () => page.click('#check-import'), () => page.waitForSelector('#import-preview:not([hidden])'));
await step('import: confirm (replace the portfolio, store it)', () => page.click('#confirm-import'), () => page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent)));
await page.click('.tab[data-view="portfolio"]');
await page.waitForFunction((count) => document.querySelector('#page-info').textContent.startsWith(`${count} accounts`), n);
for (const order of ['retention', 'growth', 'value', 'name', 'score']) {
  await step(`order by ${order}`, () => page.selectOption('#order', order), () => page.waitForSelector(`#accounts[data-drawn="${order}|||0"]`));
}
await step('next page', () => page.click('#next'), () => page.waitForFunction(() => /page 2 of/.test(document.querySelector('#page-info').textContent)));
await step('open an account', () => page.click('#accounts tbody tr:nth-child(1) a'), () => page.waitForFunction(() => document.body.dataset.shown?.startsWith('account:')));
await page.click('.tab[data-view="model"]');
await page.waitForSelector('#model-errors li.ok');
await page.waitForSelector('#whatif-table');
const whatIfShown = () => page.waitForFunction(() => document.querySelector('#whatif-table td.draft') !== null);
await step('weight slider step (what-if over every account)', async () => {
  await page.evaluate(() => document.querySelector('#whatif').replaceChildren());
  await page.locator('#weights input[type="range"]').first().fill('30');
}, whatIfShown);
await step('one keystroke in the JSON editor (validate and what-if)', async () => {
  await page.evaluate(() => document.querySelector('#whatif').replaceChildren());
  await page.focus('#model-json');
  await page.keyboard.press('End');
  await page.keyboard.type(' ');
}, whatIfShown);
await step('save the model (new version, rescore every account)', () => page.click('#save-model'), () => page.waitForFunction(() => /Saved/.test(document.querySelector('#draft-note').textContent)));
await step(`reload the page (${n.toLocaleString('en-US')} accounts stored)`, () => page.reload(), () => page.waitForSelector('body[data-ready="true"]'));
const shown = await page.textContent('#kpi-count');
if (Number(shown) !== n) throw new Error(`after the reload the page shows ${shown} accounts, not ${n}`);
await browser.close();
server.close();

const chromiumVersion = browser.version();
const table = [
  `Headless Chromium ${chromiumVersion}, ${n.toLocaleString('en-US')} accounts (\`node bench/page-long-tasks.mjs ${n}\`): the main thread's long tasks per step`,
  '(PerformanceObserver `longtask`, tasks over 50 ms) and the time until the result is on screen.',
  '',
  '| step | on screen after | longest main-thread task | tasks over 50 ms |',
  '|---|---:|---:|---:|',
  ...rows.map((r) => `| ${r.name} | ${r.ms.toLocaleString('en-US')} ms | ${r.longest ? `${r.longest.toFixed(0)} ms` : 'none over 50 ms'} | ${r.count} |`),
].join('\n');
console.log(table);
if (write) {
  const file = new URL('BENCHMARKS.md', root);
  const doc = readFileSync(file, 'utf8');
  const start = '<!-- page-long-tasks:start -->';
  const end = '<!-- page-long-tasks:end -->';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`BENCHMARKS.md has no ${start} … ${end} markers`);
  writeFileSync(file, `${doc.slice(0, i + start.length)}\n${table}\n${doc.slice(j)}`);
  console.error('BENCHMARKS.md updated');
}
