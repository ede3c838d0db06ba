// Calibration through the JS API in Node: the same hand-worked cases as
// tests/calibration.rs, the same numbers as the native build, the explicit
// outcome, rows, columns and CSV text, progress and cancel, and every row of
// a table scoring under the model built from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, HealthScoreError } from '../../pkg/index.node.mjs';

const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `expected ${b}, got ${a}`);
const one = () => new HealthModel({
  version: 1, id: 'one',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
  categories: [{ id: 'c', weight: 1, measures: [{ id: 'x', weight: 1, rule: { type: 'scale', min: 0, max: 10 } }] }],
});
const yesNo = { column: 'churned', churnedWhen: [true, 'yes', 1], retainedWhen: [false, 'no', 0] };
const telcoText = readFileSync(new URL('../fixtures/telco-500.csv', import.meta.url), 'utf8');
const telco = { outcome: { column: 'Churn', churnedWhen: 'Yes' }, skip: ['customerID'] };

function csv(text) {
  const [header, ...lines] = text.trim().split('\n').map((l) => l.replace(/\r$/, '').split(','));
  return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

const throwsCode = (fn, code, path) => assert.throws(fn, (e) => {
  assert.ok(e instanceof HealthScoreError, `a HealthScoreError, not ${e}`);
  assert.equal(e.code, code, e.message);
  if (path !== undefined) assert.equal(e.path, path);
  return true;
});

test('backtest by hand, from rows, columns and CSV text', () => {
  const rows = [
    { x: 1, churned: true }, { x: 2, churned: 'Yes' }, { x: 2, churned: 1 }, { x: 6, churned: 'yes' },
    { x: 2, churned: false }, { x: 3, churned: 'No' }, { x: 7, churned: 0 }, { x: 8, churned: 'no' },
    { x: 9, churned: false }, { x: 9, churned: false },
  ];
  const b = one().backtest(rows, { outcome: yesNo });
  close(b.auc, 21 / 24);
  close(b.topDecileLift, 2.5);
  close(b.bands[0].churnRate, 0.6);
  close(b.lowestBand.recall, 0.75);
  const cols = { x: rows.map((r) => r.x), churned: rows.map((r) => r.churned) };
  assert.equal(one().backtest(cols, { outcome: yesNo }).auc, b.auc);
  const text = 'x,churned\n' + rows.map((r) => `${r.x},${r.churned}`).join('\n');
  assert.equal(one().backtest(text, { outcome: yesNo }).auc, b.auc);
});

test('bad rows are reported and left out; bad calls throw with paths', () => {
  const b = one().backtest(
    [{ x: 5, churned: true }, { x: 5, churned: 'maybe' }, { x: NaN, churned: false }, { x: 4, churned: false }],
    { outcome: yesNo },
  );
  assert.deepEqual(b.errors.map((e) => [e.index, e.code, e.path]), [[1, 'invalid_outcome', '[1].churned'], [2, 'not_finite', '[2].x']]);
  assert.ok(b.errors.every((e) => e.help));
  assert.equal(b.rows, 2);
  throwsCode(() => one().backtest(5, { outcome: yesNo }), 'wrong_type');
  throwsCode(() => one().fit([{ x: 1, churned: true }], { outcome: yesNo, testShare: 0.3, colour: 1 }), 'unknown_field', 'colour');
  throwsCode(() => one().suggestBands([{ x: 1, churned: true }, { x: 2, churned: false }], { outcome: yesNo }), 'invalid_value');
  throwsCode(() => one().fit([{ x: 1, churned: true }], { outcome: yesNo, lambda: -1 }), 'invalid_value', 'lambda');
});

test('the outcome is explicit: nothing is guessed from a column name', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({ x: i % 10, renewed: i % 10 >= 5 }));
  // A column named `renewed` is not read as churn.
  throwsCode(() => one().backtest(rows, { outcome: 'renewed' }), 'invalid_value', 'outcome');
  throwsCode(() => one().backtest(rows, {}), 'missing_field', 'outcome');
  const b = one().backtest(rows, { outcome: { column: 'renewed', churnedWhen: false } });
  assert.equal(b.auc, 1);
  // A value that matches nothing: the values found are in the message.
  throwsCode(() => one().backtest(rows, { outcome: { column: 'renewed', churnedWhen: 'no' } }), 'one_outcome', 'outcome');
});

test('fit reports reversed measures and keeps them at weight 0', () => {
  const m = new HealthModel({
    version: 1, id: 'ab', bands: [{ id: 'low', color: '#d55e00', from: 0 }],
    categories: [
      { id: 'A', weight: 1, measures: [{ id: 'a', weight: 1, rule: { type: 'scale', min: 0, max: 1 } }] },
      { id: 'R', weight: 1, measures: [{ id: 'r', weight: 1, rule: { type: 'scale', min: 0, max: 1 } }] },
    ],
  });
  const rows = Array.from({ length: 400 }, (_, i) => {
    const a = (i % 20) / 19;
    return { a, r: 1 - a, churned: a < 0.4 };
  });
  const fit = m.fit(rows, { outcome: { column: 'churned', churnedWhen: true } });
  assert.deepEqual(fit.reversed.map((r) => r.measureId), ['r']);
  assert.equal(fit.model.categories[1].weight, 0);
  assert.equal(fit.model.categories[0].weight, 100);
  assert.equal(fit.trainRows + fit.testRows, 400);
});

test('suggest on the Telco fixture gives the same numbers as the native build', () => {
  const s = HealthModel.suggest(telcoText, telco);
  // Pinned in tests/calibration.rs (native).
  assert.equal(s.backtest.auc, 0.8628994360902256);
  const model = new HealthModel(s.model);
  assert.equal(model.hash, 'c8ac71baf12b9ccddc807edf0d5694cf62a3ea182df98aa8a82878e3aecc4649');
  assert.equal(s.columns.find((c) => c.column === 'customerID').kind, 'skipped');
  assert.equal(s.model.aggregation, 'points');
  assert.equal(s.bands.falling, true);
  // Rows as objects of strings give the same model as the CSV text.
  const rows = csv(telcoText);
  assert.equal(new HealthModel(HealthModel.suggest(rows, telco).model).hash, model.hash);
  // Every row of the table scores: cells as text through rowToAccount;
  // cells typed as a CSV reader types them (numbers as numbers) as they are,
  // with ignoreUnknown.
  const typed = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v])));
  rows.forEach((row, i) => {
    const { account, ignored } = model.rowToAccount(row, { idColumn: 'customerID' });
    assert.ok(ignored.includes('Churn'));
    assert.equal(typeof model.score(account).score, 'number');
    const card = model.score({ id: row.customerID, values: typed[i] }, { ignoreUnknown: true });
    assert.ok(card.ignored.includes('Churn') && card.ignored.includes('customerID'));
    assert.equal(card.score, model.score(account).score);
  });
  throwsCode(() => model.score({ id: 'x', values: typed[0] }), 'unknown_measure');
  const edges = model.suggestBands(rows, { outcome: telco.outcome, churnRates: [0.5, 0.2] });
  assert.equal(edges.edges.length, 2);
});

test('mixed numbers and text sentinels, and 0/1 columns, score as they came', () => {
  // A handset price that is a number or "Unknown"; a 0/1 flag.
  const rows = Array.from({ length: 400 }, (_, i) => {
    const unknown = i % 2 === 0;
    const senior = i % 5 === 0 ? 1 : 0;
    const churned = (unknown ? i % 3 !== 0 : i % 7 === 0) || (senior === 1 && i % 2 === 1);
    return { HandsetPrice: unknown ? 'Unknown' : [10, 30, 60][i % 3], SeniorCitizen: senior, Churn: churned ? 'Yes' : 'No' };
  });
  const s = HealthModel.suggest(rows, { outcome: { column: 'Churn', churnedWhen: 'Yes' } });
  const kinds = Object.fromEntries(s.columns.map((c) => [c.column, c.kind]));
  assert.equal(kinds.HandsetPrice, 'numeric');
  assert.equal(kinds.SeniorCitizen, 'numeric');
  const model = new HealthModel(s.model);
  for (const row of rows) {
    const { Churn, ...values } = row;
    assert.equal(typeof model.score({ id: 'x', values }).score, 'number');
  }
});

test('progress, and cancel: synchronously and asynchronously', async () => {
  const phases = [];
  const reports = [];
  const s = HealthModel.suggest(telcoText, { ...telco, onProgress: (p) => { phases.push(p.phase); reports.push(p); } });
  assert.deepEqual([...new Set(phases)], ['reading', 'binning', 'fitting', 'bands']);
  // Each report says what was done (issue 26: `done` was always 0, and CSV
  // text read as "0 of 0"): the rows read, every column binned, then the
  // fit and the bands.
  assert.ok(reports[0].done > 0 && reports[0].done === reports[0].total, JSON.stringify(reports[0]));
  const binned = reports.filter((p) => p.phase === 'binning').at(-1);
  assert.ok(binned.done === binned.total && binned.total > 0, JSON.stringify(binned));
  // Fitting: a report per Newton step, 0 while the fit on weights of
  // evidence runs, then 1 and one more per step of the points per bin,
  // rising to its total.
  const fitting = reports.filter((p) => p.phase === 'fitting');
  assert.ok(fitting.length >= 5 && fitting[0].done === 0 && fitting.some((p) => p.done === 1), JSON.stringify(fitting));
  assert.ok(fitting.every((p, i) => i === 0 || p.done >= fitting[i - 1].done), JSON.stringify(fitting));
  assert.equal(fitting.at(-1).done, fitting.at(-1).total);
  assert.deepEqual(reports.slice(-2), [{ phase: 'bands', done: 1, total: 2 }, { phase: 'bands', done: 2, total: 2 }]);
  throwsCode(() => HealthModel.suggest(telcoText, { ...telco, onProgress: (p) => p.phase !== 'binning' }), 'cancelled');
  const again = await HealthModel.suggestAsync(csv(telcoText), { ...telco, onProgress: () => {} });
  assert.equal(again.backtest.auc, s.backtest.auc);
  const ac = new AbortController();
  await assert.rejects(
    HealthModel.suggestAsync(telcoText, { ...telco, signal: ac.signal, onProgress: (p) => { if (p.phase === 'binning') ac.abort(); } }),
    (e) => e instanceof HealthScoreError && e.code === 'cancelled',
  );
  const fit = await one().fitAsync(Array.from({ length: 100 }, (_, i) => ({ x: i % 10, churned: i % 10 < 3 })), { outcome: { column: 'churned', churnedWhen: true } });
  assert.ok(fit.after.auc > 0.9);
  // The module is fine after a cancelled call.
  assert.equal(HealthModel.suggest(telcoText, telco).backtest.auc, s.backtest.auc);
});

test('tables over the documented limits are refused up front', () => {
  const row = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, churned: true };
  const huge = new Array(2_100_000).fill(row); // 21 M cells: refused before anything is encoded
  throwsCode(() => HealthModel.suggest(huge, { outcome: { column: 'churned', churnedWhen: true } }), 'too_large');
  const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`c${i}`, 1]));
  throwsCode(() => HealthModel.suggest([wide], { outcome: { column: 'churned', churnedWhen: true } }), 'too_large');
  throwsCode(() => HealthModel.suggest([{ x: 1, churned: true }, { x: 2, churned: false }], { outcome: { column: 'churned', churnedWhen: true } }), 'too_few_rows');
  throwsCode(() => HealthModel.suggest([{ x: 1, churned: true }], { outcome: { column: 'churned', churnedWhen: true } }), 'one_outcome');
});

test('rows given to suggest with numbers as text score as given with tableCells; warnings come as data', () => {
  // A handset price that is a number, numeric text or "Unknown"; usage as a number.
  const rows = Array.from({ length: 600 }, (_, i) => {
    const price = [10, 30, 60][i % 3];
    const cell = i % 5 === 0 ? 'Unknown' : i % 2 ? String(price) : price;
    const usage = (i * 37) % 100;
    const churned = (i % 5 === 0) || usage < 20 || (price === 10 && i % 4 === 0);
    return { id: `a${i}`, price: cell, usage, prev: churned ? 0.95 + (i % 5) / 100 : (i % 7) / 100, churned: churned ? 'yes' : 'no' };
  });
  const s = HealthModel.suggest(rows, { outcome: { column: 'churned', churnedWhen: 'yes' }, idColumn: 'id', skip: [] });
  const leak = s.warnings.find((w) => w.code === 'leak');
  assert.equal(leak.column, 'prev');
  assert.ok(leak.auc > 0.99);
  const clean = HealthModel.suggest(rows, { outcome: { column: 'churned', churnedWhen: 'yes' }, idColumn: 'id', skip: ['prev'], notActionable: ['usage'] });
  assert.equal(clean.warnings.filter((w) => w.code === 'leak').length, 0);
  assert.equal(clean.model.categories[0].measures.find((m) => m.id === 'usage').actionable, false);
  const model = new HealthModel(clean.model);
  const accounts = rows.map((r) => ({ id: r.id, values: { price: r.price, usage: r.usage } }));
  // Strictly, "30" for a number is refused; as table cells it is 30.
  const strict = model.scoreMany(accounts);
  assert.ok(strict.errors.length > 100 && strict.errors.every((e) => e.code === 'not_a_number'), JSON.stringify(strict.errors[0]));
  const cells = model.scoreMany(accounts, { tableCells: true });
  assert.deepEqual(cells.errors, []);
  for (const i of [1, 2, 3, 5, 7]) {
    const asNumber = model.score({ id: 'n', values: { price: Number(rows[i].price) || null, usage: rows[i].usage } });
    assert.equal(cells.scorecards[i].score, asNumber.score, `row ${i}`);
    assert.equal(model.score(accounts[i], { tableCells: true }).score, asNumber.score);
  }
  assert.throws(() => model.score(accounts[1], { tableCels: true }), (e) => e.code === 'unknown_field');
});

test('tableCells: scoreMany reads a padded text and a numeric text as score does', () => {
  const model = new HealthModel({
    version: 1, id: 'cells',
    bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }, { id: 'high', label: 'High', color: '#009e73', from: 50 }],
    categories: [{ id: 'c', weight: 1, measures: [
      { id: 'plan', weight: 1, rule: { type: 'match', scores: { Basic: 20, Pro: 90 }, otherwise: 50 } },
      { id: 'seats', weight: 1, rule: { type: 'scale', min: 0, max: 10 } },
    ] }],
  });
  const accounts = [{ id: 'a', values: { plan: ' Basic ', seats: '8' } }, { id: 'b', values: { plan: 'Pro', seats: 4 } }];
  const many = model.scoreMany(accounts, { tableCells: true });
  assert.deepEqual(many.errors, []);
  // A match rule's points span its range (Basic 20 → 0, Pro 90 → 100):
  // a: (0 + 80) / 2 = 40; b: (100 + 40) / 2 = 70.
  assert.deepEqual(many.scorecards.map((c) => c.score), [40, 70]);
  assert.deepEqual(accounts.map((a) => model.score(a, { tableCells: true }).score), [40, 70]);
  assert.throws(() => model.scoreMany(accounts, { tableCells: true, columnar: true }), (e) => e.code === 'invalid_value' && e.path === 'tableCells');
});
