// Matching a file's columns to a model's measures and to the account fields
// (id, name, segment, value), and describing each column (its inferred type
// and sample values). Plain JS with no DOM: the worker and Node tests use it.

/** A header or a measure id/label, compared without case, accents, spaces, `_`, `-` or `.`. */
export function normalise(text) {
  return String(text)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
export function distance(a, b) {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The names each account field is recognised by (normalised). */
export const FIELD_NAMES = {
  id: ['id', 'accountid', 'customerid', 'account', 'customer', 'clientid', 'companyid'],
  name: ['name', 'accountname', 'customername', 'company', 'companyname', 'client', 'clientname'],
  segment: ['segment', 'tier', 'plan', 'customersegment', 'accountsegment'],
  value: ['value', 'arr', 'acv', 'mrr', 'revenue', 'contractvalue', 'accountvalue'],
};

/** How far a near miss may be: one edit per six characters, at least one, only for names of 5 or more. */
const tolerance = (n) => (n < 5 ? 0 : Math.max(1, Math.floor(n / 6)));

/**
 * How well `header` names a target known by `names` (normalised): 3 exact,
 * 2 a near miss (a typo, a plural), 0 not at all; `distance` breaks ties.
 */
function closeness(header, names) {
  const h = normalise(header);
  if (h === '') return { rank: 0, distance: Infinity };
  let best = { rank: 0, distance: Infinity };
  for (const n of names) {
    if (n === '') continue;
    if (h === n) return { rank: 3, distance: 0 };
    const d = distance(h, n);
    if (d <= tolerance(Math.min(h.length, n.length)) && d < best.distance) best = { rank: 2, distance: d };
  }
  return best;
}

/**
 * Proposes a mapping of `header` onto the account fields and `measures`
 * (`[{ id, label }]`): `{ id, name, segment, value, measures: { measureId:
 * column } }`, each column used at most once, exact matches before near
 * misses. `outcome`, when given, is a column kept out of the mapping.
 */
export function proposeMapping(header, measures, { outcome } = {}) {
  const targets = [
    ...Object.entries(FIELD_NAMES).map(([field, names]) => ({ key: field, names })),
    ...measures.map((m) => ({ key: `measure:${m.id}`, names: [...new Set([normalise(m.id), normalise(m.label ?? m.id)])] })),
  ];
  const pairs = [];
  for (const t of targets) {
    for (const column of header) {
      if (column === outcome) continue;
      const c = closeness(column, t.names);
      if (c.rank > 0) pairs.push({ key: t.key, column, ...c });
    }
  }
  // Best first: exact before near, smaller distance first, measures before fields at a tie.
  pairs.sort((a, b) => b.rank - a.rank || a.distance - b.distance || Number(b.key.startsWith('measure:')) - Number(a.key.startsWith('measure:')));
  const mapping = { id: '', name: '', segment: '', value: '', measures: {} };
  const usedColumns = new Set();
  const done = new Set();
  for (const p of pairs) {
    if (usedColumns.has(p.column) || done.has(p.key)) continue;
    usedColumns.add(p.column);
    done.add(p.key);
    if (p.key.startsWith('measure:')) mapping.measures[p.key.slice(8)] = p.column;
    else mapping[p.key] = p.column;
  }
  return mapping;
}

/** The columns a mapping leaves unused, and the measures with no column. */
export function leftovers(header, measures, mapping, { outcome } = {}) {
  const used = new Set([mapping.id, mapping.name, mapping.segment, mapping.value, outcome, ...Object.values(mapping.measures)].filter(Boolean));
  return {
    unmappedColumns: header.filter((c) => !used.has(c)),
    measuresWithoutColumn: measures.filter((m) => !mapping.measures[m.id]).map((m) => m.id),
  };
}

const YES_NO = new Set(['true', 'false', 'yes', 'no', 'y', 'n']);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Describes each column from its first `limit` rows: `{ column, type,
 * samples, blanks, distinct }`, type one of number, yes/no, date, text,
 * empty. (What a cell means for a measure is the core's `rowToAccount`; this
 * is what the preview shows.)
 */
export function describeColumns(header, rows, limit = 1000) {
  return header.map((column, c) => {
    const seen = new Set();
    let blanks = 0;
    let numbers = 0;
    let flags = 0;
    let dates = 0;
    let filled = 0;
    for (const row of rows.slice(0, limit)) {
      const t = (row[c] ?? '').trim();
      if (t === '') {
        blanks++;
        continue;
      }
      filled++;
      if (seen.size < 50) seen.add(t);
      if (t !== '' && Number.isFinite(Number(t))) numbers++;
      if (YES_NO.has(t.toLowerCase())) flags++;
      if (ISO_DATE.test(t)) dates++;
    }
    const zeroOne = [...seen].every((v) => v === '0' || v === '1');
    let type = 'text';
    if (filled === 0) type = 'empty';
    else if (flags === filled) type = 'yes/no';
    else if (numbers === filled) type = zeroOne ? 'number (0/1)' : 'number';
    else if (dates === filled) type = 'date';
    return { column, type, samples: [...seen].slice(0, 3), blanks, distinct: seen.size >= 50 ? '50+' : String(seen.size) };
  });
}
