// End-to-end tests of the demo page where a user's order of actions or
// data is unusual: a mapping changed after the check, a file with an
// unclosed quote, a shorter portfolio on a later page, a broken deep link, a
// saved model adopted while the editor is open, controls used from the
// keyboard, history the model cannot score.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { json, open, view, drawn, importCsv, shot } from './harness.mjs';

const upload = (page, selector, name, text) => page.setInputFiles(selector, { name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('a mapping changed after the check takes the preview away; only what was checked can be imported', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  await upload(page, '#file', 'a.csv', 'id,activeSeats,other\nq1,50,10\nq2,60,20\n');
  await page.waitForSelector('#mapping:not([hidden])');
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  await page.selectOption('#mapping-table select[data-field="measure:activeSeats"]', 'other');
  assert.equal(await page.isHidden('#import-preview'), true);
  assert.match(await page.textContent('#import-status'), /The mapping changed: check the import again/);
  // Checked again under the new mapping, the new values are the ones imported.
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  await page.click('#confirm-import');
  await page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent));
  await page.goto(page.url().replace(/#.*$/, '#/account/q1'));
  await page.waitForFunction(() => document.body.dataset.shown === 'account:q1');
  assert.match(await page.textContent('#acc-breakdown tr[data-measure="activeSeats"] td[data-label="Value"]'), /^10$/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('an unclosed quote is an error at its line, not a file read as one cell', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  await upload(page, '#file', 'q.csv', 'id,name,activeSeats\nq1,"Acme, Inc,50\nq2,Beta,60\nq3,Gamma,70\n');
  await page.waitForFunction(() => /cannot be imported/.test(document.querySelector('#import-status').textContent));
  assert.match(await page.textContent('#import-status'), /\(invalid_csv\): q\.csv: a quote opened on line 2 is never closed/);
  assert.equal(await page.isHidden('#mapping'), true);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a short row is read with blanks and its line is named; a binary file renamed .csv is refused', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'import');
  // Line 3 lacks its last cell: activeSeats is blank (missing), not "0", and
  // no cell moves into another column.
  await upload(page, '#file', 's.csv', 'id,name,activeSeats\nq1,Acme,50\nq2,Beta\nq3,Gamma,70\n');
  await page.waitForSelector('#mapping:not([hidden])');
  assert.match(await page.textContent('#mapping-summary'), /1 row with fewer cells than the header \(line 3\): the missing cells are read as blank/);
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  await page.click('#confirm-import');
  await page.waitForFunction(() => /Imported/.test(document.querySelector('#import-status').textContent));
  await page.goto(page.url().replace(/#.*$/, '#/account/q2'));
  await page.waitForFunction(() => document.body.dataset.shown === 'account:q2');
  assert.doesNotMatch(await page.textContent('#acc-breakdown tr[data-measure="activeSeats"] td[data-label="Value"]'), /\d/);
  // A zip (its bytes hold NULs) named .csv: refused as not text, nothing read.
  await view(page, 'import');
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x61, 0x2c, 0x0a, 0x62, 0x2c, 0x0a]);
  await page.setInputFiles('#file', { name: 'data.csv', mimeType: 'text/csv', buffer: zip });
  await page.waitForFunction(() => /cannot be imported/.test(document.querySelector('#import-status').textContent));
  assert.match(await page.textContent('#import-status'), /data\.csv cannot be imported \(not_text\)/);
  assert.equal(await page.isHidden('#mapping'), true);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('on a later page, a shorter portfolio shows its last page, not an empty or partial one', async () => {
  const { page, ctx, problems } = await open();
  await drawn(page);
  for (let i = 1; i <= 3; i++) {
    await page.click('#next');
    await drawn(page, 'score', '', '', i);
  }
  await importCsv(page, 'two.csv', 'id,activeSeats\nq1,50\nq2,60\n');
  await view(page, 'portfolio');
  await drawn(page);
  assert.equal(await page.locator('#accounts tbody tr').count(), 2);
  assert.match(await page.textContent('#page-info'), /^2 accounts · page 1 of 1$/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a deep link with a broken escape starts the page and says there is no such account', async () => {
  const { page, ctx, problems } = await open({ path: '/#/account/%E0%A4' });
  assert.equal(await page.isVisible('#account-hint'), true);
  assert.match(await page.textContent('#account-hint'), /No account “%E0%A4”/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the editor follows a model adopted or saved elsewhere; a saved draft in any formatting is not "unsaved"', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'model');
  await page.waitForSelector('#model-errors li.ok');
  // Save the sample with weight 5, compact JSON.
  const doc = json('samples/model.json');
  doc.categories[0].weight = 5;
  await page.fill('#model-json', JSON.stringify(doc));
  await page.waitForSelector('#model-errors li.ok');
  await page.click('#save-model');
  await page.waitForFunction(() => /Saved/.test(document.querySelector('#draft-note').textContent));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await view(page, 'model');
  assert.doesNotMatch(await page.textContent('#draft-note'), /Unsaved/);
  // A model saved from the Calibration view (the fitted one) replaces an unedited editor text.
  await view(page, 'calibration');
  const rows = ['activeSeats,churned'];
  for (let i = 0; i < 60; i++) rows.push(`${10 + i},${i < 20 ? 'yes' : 'no'}`);
  await upload(page, '#cal-file', 'l.csv', rows.join('\n'));
  await page.waitForSelector('#cal-setup:not([hidden])');
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])');
  await page.click('#cal-adopt');
  await page.waitForSelector('#cal-import');
  await view(page, 'model');
  const shown = JSON.parse(await page.inputValue('#model-json'));
  assert.equal(shown.id, 'suggested');
  await page.waitForSelector('#whatif h3');
  assert.match(await page.textContent('#whatif h3'), /^No account changes band/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the id column chosen in calibration is the account id of "Import this file"', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  // CLIENTNUM is no name the import's mapping knows for an id.
  const rows = ['CLIENTNUM,activeSeats,churned'];
  for (let i = 0; i < 60; i++) rows.push(`${700000 + i},${10 + i},${i < 20 ? 'yes' : 'no'}`);
  await upload(page, '#cal-file', 'bank.csv', rows.join('\n'));
  await page.waitForSelector('#cal-setup:not([hidden])');
  await page.selectOption('#cal-id', 'CLIENTNUM');
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])');
  await page.click('#cal-adopt');
  await page.waitForSelector('#cal-import');
  await page.click('#cal-import');
  await page.waitForSelector('#mapping:not([hidden])');
  assert.equal(await page.inputValue('#mapping-table select[data-field="id"]'), 'CLIENTNUM');
  await page.click('#check-import');
  await page.waitForSelector('#import-preview:not([hidden])');
  await page.click('#confirm-import');
  await page.waitForFunction(() => /Imported: the portfolio now holds 60 accounts/.test(document.querySelector('#import-status').textContent));
  await page.goto(page.url().replace(/#.*$/, '#/account/700007'));
  await page.waitForFunction(() => document.body.dataset.shown === 'account:700007');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('calibration names a leaking column and an id before adoption, as the library finds them', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  // prevScore is a previous model's output (it alone gives churn away);
  // ref is a key nobody chose as the id.
  const rows = ['ref,activeSeats,prevScore,churned'];
  for (let i = 0; i < 80; i++) {
    const churned = i % 3 === 0;
    rows.push(`K-${1000 + i}-Z,${10 + ((i * 7) % 60)},${churned ? 0.9 + (i % 10) / 100 : (i % 10) / 100},${churned ? 'yes' : 'no'}`);
  }
  await upload(page, '#cal-file', 'leak.csv', rows.join('\n'));
  await page.waitForSelector('#cal-setup:not([hidden])');
  await page.selectOption('#cal-id', '');
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])');
  const leak = page.locator('#cal-notes li[data-warning="leak"][data-column="prevScore"]');
  // (the library's `names` shown as code, not raw backticks)
  assert.equal(await leak.locator('code').first().textContent(), 'prevScore');
  assert.match(await leak.textContent(), /^Likely leak: prevScore alone separates churned from retained accounts almost perfectly \(AUC 1\.000/);
  assert.match(await leak.textContent(), /leave it out with skip/);
  assert.match(await page.textContent('#cal-notes li[data-warning="id_like"][data-column="ref"]'), /^An id: ref has a different value in \d+ of its \d+ training rows: an id, left out/);
  // The leak is listed first.
  assert.equal(await page.getAttribute('#cal-notes li:first-child', 'data-warning'), 'leak');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the CS lead chooses the columns: a leak unticked with its reason, a measure no CSM can change kept out of levers', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'calibration');
  const rows = ['ref,activeSeats,tenure,prevScore,churned'];
  for (let i = 0; i < 120; i++) {
    const churned = i % 3 === 0;
    // (both tell churn apart only in part: no leak)
    const seats = churned ? 5 + ((i * 7) % 40) : 15 + ((i * 11) % 40);
    const tenure = churned ? 2 + ((i * 5) % 24) : 6 + ((i * 13) % 24);
    rows.push(`K-${1000 + i}-Z,${seats},${tenure},${churned ? 0.9 + (i % 10) / 100 : (i % 10) / 100},${churned ? 'yes' : 'no'}`);
  }
  await upload(page, '#cal-file', 'choose.csv', rows.join('\n'));
  await page.waitForSelector('#cal-setup:not([hidden])');
  await page.selectOption('#cal-id', '');
  await page.click('#cal-suggest');
  await page.waitForSelector('#cal-compare:not([hidden])');
  // Every column is listed; the leak is unticked with its reason, the id
  // (left out by the library) too, the others ticked and actionable.
  const row = (c) => `#cal-columns tr[data-column="${c}"]`;
  assert.equal(await page.isChecked(`${row('prevScore')} input[data-use]`), false);
  assert.match(await page.textContent(`${row('prevScore')} td[data-label="Why"]`), /^Likely leak: .*Unticked: the next build leaves it out\.$/);
  assert.equal(await page.isChecked(`${row('ref')} input[data-use]`), false);
  assert.match(await page.textContent(`${row('ref')} td[data-label="Why"]`), /^An id: /);
  assert.equal(await page.isChecked(`${row('activeSeats')} input[data-use]`), true);
  assert.equal(await page.isChecked(`${row('tenure')} input[data-actionable]`), true);
  // Tenure: in the score, but no CSM can change it.
  await page.uncheck(`${row('tenure')} input[data-actionable]`);
  await page.click('#cal-rebuild');
  await page.waitForFunction(() => document.querySelector('#cal-columns tr[data-column="prevScore"]')?.dataset.skipped === 'true');
  await page.waitForSelector('#cal-compare:not([hidden])');
  assert.equal(await page.locator('#cal-notes li[data-warning="leak"]').count(), 0);
  assert.match(await page.textContent(`${row('prevScore')} td[data-label="Why"]`), /left out by you/);
  // The id stays the library's to leave out, with its reason.
  assert.match(await page.textContent(`${row('ref')} td[data-label="Why"]`), /^An id: /);
  assert.equal(await page.isChecked(`${row('tenure')} input[data-actionable]`), false);
  await page.locator('#cal-columns').scrollIntoViewIfNeeded();
  await shot(page, 'calibration-columns', false);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#cal-columns').scrollIntoViewIfNeeded();
  await shot(page, 'calibration-columns', false);
  await page.setViewportSize({ width: 1280, height: 900 });
  // The outcome and id columns are no choices: choosing the leak as the id
  // forgets the choices made, and the build still works.
  await page.selectOption('#cal-id', 'tenure');
  await page.selectOption('#cal-id', '');
  await page.click('#cal-suggest');
  await page.waitForFunction(() => document.querySelector('#cal-columns tr[data-column="prevScore"]')?.dataset.skipped === 'false');
  assert.equal(await page.isChecked(`${row('tenure')} input[data-actionable]`), true);
  // A leak ticked again is kept, and stays ticked, named as kept.
  await page.check(`${row('prevScore')} input[data-use]`);
  await page.click('#cal-rebuild');
  await page.waitForFunction(() => /kept by you/.test(document.querySelector('#cal-columns tr[data-column="prevScore"] td[data-label="Why"]')?.textContent));
  assert.equal(await page.isChecked(`${row('prevScore')} input[data-use]`), true);
  // Left out again, tenure marked again, for the model below.
  await page.uncheck(`${row('prevScore')} input[data-use]`);
  await page.uncheck(`${row('tenure')} input[data-actionable]`);
  await page.click('#cal-rebuild');
  await page.waitForFunction(() => document.querySelector('#cal-columns tr[data-column="prevScore"]')?.dataset.skipped === 'true');
  // The suggested model: no prevScore, tenure not actionable, seats actionable.
  await page.click('#cal-draft');
  await page.waitForFunction(() => /"suggested"/.test(document.querySelector('#model-json').value));
  const doc = JSON.parse(await page.inputValue('#model-json'));
  const measures = Object.fromEntries(doc.categories.flatMap((c) => c.measures).map((m) => [m.id, m]));
  assert.equal(measures.prevScore, undefined);
  assert.equal(measures.tenure?.actionable, false);
  assert.notEqual(measures.activeSeats?.actionable, false);
  assert.ok(measures.activeSeats);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a weight slider keeps keyboard focus while it moves; replacing an edited draft can be undone', async () => {
  const { page, ctx, problems } = await open();
  await view(page, 'model');
  await page.waitForSelector('#model-errors li.ok');
  const slider = page.locator('#weights input[type="range"]').first();
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /"weight": 41,/.test(document.querySelector('#model-json').value));
  await page.waitForSelector('#model-errors li.ok');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /"weight": 42,/.test(document.querySelector('#model-json').value));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.category), 'adoption');
  // A preset replaces the edited draft; the old text can be brought back.
  await page.selectOption('#preset', 'composite-kpi');
  await page.waitForSelector('#restore-draft');
  await page.click('#restore-draft');
  await page.waitForFunction(() => /"weight": 42,/.test(document.querySelector('#model-json').value));
  assert.deepEqual(problems, []);
  await ctx.close();
});

/**
 * A page whose saved model is the sample without its late-payments measure
 * (the sample accounts and their stored snapshots carry it), on the portfolio.
 */
async function withoutLatePayments() {
  const opened = await open();
  const { page } = opened;
  await view(page, 'model');
  await page.waitForSelector('#model-errors li.ok');
  const doc = json('samples/model.json');
  doc.categories = doc.categories.map((c) => ({ ...c, measures: c.measures.filter((m) => m.id !== 'latePayments') }));
  await page.fill('#model-json', JSON.stringify(doc, null, 2));
  await page.waitForSelector('#model-errors li.ok');
  await page.click('#save-model');
  await page.waitForFunction(() => /Saved/.test(document.querySelector('#draft-note').textContent));
  await view(page, 'portfolio');
  await drawn(page);
  return opened;
}

test('history the model cannot score is said, and the rest of the history still counts', async () => {
  const { page, ctx, problems } = await withoutLatePayments();
  // Trends are still drawn: the snapshots are scored without the measure the model lacks.
  assert.ok((await page.locator('#accounts tbody svg polyline').count()) > 40);
  assert.doesNotMatch(await page.textContent('#portfolio-notes'), /history snapshots could not be scored/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a saved model that lacks a measure the accounts carry keeps every account (it scored 1 of 200 before)', async () => {
  const { page, ctx, problems } = await withoutLatePayments();
  assert.equal(await page.textContent('#kpi-count'), '200');
  assert.match(await page.textContent('#page-info'), /^200 accounts/);
  assert.deepEqual(problems, []);
  await ctx.close();
});
