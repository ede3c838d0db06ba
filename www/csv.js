// CSV in and out (RFC 4180: quoted fields, doubled quotes, CRLF or LF), with
// the separator detected from the header line (`,` `;` or tab). Plain JS with
// no DOM: the page's worker and Node tests import it.

/** The separators a file may use, in the order ties are broken. */
export const SEPARATORS = [',', ';', '\t'];

/**
 * The separator of a CSV text: the one that splits the first line (outside
 * quotes) into the most fields; `,` when none does.
 */
export function detectSeparator(text) {
  const counts = new Map(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c) + 1);
  }
  let best = ',';
  for (const s of SEPARATORS) if (counts.get(s) > counts.get(best)) best = s;
  return best;
}

/**
 * Parses CSV text into `{ header, rows, lines, separator, emptyRows }`:
 * rows of strings and the file line each row starts on (1 is the header);
 * rows whose fields are all blank are skipped and counted. The separator is
 * detected unless given. A quote that is never closed throws an error with
 * `code` "unterminated_quote" and the `line` it opened on.
 */
export function parseCsv(text, separator = detectSeparator(text)) {
  const rows = [];
  const starts = [];
  let row = [];
  let emptyRows = 0;
  let line = 1; // the line the current position is on
  let rowLine = 1; // the line the current row started on
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first name
  const n = text.length;
  const sep = separator.charCodeAt(0);
  const endRow = () => {
    if (row.every((f) => f.trim() === '')) emptyRows++;
    else {
      rows.push(row);
      starts.push(rowLine);
    }
    row = [];
  };
  // Newlines inside a quoted field move the line on, not the row.
  const count = (from, to) => {
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) line++;
  };
  while (i <= n) {
    if (i === n) {
      if (row.length > 0) {
        row.push('');
        endRow();
      }
      break;
    }
    let field;
    if (text.charCodeAt(i) === 34) {
      // A quoted field: up to the closing quote, doubled quotes are one.
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          // The rest of the file would silently become one field.
          throw Object.assign(new Error(`a quote opened on line ${line} is never closed, so the rest of the file would be read as one cell: close it, or remove the stray quote`), { code: 'unterminated_quote', line });
        }
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      count(i, j);
      // Anything between the closing quote and the separator is kept.
      let k = j;
      while (k < n && text.charCodeAt(k) !== sep && text.charCodeAt(k) !== 10 && text.charCodeAt(k) !== 13) k++;
      field = out + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n && text.charCodeAt(k) !== sep && text.charCodeAt(k) !== 10 && text.charCodeAt(k) !== 13) k++;
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) {
      endRow();
      break;
    }
    const c = text.charCodeAt(i);
    if (c === sep) {
      i++;
      if (i === n) {
        row.push('');
        endRow();
        break;
      }
    } else {
      i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
      endRow();
      line++;
      rowLine = line;
    }
  }
  const [header = [], ...body] = rows;
  return { header: header.map((h) => h.trim()), rows: body, lines: starts.slice(1), separator, emptyRows };
}

/** Writes rows as CSV; cells that a spreadsheet would run as a formula get a leading apostrophe. */
export function toCsv(header, rows) {
  const cell = (v) => {
    let t = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(t) && Number.isNaN(Number(t))) t = `'${t}`;
    return /[",\n\r]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
