// The engine's import: read a CSV (separator detected, blank rows skipped
// and counted), propose a mapping of its columns, build and check every
// account under a mapping (staged: nothing replaces the portfolio), then
// replace the portfolio when the user confirms. Runs in the worker.
import { constants, parseCsv } from '/pkg/index.browser.mjs';
import { proposeMapping, describeColumns, leftovers } from './mapping.js';
import { current, setPortfolio, overview, storageProblem, labels } from './engine-portfolio.js';

/** What an import accepts (documented in www/README.md). */
export const IMPORT_LIMITS = { bytes: 100 * 1024 * 1024, rows: 1_000_000 };

const CHUNK = 5000;
const SCORE_CHUNK = 20000;
const LISTED = 200;
let table = null; // { name, header, rows, emptyRows, separator }
let staged = null; // { accounts, mapping }

const fail = (code, message) => Object.assign(new Error(message), { code });

/**
 * Reads a file (`{ name, size, bytes }` as the page sends it) into rows with
 * the library's CSV reader (UTF-8, else Windows-1252; the separator from
 * the first lines; decimal commas per column; line numbers in errors);
 * refuses one over the limits.
 */
export async function readTable({ name, size, bytes }) {
  if (size > IMPORT_LIMITS.bytes) {
    throw fail('too_large', `${name} is ${(size / 1048576).toFixed(0)} MB; the page imports files of up to ${IMPORT_LIMITS.bytes / 1048576} MB. Split it, or score it with the library in Node.`);
  }
  let parsed;
  try {
    parsed = parseCsv(bytes);
  } catch (e) {
    throw fail(e.code ?? 'invalid_csv', `${name}: ${e.message}${e.path ? ` (${e.path})` : ''}.`);
  }
  const { header, rows, lines, delimiter: separator, blankRows: emptyRows, decimalCommas, shortRows } = parsed;
  const encoding = parsed.encoding === 'windows-1252' ? 'Windows-1252' : null;
  if (header.length === 0) throw fail('empty_file', `${name} has no header row: the first line must name the columns.`);
  if (rows.length === 0) throw fail('empty_file', `${name} has a header but no rows.`);
  if (rows.length > IMPORT_LIMITS.rows) {
    throw fail('too_large', `${name} has ${rows.length.toLocaleString('en-US')} rows; the page imports up to ${IMPORT_LIMITS.rows.toLocaleString('en-US')}. Split it, or score it with the library in Node.`);
  }
  const seen = new Set();
  for (const column of header) {
    if (seen.has(column)) throw fail('duplicate_column', `${name} has two columns named “${column}”: rename one so each column has its own name.`);
    seen.add(column);
  }
  return { name, header, rows, lines, separator, emptyRows, decimalCommas, encoding, shortRows };
}

function measureList() {
  const types = new Map(current.doc.categories.flatMap((c) => c.measures.map((m) => [m.id, m.rule?.type])));
  return [...labels()].map(([id, label]) => ({ id, label, rule: types.get(id) }));
}

/** What the mapping step shows for the file. */
function describe(t) {
  const measures = measureList();
  return {
    name: t.name,
    separator: t.separator,
    decimalCommas: t.decimalCommas,
    encoding: t.encoding,
    rows: t.rows.length,
    emptyRows: t.emptyRows,
    // Lines with fewer cells than the header (read with blanks for the
    // cells they lack): how many, and the first few.
    shortRows: { count: t.shortRows?.length ?? 0, lines: (t.shortRows ?? []).slice(0, 5) },
    columns: describeColumns(t.header, t.rows),
    preview: t.rows.slice(0, 5),
    measures,
    mapping: proposeMapping(t.header, measures),
  };
}

/** The column positions of a mapping (checked against the header). */
function positions(mapping, header) {
  const at = (column, what) => {
    if (!column) return -1;
    const c = header.indexOf(column);
    if (c < 0) throw fail('unknown_column', `${what} is mapped to “${column}”, which is not a column of this file.`);
    return c;
  };
  return {
    id: at(mapping.id, 'The account id'),
    name: at(mapping.name, 'The name'),
    segment: at(mapping.segment, 'The segment'),
    value: at(mapping.value, 'The value'),
    measures: Object.entries(mapping.measures ?? {}).filter(([, c]) => c).map(([id, column]) => [id, at(column, `Measure ${id}`)]),
  };
}

/**
 * Builds every account of the file under `mapping` with the core's
 * `rowToAccount` (what a cell means for each rule type is the core's), and
 * scores them as columns. Returns the staged accounts and what went wrong
 * per row (row numbers are the file's lines).
 */
async function build(t, mapping, progress, signal) {
  const { model } = current;
  const p = positions(mapping, t.header);
  const known = new Set(model.measureIds);
  for (const [id] of p.measures) if (!known.has(id)) throw fail('unknown_measure', `“${id}” is not a measure of the model.`);
  // The fields keep their column's name (so the core's messages name it),
  // unless that name is a measure id: then an internal name is used.
  const fieldKey = (field, column) => (column && !known.has(column) ? column : ` ${field}`);
  const keys = { id: fieldKey('id', mapping.id), name: fieldKey('name', mapping.name), segment: fieldKey('segment', mapping.segment), value: fieldKey('value', mapping.value) };
  const options = { idColumn: keys.id, nameColumn: p.name >= 0 ? keys.name : null, segmentColumn: p.segment >= 0 ? keys.segment : null, valueColumn: p.value >= 0 ? keys.value : null };
  const stillCurrent = () => {
    if (current.model !== model) throw fail('model_changed', 'The model was changed while the file was being checked: check the import again.');
    if (signal?.aborted) throw fail('cancelled', 'The import was cancelled.');
  };
  const accounts = [];
  const lines = [];
  const errors = [];
  const ids = new Set();
  for (let start = 0; start < t.rows.length; start += CHUNK) {
    stillCurrent();
    for (let r = start; r < Math.min(t.rows.length, start + CHUNK); r++) {
      const cells = t.rows[r];
      const line = t.lines[r];
      const row = { [keys.id]: p.id >= 0 ? (cells[p.id] ?? '').trim() : `row-${line}` };
      if (p.name >= 0) row[keys.name] = cells[p.name] ?? '';
      if (p.segment >= 0) row[keys.segment] = cells[p.segment] ?? '';
      if (p.value >= 0) row[keys.value] = cells[p.value] ?? '';
      for (const [id, c] of p.measures) row[id] = cells[c] ?? '';
      const id = row[keys.id];
      if (id === '') {
        errors.push({ row: line, path: mapping.id, code: 'missing_field', message: 'the account id is blank' });
        continue;
      }
      if (ids.has(id)) {
        errors.push({ row: line, path: mapping.id, code: 'duplicate_id', message: `the account id “${id}” is on an earlier row` });
        continue;
      }
      try {
        const { account } = model.rowToAccount(row, options);
        ids.add(account.id);
        accounts.push(account);
        lines.push(line);
      } catch (e) {
        errors.push({ row: line, path: columnOf(e.path, mapping, keys), code: e.code, message: e.message });
      }
    }
    progress({ phase: 'reading', done: Math.min(t.rows.length, start + CHUNK), total: t.rows.length });
    await new Promise((ok) => setTimeout(ok, 0)); // lets a cancel through
  }
  // Scored as the portfolio will be (objects, every field checked: an id
  // the core refuses is left out here, not after the import).
  const refused = new Set();
  let insufficient = 0;
  let sum = 0;
  let n = 0;
  const bandCounts = new Map();
  const none = constants().insufficientData.id;
  for (let start = 0; start < accounts.length; start += SCORE_CHUNK) {
    stillCurrent();
    progress({ phase: 'scoring', done: start, total: accounts.length });
    const part = accounts.slice(start, start + SCORE_CHUNK);
    const batch = model.scoreMany(part, { ignoreUnknown: true });
    for (const e of batch.errors) {
      refused.add(start + e.index);
      errors.push({ row: lines[start + e.index], path: columnOf(e.path.replace(/^\[\d+\]\.?/, ''), mapping, keys), code: e.code, message: e.message });
    }
    batch.scorecards.forEach((c) => {
      if (!c) return;
      if (c.band.id === none) insufficient++;
      else {
        sum += c.score;
        n++;
        bandCounts.set(c.band.id, (bandCounts.get(c.band.id) ?? 0) + 1);
      }
    });
    await new Promise((ok) => setTimeout(ok, 0)); // lets a cancel through
  }
  const kept = accounts.filter((_, i) => !refused.has(i));
  errors.sort((a, b) => a.row - b.row);
  return { kept, errors, insufficient, mean: n ? sum / n : null, bandCounts };
}

/** A core path (`values.nps`, `["Customer ID"]`, `value`) in the user's words: the column it came from. */
function columnOf(path, mapping, keys) {
  const m = /^values\.(.+)$/.exec(path ?? '');
  if (m && mapping.measures?.[m[1]]) return mapping.measures[m[1]];
  let key = path ?? '';
  if (/^\[".*"\]$/.test(key)) {
    try {
      key = JSON.parse(key.slice(1, -1));
    } catch {
      // Not a quoted key after all: shown as it is.
    }
  }
  for (const field of ['id', 'name', 'segment', 'value']) {
    if (key === keys[field] || key === field) return mapping[field] || field;
  }
  return key;
}

/** What a staged import was built from: the file, the mapping and the model. */
const stamp = (t, mapping) => JSON.stringify([t.id, mapping, current.model.hash]);
let nextTable = 1;

export const importOps = {
  /** Reads a file and proposes a mapping (nothing is imported yet). */
  async importRead({ file }) {
    staged = null;
    table = null;
    table = { ...(await readTable(file)), id: nextTable++ };
    return describe(table);
  },

  /**
   * Builds and checks every account under the mapping; stages them until
   * confirmed. The result's `token` names what was checked (the file, the
   * mapping, the model): only that can be confirmed.
   */
  async importPreview({ mapping }, { progress, signal }) {
    const t = table;
    if (!t) throw fail('no_file', 'Choose a file first.');
    const { kept, errors, insufficient, mean, bandCounts } = await build(t, mapping, progress, signal);
    if (table !== t) throw fail('file_changed', 'Another file was chosen while this one was being checked.');
    const token = stamp(t, mapping);
    staged = { accounts: kept, token };
    const measures = measureList();
    const { unmappedColumns, measuresWithoutColumn } = leftovers(t.header, measures, mapping);
    const mapped = Object.values(mapping.measures ?? {}).filter(Boolean).length;
    return {
      token,
      rows: t.rows.length,
      emptyRows: t.emptyRows,
      accounts: kept.length,
      errorRows: new Set(errors.map((e) => e.row)).size,
      errorCount: errors.length,
      errors: errors.slice(0, LISTED),
      insufficient,
      insufficientShare: kept.length ? insufficient / kept.length : 0,
      mean,
      bands: Object.fromEntries(bandCounts),
      mappedMeasures: mapped,
      totalMeasures: measures.length,
      unmappedColumns,
      measuresWithoutColumn,
    };
  },

  /** Replaces the portfolio with the staged accounts and stores it. */
  async importCommit({ token }) {
    if (!staged) throw fail('nothing_staged', 'Check the mapping first: nothing is staged to import.');
    if (staged.token !== token || stamp(table, JSON.parse(token)[1]) !== token) {
      staged = null;
      throw fail('stale_preview', 'The file, the mapping or the model changed after the check: check the import again.');
    }
    const accounts = staged.accounts;
    staged = null;
    const problems = [];
    setPortfolio({ model: current.model, doc: current.doc, accounts, snapshots: [] });
    if (current.store) {
      try {
        await current.store.saveData('portfolio', { accounts, snapshots: [] });
      } catch (e) {
        problems.push(storageProblem(e, 'The imported portfolio'));
      }
    }
    return { overview: overview(), problems };
  },

  /** Forgets the file and anything staged. */
  importDiscard() {
    table = null;
    staged = null;
    return true;
  },
};
