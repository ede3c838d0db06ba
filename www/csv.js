// CSV in and out (RFC 4180: quoted fields, doubled quotes, CRLF or LF).

/** Parses CSV text into { header, rows } of strings. */
export function parseCsv(text) {
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
  const nonEmpty = rows.filter((r) => r.length > 1 || r[0] !== '');
  const [header = [], ...body] = nonEmpty;
  return { header: header.map((h) => h.trim()), rows: body };
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

/** A CSV cell as a measure's value, by rule type (blank is missing). */
export function cellValue(ruleType, text) {
  const t = (text ?? '').trim();
  if (t === '') return null;
  if (ruleType === 'flag') {
    const v = t.toLowerCase();
    if (['true', 'yes', '1', 'y'].includes(v)) return true;
    if (['false', 'no', '0', 'n'].includes(v)) return false;
    return t;
  }
  if (ruleType === 'match') return t;
  const x = Number(t);
  return Number.isNaN(x) ? t : x;
}
