// Columns from the caller (`{ measureId: Float64Array | number[] }`) checked
// and written into the module's column staging memory.

/**
 * Checks `columns` against the model's measure `ids` (every check before any
 * memory is asked for), then writes them into the staging memory that
 * `acquire(rows)` returns; `pathOf(key)` writes a column's path (the
 * core's way). Returns `{ rows, given }` (`given[i]` is 1 where
 * measure `i` has a column).
 */
export function scoreColumnsInto(columns, ids, error, pathOf, acquire) {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    throw error('wrong_type', '', 'columns must be an object of Float64Array columns', 'pass { measureId: Float64Array, ... }');
  }
  let rows = -1;
  const given = new Uint8Array(ids.length);
  const cols = new Array(ids.length);
  const paths = new Array(ids.length);
  for (const key of Object.keys(columns)) {
    const i = ids.indexOf(key);
    const path = pathOf(key);
    if (i < 0) {
      throw error('unknown_measure', path, `the model has no measure \`${key}\``, `the measures are: ${ids.join(', ')}`);
    }
    const col = columns[key];
    if (col == null) continue;
    if (!(col instanceof Float64Array) && (typeof col !== 'object' || typeof col.length !== 'number')) {
      throw error('wrong_type', path, 'a column must be a Float64Array (or an array of numbers)', 'pass Float64Array.from(values)');
    }
    if (!Number.isSafeInteger(col.length) || col.length < 0) {
      throw error('wrong_type', `${path}.length`, 'a column length must be a whole number', 'pass a Float64Array or an array');
    }
    if (rows >= 0 && col.length !== rows) {
      throw error('column_length', path, `column \`${key}\` has ${col.length} rows, expected ${rows}`, 'give every column the same number of rows');
    }
    rows = col.length;
    given[i] = 1;
    cols[i] = col;
    paths[i] = path;
  }
  if (rows < 0) rows = 0;
  // Every cell of a given column is written; the others are not read.
  const buffer = acquire(rows);
  for (let i = 0; i < ids.length; i++) {
    if (!given[i]) continue;
    const col = cols[i];
    if (col instanceof Float64Array) {
      try {
        buffer.set(col, i * rows);
      } catch {
        // (set throws only on a detached buffer: a transferred one, or a
        // view of memory that grew since)
        throw error('wrong_type', paths[i], 'the column\'s buffer is detached (transferred, or a view of memory that has grown)', 'pass a column whose buffer is still usable, e.g. a copy: Float64Array.from(column)');
      }
      continue;
    }
    for (let r = 0; r < rows; r++) {
      const x = col[r];
      if (typeof x === 'number') buffer[i * rows + r] = x;
      else if (x == null) buffer[i * rows + r] = NaN;
      else throw error('not_a_number', `${paths[i]}[${r}]`, `a column holds ${typeof x}`, 'columns hold numbers only (NaN or null for missing, 1/0 for flags)');
    }
  }
  return { rows, given };
}
