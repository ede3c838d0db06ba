// End-to-end tests of the demo page as a CS lead's workbench, with real data:
// the Telco and Iranian churn files (tests/fixtures/, copied from
// ../shared/data). Import with a mapping step, a model built from a labelled
// file in the page, adopted, then the file imported under it. Each number
// the page shows is checked against the library in Node on the same data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, truncateSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthModel, parseCsv } from '../../pkg/index.node.mjs';
import { env, json, fixture, open, shot, view, drawn, overflow, importCsv, PHONE } from './harness.mjs';

/** A CSV as columns of cells, as the page hands a file to `suggest`. */
function columnsOf(text) {
  const { header, rows } = parseCsv(text);
  return Object.fromEntries(header.map((c, i) => [c, rows.map((r) => r[i] ?? '')]));
}

test('Telco under the sample model: one measure matches, the page warns before an import that leaves every account without data, and nothing is replaced until confirmed', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  await page.setInputFiles('#file', fixture('telco.csv'));
  await page.waitForSelector('#mapping:not([hidden])');
  assert.match(await page.textContent('#mapping-summary'), /7043 rows, 21 columns separated by commas\. 1 of the model's 10 measures matched a column by name/);
  assert.equal(await page.inputValue('#mapping-table select[data-field="id"]'), 'customerID');
  assert.equal(await page.inputValue('#mapping-table select[data-field="measure:contract"]'), 'Contract');
  assert.match(await page.textContent('#mapping-leftovers'), /Columns not used \(19\)/);
  assert.match(await page.textContent('#mapping-leftovers'), /Measures with no column \(9\): Active seats \(%\)/);
  // Types and samples are shown per mapped column.
  assert.equal(await page.textContent('#mapping-table tr[data-field="measure:contract"] .type'), 'text');
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  assert.equal(await page.isVisible('#import-warning'), true);
  assert.match(await page.textContent('#import-warning'), /100 % of the accounts would have insufficient data/);
  assert.match(await page.textContent('#confirm-import'), /^Import anyway/);
  await shot(page, 'import-telco-warning');
  // Discard: the sample portfolio is still there.
  await page.click('#discard-import');
  await view(page, 'portfolio');
  assert.equal(await page.textContent('#kpi-count'), '200');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('Telco: a model built in the page is the library\'s suggestion; side by side with the saved model; adopted; the file imported under it scores as the library', async () => {
  const text = readFileSync(fixture('telco.csv'), 'utf8');
  const outcome = { column: 'Churn', churnedWhen: 'Yes' };
  const expected = HealthModel.suggest(columnsOf(text), { outcome, idColumn: 'customerID', modelId: 'suggested' });
  const suggested = new HealthModel(expected.model);
  for (const viewport of [undefined, PHONE]) {
    const { page, ctx, problems } = await open(viewport ? { viewport } : {});
    await view(page, 'calibration');
    await page.setInputFiles('#cal-file', fixture('telco.csv'));
    await page.waitForSelector('#cal-setup:not([hidden])');
    assert.equal(await page.inputValue('#cal-outcome'), 'Churn');
    assert.equal(await page.inputValue('#cal-churned'), 'Yes');
    assert.equal(await page.inputValue('#cal-id'), 'customerID');
    assert.match(await page.textContent('#cal-file-info'), /1 of the saved model's 10 measures is a column of this file \(Contract\)/);
    await page.click('#cal-suggest');
    await page.waitForSelector('#cal-compare:not([hidden])', { timeout: 60_000 });
    assert.equal(await page.textContent('#cal-compare-table tr[data-row="auc"] td.suggested'), expected.backtest.auc.toFixed(3));
    assert.equal(await page.textContent('#cal-compare-table tr[data-row="lift"] td.suggested'), `${expected.backtest.topDecileLift.toFixed(2)}×`);
    // The library's reversed effects, however many, are one line naming each column.
    const reversed = expected.warnings.filter((w) => w.code === 'reversed').map((w) => w.column);
    assert.ok(reversed.length > 1, reversed.join());
    assert.equal(await page.locator('#cal-notes li[data-warning="reversed"]').count(), 1);
    assert.deepEqual(JSON.parse(await page.getAttribute('#cal-notes li[data-warning="reversed"]', 'data-columns')), reversed);
    assert.deepEqual(await page.locator('#cal-notes li[data-warning="reversed"] code').allTextContents(), reversed);
    // The saved model on the same file (Contract is its only measure here).
    const all = columnsOf(text);
    const saved = new HealthModel(json('samples/model.json')).backtest({ contract: all.Contract, Churn: all.Churn, customerID: all.customerID }, { outcome, idColumn: 'customerID' });
    // Under the sample model every Telco row has insufficient data (Contract is its only measure here):
    // its AUC would mean nothing, so the page shows none.
    assert.equal(saved.bands.filter((b) => b.count > 0).map((b) => b.band).join(), 'insufficient_data');
    assert.equal(await page.textContent('#cal-compare-table tr[data-row="auc"] td.saved'), '— (no row has enough data)');
    // Churn per band for both, and two ROC curves.
    for (const b of expected.backtest.bands.filter((x) => x.count > 0)) {
      assert.equal(await page.textContent(`#cal-compare-bands table[data-model="suggested"] tr[data-band="${b.band}"] td[data-label="Accounts"]`), String(b.count));
    }
    assert.equal(await page.locator('#cal-compare-roc svg polyline').count(), 1);
    await shot(page, 'calibration-telco');
    assert.ok((await overflow(page)) <= 0, 'no sideways scroll');
    // Adopt it: the saved model is now the suggestion (same hash).
    await page.click('#cal-adopt');
    await page.waitForSelector('#cal-import');
    assert.match(await page.textContent('#model-name'), new RegExp(suggested.hash.slice(0, 10)));
    // Import the same file under it: every measure maps by name.
    await page.click('#cal-import');
    await page.waitForSelector('#mapping:not([hidden])');
    assert.match(await page.textContent('#mapping-summary'), new RegExp(`${suggested.measureIds.length} of the model's ${suggested.measureIds.length} measures matched`));
    await page.click('#check-import');
    await page.waitForSelector('#import-preview:not([hidden])');
    assert.equal(await page.isVisible('#import-warning'), false);
    await page.click('#confirm-import');
    await page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent));
    await view(page, 'portfolio');
    await drawn(page);
    // The library on the same rows.
    const { header, rows } = parseCsv(text);
    const accounts = rows.map((r) => suggested.rowToAccount(Object.fromEntries(header.map((c, i) => [c === 'customerID' ? ' id' : c, r[i] ?? ''])), { idColumn: ' id' }).account);
    const summary = suggested.scoreMany(accounts, { ignoreUnknown: true }).summary;
    assert.equal(await page.textContent('#kpi-count'), String(summary.count));
    assert.equal(await page.textContent('#kpi-mean'), summary.mean.toFixed(1));
    for (const [band, s] of Object.entries(summary.bands)) {
      assert.equal(Number(await page.getAttribute(`#band-legend tr[data-band="${band}"] td.count`, 'data-count')), s.count, band);
    }
    await shot(page, 'portfolio-telco');
    assert.ok((await overflow(page)) <= 0, 'no sideways scroll');
    assert.deepEqual(problems, []);
    await ctx.close();
  }
});

test('Iranian, saved from a European spreadsheet (semicolons, decimal commas, blank rows, headers in other words): detected, mapped, modelled as the library', async () => {
  const original = readFileSync(fixture('iranian.csv'), 'utf8');
  const { header, rows } = parseCsv(original);
  // Semicolons, decimal commas, two blank rows; headers with other case and underscores.
  const renamed = header.map((h) => (h === 'Customer Value' ? 'customer_value' : h === 'Churn' ? 'CHURN' : h));
  const lines = [renamed.join(';'), ...rows.map((r) => r.map((c) => c.replace('.', ',')).join(';'))];
  lines.splice(10, 0, ';;;;');
  lines.splice(20, 0, '');
  const euro = lines.join('\r\n') + '\r\n';
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  await page.setInputFiles('#cal-file', { name: 'iranian-eu.csv', mimeType: 'text/csv', buffer: Buffer.from(euro) });
  await page.waitForSelector('#cal-setup:not([hidden])');
  assert.match(await page.textContent('#cal-file-info'), /3150 rows, 14 columns separated by semicolons; 2 blank rows skipped; \d+ numbers with a decimal comma read as numbers/);
  assert.equal(await page.inputValue('#cal-outcome'), 'CHURN');
  assert.equal(await page.inputValue('#cal-churned'), '1');
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])', { timeout: 60_000 });
  // The library on the original file (dots, commas, the original names but the two renamed).
  const cols = columnsOf(original);
  cols.customer_value = cols['Customer Value'];
  delete cols['Customer Value'];
  cols.CHURN = cols.Churn;
  delete cols.Churn;
  const ordered = Object.fromEntries(renamed.map((c) => [c, cols[c]]));
  const expected = HealthModel.suggest(ordered, { outcome: { column: 'CHURN', churnedWhen: '1' }, modelId: 'suggested' });
  assert.equal(await page.textContent('#cal-compare-table tr[data-row="auc"] td.suggested'), expected.backtest.auc.toFixed(3));
  // No measure of the sample model is a column here: said in the user's words.
  assert.match(await page.textContent('#cal-notes'), /None of the model's 10 measures is a column of this file/);
  await shot(page, 'calibration-iranian');
  // Import the same file as accounts under the sample model: the separator and blank rows are reported.
  await view(page, 'import');
  await page.setInputFiles('#file', { name: 'iranian-eu.csv', mimeType: 'text/csv', buffer: Buffer.from(euro) });
  await page.waitForSelector('#mapping:not([hidden])');
  assert.match(await page.textContent('#mapping-summary'), /3150 rows, 14 columns separated by semicolons; 2 blank rows skipped; \d+ numbers with a decimal comma read as numbers\. 0 of the model's 10 measures/);
  // The value column is found by its near name; the outcome column is not a measure.
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  assert.match(await page.textContent('#import-warning'), /None of the model's 10 measures has a column/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('files over the documented limits are refused (by size before they are read, then by rows), and the page keeps working', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  const limit = await page.evaluate(() => document.querySelector('#import-limit').textContent);
  assert.match(limit, /^100 MB or 1,000,000 rows$/);
  // 101 MB on disk (sparse: nothing is written), refused by its size.
  const dir = mkdtempSync(join(tmpdir(), 'ch-e2e-'));
  const huge = join(dir, 'huge.csv');
  writeFileSync(huge, 'id\n');
  truncateSync(huge, 101 * 1024 * 1024);
  await page.setInputFiles('#file', huge);
  await page.waitForFunction(() => /cannot be imported/.test(document.querySelector('#import-status').textContent));
  assert.match(await page.textContent('#import-status'), /too_large\): huge\.csv is 101 MB; the page imports files of up to 100 MB/);
  // 1,000,001 short rows: under the size limit, over the row limit.
  const big = `id\n${'x\n'.repeat(1_000_001)}`;
  await page.setInputFiles('#file', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  await page.waitForFunction(() => /cannot be imported/.test(document.querySelector('#import-status').textContent));
  assert.match(await page.textContent('#import-status'), /too_large\): big\.csv has 1,000,001 rows; the page imports up to 1,000,000/);
  await view(page, 'portfolio');
  assert.equal(await page.textContent('#kpi-count'), '200');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('importing a CSV renders every cell as text and lists bad rows at their file line and column', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  const csv = [
    'id,name,segment,value,activeSeats,csmSentiment,p1Open,contract',
    'x1,<img src=x onerror=alert(1)>,smb,1000,50,4,false,Two year',
    'x2,"Quoted, Inc",enterprise,5000,80,5,no,One year',
    ',,,,,,,',
    'x3,Bad Row,smb,10,50,9,false,Two year',
    'x1,Again,smb,10,50,3,false,Two year',
  ].join('\n');
  await page.setInputFiles('#file', { name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#mapping:not([hidden])');
  assert.match(await page.textContent('#mapping-summary'), /4 rows, 8 columns separated by commas; 1 blank row skipped/);
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  assert.match(await page.textContent('#import-status'), /^2 of 4 rows are ready to import; 2 left out/);
  const errors = await page.locator('#import-errors tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  assert.equal(errors.length, 2);
  // File lines: the header is line 1, the blank row line 4.
  assert.deepEqual(errors[0].slice(0, 2), ['5', 'csmSentiment']);
  assert.match(errors[0][2], /^out_of_range/);
  assert.deepEqual(errors[1].slice(0, 2), ['6', 'id']);
  assert.match(errors[1][2], /^duplicate_id/);
  // Still the sample until confirmed.
  await view(page, 'portfolio');
  assert.equal(await page.textContent('#kpi-count'), '200');
  await view(page, 'import');
  await page.click('#confirm-import');
  await page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent));
  await view(page, 'portfolio');
  await drawn(page);
  assert.equal(await page.locator('#accounts tbody tr').count(), 2);
  const names = await page.locator('#accounts tbody tr td:first-child').allTextContents();
  assert.ok(names.includes('<img src=x onerror=alert(1)>'), names.join('|'));
  assert.equal(await page.locator('#accounts img').count(), 0);
  // The imported portfolio is kept across a reload.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('#kpi-count'), '2');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('calibration: backtest and fit the saved model on a labelled CSV whose columns are the measures, apply to the draft', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  // Enough of the sample model's measures for every row to have a score.
  const rows = ['Active seats,open_tickets,CSM sentiment,daysSinceLogin,core features,NPS,churned'];
  for (let i = 0; i < 120; i++) {
    const x = (i % 12) / 11;
    rows.push([Math.round(10 + 70 * x), Math.round(9 - 8 * x), 1 + Math.round(4 * x), Math.round(30 - 28 * x), Math.round(2 + 8 * x), Math.round(10 * x), x < 0.35 ? 'yes' : 'no'].join(','));
  }
  await page.setInputFiles('#cal-file', { name: 'labelled.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForSelector('#cal-setup:not([hidden])');
  assert.equal(await page.inputValue('#cal-outcome'), 'churned');
  assert.equal(await page.inputValue('#cal-churned'), 'yes');
  assert.equal(await page.inputValue('#cal-mapping select[data-measure="activeSeats"]'), 'Active seats');
  assert.equal(await page.inputValue('#cal-mapping select[data-measure="openTickets"]'), 'open_tickets');
  await page.click('#cal-run');
  await page.waitForSelector('#cal-result:not([hidden])');
  const model = new HealthModel(json('samples/model.json'));
  const cols = columnsOf(rows.join('\n'));
  const fit = model.fit({
    activeSeats: cols['Active seats'], openTickets: cols.open_tickets, csmSentiment: cols['CSM sentiment'],
    daysSinceLogin: cols.daysSinceLogin, coreFeatures: cols['core features'], nps: cols.NPS, churned: cols.churned,
  }, { outcome: { column: 'churned', churnedWhen: 'yes' } });
  assert.equal(fit.before.bands.find((b) => b.band === 'insufficient_data').count, 0);
  assert.equal(await page.textContent('#cal-auc'), fit.before.auc.toFixed(3));
  assert.equal(await page.textContent('#cal-fit-auc'), fit.after.auc.toFixed(3));
  assert.equal(await page.locator('#cal-roc svg polyline').count(), 1);
  await page.click('#cal-apply');
  await page.waitForFunction(() => document.body.dataset.shown === 'model:');
  // The draft is the fitted model, weights and all.
  assert.deepEqual(JSON.parse(await page.inputValue('#model-json')), JSON.parse(JSON.stringify(fit.model)));
  assert.notDeepEqual(fit.model.categories.map((c) => c.weight), json('samples/model.json').categories.map((c) => c.weight));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('building a model shows progress and can be cancelled; the next build works', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  await page.setInputFiles('#cal-file', fixture('telco.csv'));
  await page.waitForSelector('#cal-setup:not([hidden])');
  // Start and cancel in one task, so the cancel reaches the engine while it builds.
  await page.evaluate(() => {
    document.querySelector('#cal-suggest').click();
    document.querySelector('#cal-cancel').click();
  });
  await page.waitForFunction(() => /Cancelled\./.test(document.querySelector('#cal-notes').textContent));
  assert.equal(await page.isHidden('#cal-compare'), true);
  // Progress is reported on the way (phases of `suggest`).
  const phases = [];
  await page.exposeFunction('__phase', (t) => phases.push(t));
  await page.evaluate(() => new MutationObserver(() => window.__phase(document.querySelector('#cal-phase').textContent)).observe(document.querySelector('#cal-phase'), { childList: true, characterData: true, subtree: true }));
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])', { timeout: 60_000 });
  assert.ok(phases.some((p) => /^(reading|binning|fitting|bands): \d+ of \d+$/.test(p)), phases.join(' | '));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a full disk: the page says the import was not stored, keeps it in use, and what was stored before is kept', async () => {
  const { page, ctx, problems } = await open();
  // First an import that is stored.
  await importCsv(page, 'first.csv', 'id,activeSeats\nf1,50\nf2,60\nf3,70\n');
  // Then the engine's storage refuses every write as a full disk would.
  const [engine] = page.workers();
  await engine.evaluate(() => {
    IDBObjectStore.prototype.put = function put() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await importCsv(page, 'q.csv', 'id,name,activeSeats,csmSentiment\nq1,Quota One,50,4\nq2,Quota Two,20,2\n');
  assert.equal(await page.isVisible('#banner'), true);
  assert.match(await page.textContent('#banner-text'), /^The imported portfolio is in use but was not stored for the next visit: .*storage for this site is full/);
  await view(page, 'portfolio');
  assert.equal(await page.textContent('#kpi-count'), '2');
  // After a reload (storage works again) what was stored before is there: the first import.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('#kpi-count'), '3');
  assert.deepEqual(problems, []);
  await ctx.close();
});
