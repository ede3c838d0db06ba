// CSV out: the page's export (the library reads CSV; writing one is the
// page's own small job). Plain JS with no DOM: the worker and Node tests
// import it.

/** Writes rows as CSV; cells that a spreadsheet would run as a formula get a leading apostrophe. */
export function toCsv(header, rows) {
  const cell = (v) => {
    let t = v === null || v === undefined ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(t) && Number.isNaN(Number(t))) t = `'${t}`;
    return /[",\n\r]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
