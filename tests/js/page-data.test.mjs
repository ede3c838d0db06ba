// The demo page's data helpers (the library's CSV reader, which the page
// uses; www/export.js, www/mapping.js) in Node: they have no DOM, so their
// rules are tested here; the page's end-to-end tests (tests/e2e/) drive
// them through the worker in Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../pkg/index.node.mjs';
import { toCsv } from '../../www/export.js';

const detectSeparator = (text) => parseCsv(text).delimiter;
import { normalise, distance, proposeMapping, leftovers, describeColumns } from '../../www/mapping.js';

test('the separator is detected from the first lines: comma, semicolon or tab', () => {
  assert.equal(detectSeparator('a,b,c\n1,2,3'), ',');
  assert.equal(detectSeparator('a;b;c\n1,5;2,5;3'), ';');
  assert.equal(detectSeparator('a\tb\tc\n1\t2\t3'), '\t');
  // Separators inside quotes do not count.
  assert.equal(detectSeparator('"a;b;c",d\n1,2'), ',');
  assert.equal(detectSeparator('single\n1'), ',');
  // Names with commas in a semicolon file: the lines below decide (issue 22).
  const t = parseCsv('Kunde;Umsatz, netto, EUR;Churn\nA;100,5;0\nB;7;1\n');
  assert.equal(t.delimiter, ';');
  assert.deepEqual(t.header, ['Kunde', 'Umsatz, netto, EUR', 'Churn']);
  assert.deepEqual(t.rows, [['A', '100.5', '0'], ['B', '7', '1']]);
});

test('CSV: quotes, doubled quotes, CRLF, a byte-order mark; blank rows are skipped and counted', () => {
  const text = '\ufeffid;name;value\r\n1;"Quoted; Inc";10\r\n;;\r\n\r\n2;"He said ""hi""";20\r\n3;"two\nlines";\r\n';
  const t = parseCsv(text);
  assert.equal(t.delimiter, ';');
  assert.deepEqual(t.header, ['id', 'name', 'value']);
  assert.deepEqual(t.rows, [['1', 'Quoted; Inc', '10'], ['2', 'He said "hi"', '20'], ['3', 'two\nlines', '']]);
  assert.equal(t.blankRows, 2);
  // The file line each row starts on: the header is line 1; a quoted newline moves the line on.
  assert.deepEqual(t.lines, [2, 5, 6]);
  assert.deepEqual(parseCsv('a\n"x\ny"\nz\n').lines, [2, 4]);
  // No trailing newline, a trailing empty field.
  assert.deepEqual(parseCsv('a,b\n1,').rows, [['1', '']]);
  // A quote never closed is an error at the line it opened on, not a file eaten into one cell.
  assert.throws(() => parseCsv('id,name\nq1,"Acme, Inc\nq2,Beta\n'), (e) => e.code === 'invalid_csv' && e.path === 'line 2');
  // Bytes: UTF-8, else Windows-1252 (said); NUL bytes are not text.
  const latin = parseCsv(new Uint8Array([...Buffer.from('id;name\n1;Soci'), 0xe9, ...Buffer.from('t'), 0xe9, 10]));
  assert.deepEqual([latin.rows, latin.encoding], [[['1', 'Société']], 'windows-1252']);
  assert.throws(() => parseCsv(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])), (e) => e.code === 'not_text');
  // A short row is padded and its line listed.
  assert.deepEqual(parseCsv('a,b\n1,2\n3\n').shortRows, [3]);
  // Round trip through toCsv (which neutralises formulas).
  const back = parseCsv(toCsv(['a', 'b'], [['=1+1', 'x,y'], ['-5', '"q"']]));
  assert.deepEqual(back.rows, [["'=1+1", 'x,y'], ['-5', '"q"']]);
});

test('header matching ignores case, spaces, underscores, dashes and accents, and takes near misses', () => {
  assert.equal(normalise('Active_Seats'), 'activeseats');
  assert.equal(normalise(' active seats '), 'activeseats');
  assert.equal(normalise('Réclamations-Ouvertes'), 'reclamationsouvertes');
  assert.equal(distance('activeseat', 'activeseats'), 1);
  assert.equal(distance('kitten', 'sitting'), 3);
  const measures = [
    { id: 'activeSeats', label: 'Active seats (%)' },
    { id: 'openTickets', label: 'Open support tickets' },
    { id: 'nps', label: 'NPS answer (0-10)' },
    { id: 'csmSentiment', label: 'CSM sentiment (1-5)' },
    { id: 'daysSinceLogin', label: 'Days since an admin logged in' },
  ];
  const header = ['Customer ID', 'Company', 'ARR', 'active_seat', 'Open Support Tickets', 'NPS', 'CSM Sentimént', 'days since last login', 'Churn'];
  const m = proposeMapping(header, measures, { outcome: 'Churn' });
  assert.equal(m.id, 'Customer ID');
  assert.equal(m.name, 'Company');
  assert.equal(m.value, 'ARR');
  assert.equal(m.segment, '');
  assert.deepEqual(m.measures, { activeSeats: 'active_seat', openTickets: 'Open Support Tickets', nps: 'NPS', csmSentiment: 'CSM Sentimént' });
  // "days since last login" is 4 edits from the id: not a near miss, so it is listed, not guessed.
  const left = leftovers(header, measures, m, { outcome: 'Churn' });
  assert.deepEqual(left.unmappedColumns, ['days since last login']);
  assert.deepEqual(left.measuresWithoutColumn, ['daysSinceLogin']);
});

test('a column is used once; exact matches win over near misses; short names need an exact match', () => {
  // "active seats" is exact for activeSeats and a near miss for activeSeat: it goes to the exact one only.
  const measures = [{ id: 'activeSeat', label: 'Active seat' }, { id: 'activeSeats', label: 'Active seats' }, { id: 'nps', label: 'NPS' }];
  assert.deepEqual(proposeMapping(['active seats', 'np'], measures).measures, { activeSeats: 'active seats' });
  // With both columns, each measure gets its own.
  assert.deepEqual(proposeMapping(['active seats', 'active_seat'], measures).measures, { activeSeats: 'active seats', activeSeat: 'active_seat' });
  // A near miss for two measures goes to one of them only.
  assert.deepEqual(Object.values(proposeMapping(['activeseatz'], measures).measures), ['activeseatz']);
});

test('the Telco file maps its id and the one measure the sample model shares with it', () => {
  const t = parseCsv(readFileSync(new URL('../fixtures/telco-500.csv', import.meta.url), 'utf8'));
  const model = JSON.parse(readFileSync(new URL('../../samples/model.json', import.meta.url), 'utf8'));
  const measures = model.categories.flatMap((c) => c.measures.map((x) => ({ id: x.id, label: x.label })));
  const m = proposeMapping(t.header, measures, { outcome: 'Churn' });
  assert.equal(m.id, 'customerID');
  assert.deepEqual(m.measures, { contract: 'Contract' });
  const cols = new Map(describeColumns(t.header, t.rows).map((c) => [c.column, c]));
  assert.equal(cols.get('tenure').type, 'number');
  assert.equal(cols.get('SeniorCitizen').type, 'number (0/1)');
  assert.equal(cols.get('Partner').type, 'yes/no');
  assert.equal(cols.get('Contract').type, 'text');
  assert.equal(cols.get('Contract').distinct, '3');
});
