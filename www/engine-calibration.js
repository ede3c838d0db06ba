// The engine's calibration: a labelled CSV (past accounts and whether they
// churned) → a model suggested from it (`HealthModel.suggestAsync`, with
// progress and cancel) side by side with the saved model's backtest on the
// same file, and a fit of the saved model's weights. Runs in the worker.
import { HealthModel } from '/pkg/index.browser.mjs';
import { proposeMapping, describeColumns } from './mapping.js';
import { readTable } from './engine-import.js';
import { current, labels } from './engine-portfolio.js';

let table = null;

const fail = (code, message, help = '') => Object.assign(new Error(message), { code, help });

/** The column most likely to be the outcome: named like churn, else the last. */
function guessOutcome(header) {
  return header.find((c) => /churn/i.test(c)) ?? header.find((c) => /^(outcome|status|cancel+ed|lost|left)$/i.test(c)) ?? header[header.length - 1];
}

/** The distinct values of a column (the first 20), and the one most likely to mean churned. */
function outcomeValues(column) {
  const c = table.header.indexOf(column);
  if (c < 0) throw fail('unknown_column', `“${column}” is not a column of this file.`);
  const seen = new Map();
  for (const row of table.rows) {
    const v = (row[c] ?? '').trim();
    if (v !== '') seen.set(v, (seen.get(v) ?? 0) + 1);
    if (seen.size > 20) break;
  }
  const values = [...seen.keys()];
  const churned = values.find((v) => /^(yes|true|1|churn(ed)?|y|lost|cancel+ed)$/i.test(v)) ?? values[0] ?? '';
  const filled = [...seen.values()].reduce((a, b) => a + b, 0);
  // Each value's share of the filled cells (to say when "churned" looks like the majority).
  const shares = Object.fromEntries([...seen].map(([v, n]) => [v, filled ? n / filled : 0]));
  return { values, churned, distinct: seen.size, shares };
}

/** The file's columns, renamed and picked: `{ newName: column }` → columns of cells. */
function columns(t, pick) {
  const out = {};
  for (const [name, column] of Object.entries(pick)) {
    const c = t.header.indexOf(column);
    if (c < 0) throw fail('unknown_column', `“${column}” is not a column of this file.`);
    out[name] = t.rows.map((r) => r[c] ?? '');
  }
  return out;
}

/** The saved model's measures mapped onto the file, or an error in the user's words. */
function currentColumns(t, { mapping, outcome, idColumn }) {
  // The id and outcome columns are never a measure's column.
  const measures = Object.entries(mapping ?? {}).filter(([, c]) => c && c !== idColumn && c !== outcome.column);
  const count = current.model.measureIds.length;
  if (measures.length === 0) {
    throw fail('nothing_mapped', `None of the model's ${count} measures is a column of this file.`, 'Map the columns that hold the measures below, or build a model from this file instead.');
  }
  const pick = Object.fromEntries(measures);
  pick[outcome.column] = outcome.column;
  if (idColumn) pick[idColumn] = idColumn;
  return columns(t, pick);
}

const outcomeOf = ({ column, churnedWhen }) => ({ column, churnedWhen });

/** The saved model's backtest on a file, its measures taken from the mapped columns. */
async function backtest(t, { outcome, idColumn, mapping }, signal) {
  const cols = currentColumns(t, { mapping, outcome, idColumn });
  return JSON.parse(JSON.stringify(await current.model.backtestAsync(cols, { outcome: outcomeOf(outcome), idColumn: idColumn || null, signal })));
}

export const calibrationOps = {
  /** Reads a labelled file: its columns, the outcome guessed, and the saved model's measures mapped. */
  async calRead({ file }) {
    table = await readTable(file);
    const measures = [...labels()].map(([id, label]) => ({ id, label }));
    const outcome = guessOutcome(table.header);
    const mapping = proposeMapping(table.header, measures, { outcome });
    return {
      name: table.name,
      rows: table.rows.length,
      emptyRows: table.emptyRows,
      separator: table.separator,
      decimalCommas: table.decimalCommas,
      encoding: table.encoding,
      header: table.header,
      columns: describeColumns(table.header, table.rows),
      outcome,
      outcomeValues: outcomeValues(outcome),
      idColumn: mapping.id,
      measures,
      mapping: mapping.measures,
    };
  },

  calValues({ column }) {
    if (!table) throw fail('no_file', 'Choose a labelled file first.');
    return outcomeValues(column);
  },

  /**
   * Suggests a model from the file (every column but the outcome, the id
   * and those skipped; `keep` used against the checks, `notActionable`
   * never a lever), and backtests the saved model on the same file.
   */
  async suggest({ outcome, idColumn, mapping, skip = [], keep = [], notActionable = [] }, { progress, signal }) {
    const t = table;
    if (!t) throw fail('no_file', 'Choose a labelled file first.');
    const pick = {};
    for (const c of t.header) if (!skip.includes(c)) pick[c] = c;
    const suggestion = await HealthModel.suggestAsync(columns(t, pick), {
      outcome: outcomeOf(outcome),
      idColumn: idColumn || null,
      modelId: 'suggested',
      keep,
      notActionable,
      onProgress: (p) => progress(p),
      signal,
    });
    let saved = null;
    let savedProblem = null;
    try {
      saved = await backtest(t, { outcome, idColumn, mapping }, signal);
    } catch (e) {
      savedProblem = { code: e.code, message: e.message, help: e.help ?? '' };
    }
    return { suggestion: JSON.parse(JSON.stringify(suggestion)), saved, savedProblem };
  },

  /** Fits the saved model's weights on the file (same mapping): before, after and the fitted document. */
  async fitCurrent({ outcome, idColumn, mapping }, { progress, signal }) {
    const t = table;
    if (!t) throw fail('no_file', 'Choose a labelled file first.');
    const cols = currentColumns(t, { mapping, outcome, idColumn });
    const fit = await current.model.fitAsync(cols, { outcome: outcomeOf(outcome), idColumn: idColumn || null, onProgress: (p) => progress(p), signal });
    return JSON.parse(JSON.stringify(fit));
  },
};
