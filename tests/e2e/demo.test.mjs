// End-to-end tests of the demo page (www/) in Debian's headless Chromium via
// playwright-core, against the page served on 127.0.0.1 by scripts/serve.mjs.
// Screenshots go to tests/artifacts/. Run after scripts/build-pkg.sh:
//   node --test tests/e2e/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { listen } from '../../scripts/serve.mjs';
import { HealthModel } from '../../pkg/index.node.mjs';

const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const artifacts = new URL('tests/artifacts/', root);
mkdirSync(artifacts, { recursive: true });

let server;
let browser;
let base;

before(async () => {
  server = await listen(0);
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page (own storage) that records console errors and requests leaving 127.0.0.1. */
async function open(context) {
  const ctx = context ?? (await browser.newContext({ viewport: { width: 1280, height: 900 } }));
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('blob:') && !r.url().startsWith('data:') && problems.push(`request left 127.0.0.1: ${r.url()}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, ctx, problems };
}

const sampleModel = () => json('samples/model.json');
const sampleAccounts = () => json('samples/portfolio.json').accounts;

test('the portfolio shows the library\'s band counts; no errors, no outside requests', async () => {
  const { page, ctx, problems } = await open();
  const summary = new HealthModel(sampleModel()).scoreMany(sampleAccounts()).summary;
  for (const [band, s] of Object.entries(summary.bands)) {
    const shown = await page.getAttribute(`#band-legend tr[data-band="${band}"] td.count`, 'data-count');
    assert.equal(Number(shown), s.count, band);
  }
  assert.equal(await page.textContent('#kpi-count'), String(summary.count));
  assert.equal(await page.textContent('#kpi-mean'), summary.mean.toFixed(1));
  assert.equal(await page.locator('#accounts tbody tr').count(), 50);
  assert.equal(await page.isHidden('#banner'), true);
  await page.screenshot({ path: new URL('portfolio.png', artifacts).pathname });
  // Filter by band and order by retention.
  await page.selectOption('#filter-band', 'healthy');
  assert.match(await page.textContent('#page-info'), new RegExp(`^${summary.bands.healthy.count} accounts`));
  await page.selectOption('#order', 'retention');
  assert.equal(await page.locator('#accounts tbody tr').first().locator('[data-band]').getAttribute('data-band'), 'healthy');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('opening an account shows the library\'s breakdown', async () => {
  const { page, ctx, problems } = await open();
  const row = page.locator('#accounts tbody tr').nth(3);
  const id = await row.getAttribute('data-account');
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#account-body:not([hidden])');
  const account = sampleAccounts().find((a) => a.id === id);
  const card = new HealthModel(sampleModel()).score(account);
  assert.equal(await page.textContent('#acc-score'), card.score.toFixed(1));
  assert.equal(await page.textContent('#acc-band'), card.band.label);
  for (const m of card.categories.flatMap((c) => c.measures)) {
    assert.equal(await page.textContent(`#acc-breakdown tr[data-measure="${m.id}"] td.contribution`), m.contribution.toFixed(1), m.id);
    assert.equal(await page.textContent(`#acc-breakdown tr[data-measure="${m.id}"] td.missed`), m.pointsMissed.toFixed(1), m.id);
  }
  assert.ok((await page.locator('#acc-history svg circle').count()) >= 2, 'history points are drawn');
  await page.screenshot({ path: new URL('account.png', artifacts).pathname, fullPage: true });
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a weight change rescores; validation errors appear at their path; the model survives a reload', async () => {
  const { page, ctx, problems } = await open();
  await page.click('.tab[data-view="model"]');
  await page.waitForSelector('#model-errors li.ok');
  // Move the first category's weight to 5: the draft distribution changes at once.
  const slider = page.locator('#weights input[type="range"]').first();
  await slider.fill('5');
  const doc = sampleModel();
  doc.categories[0].weight = 5;
  const expected = new HealthModel(doc).scoreMany(sampleAccounts()).summary;
  for (const [band, s] of Object.entries(expected.bands)) {
    assert.equal(await page.textContent(`#whatif-table tr[data-band="${band}"] td.draft`), String(s.count), band);
  }
  // A validation error shows its code, path and help.
  const text = await page.inputValue('#model-json');
  await page.fill('#model-json', text.replace('"weight": 5', '"weight": -1'));
  await page.waitForSelector('#model-errors li[data-code="negative_weight"]');
  assert.equal(await page.getAttribute('#model-errors li[data-code="negative_weight"]', 'data-path'), 'categories[0].weight');
  assert.equal(await page.isDisabled('#save-model'), true);
  // Back to a valid draft, save: the portfolio rescored with the new weights.
  await page.fill('#model-json', JSON.stringify(doc, null, 2));
  await page.waitForSelector('#model-errors li.ok');
  await page.click('#save-model');
  await page.click('.tab[data-view="portfolio"]');
  for (const [band, s] of Object.entries(expected.bands)) {
    assert.equal(Number(await page.getAttribute(`#band-legend tr[data-band="${band}"] td.count`, 'data-count')), s.count, band);
  }
  // Reload: the saved model is still there.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  const hash = new HealthModel(doc).hash;
  assert.match(await page.textContent('#model-name'), new RegExp(hash.slice(0, 10)));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('corrupt storage shows a clear message and a way to reset', async () => {
  const ctx = await browser.newContext();
  const first = await open(ctx);
  // A stored model entry that is not one (written behind the store's back).
  await first.page.evaluate(() => new Promise((ok, fail) => {
    const req = indexedDB.open('customer-health/demo', 1);
    req.onsuccess = () => {
      const tx = req.result.transaction('models', 'readwrite');
      tx.objectStore('models').put('{ broken', 'main');
      tx.oncomplete = () => { req.result.close(); ok(); };
      tx.onerror = () => fail(tx.error);
    };
    req.onerror = () => fail(req.error);
  }));
  await first.page.reload();
  await first.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await first.page.isVisible('#banner'), true);
  assert.match(await first.page.textContent('#banner-text'), /corrupt_storage/);
  // The page still works with the sample model.
  assert.equal(await first.page.locator('#accounts tbody tr').count(), 50);
  // Reset reloads the page: wait for the new page, not the old one's flag.
  await Promise.all([first.page.waitForEvent('load'), first.page.click('#banner-reset')]);
  await first.page.waitForSelector('body[data-ready="true"]');
  assert.equal(await first.page.isHidden('#banner'), true);
  await ctx.close();
});

test('importing a CSV renders every cell as text and lists bad rows', async () => {
  const { page, ctx, problems } = await open();
  await page.click('.tab[data-view="import"]');
  const csv = [
    'id,name,segment,value,activeSeats,csmSentiment,p1Open,contract',
    'x1,<img src=x onerror=alert(1)>,smb,1000,50,4,false,Two year',
    'x2,"Quoted, Inc",enterprise,5000,80,5,no,One year',
    'x3,Bad Row,smb,10,50,9,false,Two year',
  ].join('\n');
  await page.setInputFiles('#file', { name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#mapping:not([hidden])');
  await page.click('#run-import');
  await page.waitForFunction(() => /rows imported/.test(document.querySelector('#import-status').textContent));
  assert.match(await page.textContent('#import-status'), /^2 of 3 rows imported; 1 problems/);
  assert.match(await page.textContent('#import-errors tbody'), /out_of_range/);
  await page.click('.tab[data-view="portfolio"]');
  assert.equal(await page.locator('#accounts tbody tr').count(), 2);
  const names = await page.locator('#accounts tbody tr td:first-child').allTextContents();
  assert.ok(names.includes('<img src=x onerror=alert(1)>'), names.join('|'));
  assert.equal(await page.locator('#accounts img').count(), 0);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('calibration: backtest and fit a labelled CSV, apply to the draft', async () => {
  const { page, ctx, problems } = await open();
  await page.click('.tab[data-view="calibration"]');
  const rows = ['activeSeats,openTickets,csmSentiment,churned'];
  for (let i = 0; i < 120; i++) {
    const h = (i % 12) / 11;
    rows.push(`${Math.round(10 + 70 * h)},${Math.round(9 - 8 * h)},${1 + Math.round(4 * h)},${h < 0.35 ? 'yes' : 'no'}`);
  }
  await page.setInputFiles('#cal-file', { name: 'labelled.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.selectOption('#cal-outcome', 'churned');
  await page.click('#cal-run');
  await page.waitForSelector('#cal-result:not([hidden])');
  assert.match(await page.textContent('#cal-auc'), /^\d\.\d{3}$/);
  assert.ok((await page.locator('#cal-roc svg polyline').count()) === 1);
  await page.click('#cal-apply');
  await page.waitForSelector('#view-model:not([hidden])');
  assert.match(await page.inputValue('#model-json'), /"id": "sample-b2b-saas"/);
  assert.deepEqual(problems, []);
  await ctx.close();
});
