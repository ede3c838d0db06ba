#!/usr/bin/env node
// Scores a CSV of accounts from the command line and prints a table, lowest
// score first. Columns named after the model's measures are read as values
// by the library's rowToAccount (empty = missing; true/false/yes/no/1/0 for
// flags); `id`, `name`, `segment` and `value` are read as account fields;
// other columns are ignored.
//
//   node score-csv.mjs model.json accounts.csv [--json]
import { readFileSync } from 'node:fs';
import { HealthModel, HealthScoreError } from 'customer-health';

const [modelPath, csvPath, flag] = process.argv.slice(2);
if (!modelPath || !csvPath) {
  console.error('usage: node score-csv.mjs model.json accounts.csv [--json]');
  process.exit(2);
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

let model;
try {
  model = new HealthModel(readFileSync(modelPath, 'utf8'));
} catch (e) {
  if (!(e instanceof HealthScoreError)) throw e;
  for (const err of e.errors) console.error(`model: ${err.code} at ${err.path || '(root)'}: ${err.message}\n  help: ${err.help}`);
  process.exit(1);
}

const [header, ...lines] = parseCsv(readFileSync(csvPath, 'utf8'));
const fields = ['id', 'name', 'segment', 'value'].filter((f) => header.includes(f));
const options = Object.fromEntries(fields.map((f) => [`${f}Column`, f]));

// What a cell means for each measure (blank = missing, yes/no for flags,
// numbers for numeric rules) is the library's: rowToAccount. Rows without
// an id column are named after their line.
const accounts = [];
const rowErrors = [];
lines.forEach((cells, row) => {
  const cellsByName = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  if (!fields.includes('id')) cellsByName.id = `row-${row + 2}`;
  try {
    accounts.push(model.rowToAccount(cellsByName, { ...options, idColumn: 'id' }).account);
  } catch (e) {
    if (!(e instanceof HealthScoreError)) throw e;
    rowErrors.push({ index: row, path: e.path, code: e.code, message: e.message });
  }
});

const batch = model.scoreMany(accounts, { ignoreUnknown: true });
const { scorecards, summary } = batch;
const errors = [...rowErrors, ...batch.errors];
if (flag === '--json') {
  console.log(JSON.stringify({ scorecards, errors, summary }, null, 2));
} else {
  printTable();
}

function printTable() {
  const rows = scorecards.filter(Boolean).sort((a, b) => (a.score ?? -1) - (b.score ?? -1));
  console.log(`${model.toJSON().name} (${model.id}), hash ${model.hash.slice(0, 12)}…\n`);
  for (const c of rows) {
    const score = c.score === null ? '—' : c.score.toFixed(1);
    const lever = c.levers[0] ? `${c.levers[0].measureId} (+${c.levers[0].pointsMissed.toFixed(1)})` : '';
    console.log(`${c.accountId.padEnd(10)} ${(c.name ?? '').padEnd(28)} ${score.padStart(6)}  ${c.band.label.padEnd(18)} ${lever}`);
  }
  console.log(`\n${summary.count} scored, ${errors.length} problems; mean ${summary.mean?.toFixed(1)}, median ${summary.median?.toFixed(1)}`);
  for (const [id, b] of Object.entries(summary.bands)) console.log(`  ${id.padEnd(18)} ${String(b.count).padStart(4)}  ${(100 * b.share).toFixed(1)}%`);
  for (const e of errors) console.log(`  row ${e.index + 2}: ${e.code} at ${e.path}: ${e.message}`);
}
