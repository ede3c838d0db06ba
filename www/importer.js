// Import: pick or drop a CSV; the engine reads it (separator detected, blank
// rows skipped) and proposes a mapping of its columns; the user checks the
// mapping with a preview of types and sample values, then the engine builds
// and scores every account with progress (staged); the portfolio is replaced
// only when the user confirms.
import { $, h, clear } from './dom.js';
import { ask, fileArgs } from './client.js';
import { state, on, emit, banner } from './state.js';

let file = null;
let job = null;
let token = null; // what the preview on screen was built from

export function setupImport() {
  $('#import-limit').textContent = `${state.limits.bytes / 1048576} MB or ${state.limits.rows.toLocaleString('en-US')} rows`;
  const drop = $('#drop');
  $('#file').addEventListener('change', (e) => {
    const f = e.target.files[0];
    // Cleared, so that choosing the same file again (fixed in a spreadsheet) reads it again.
    e.target.value = '';
    if (f) read(f);
  });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) read(e.dataTransfer.files[0]);
  });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter') $('#file').click(); });
  $('#check-import').addEventListener('click', preview);
  $('#cancel-import').addEventListener('click', () => job?.cancel());
  $('#confirm-import').addEventListener('click', commit);
  $('#discard-import').addEventListener('click', discard);
  // Another view hands a file over (calibration, after adopting a model built from it).
  // The id column chosen there is the import's account id (the rows are
  // not numbered row-2, row-3, … when calibration knew the ids).
  on('import-file', ({ file: f, idColumn }) => {
    location.hash = '#/import';
    read(f, { idColumn });
  });
}


const status = (text) => { $('#import-status').textContent = text; };
const SEPARATOR_NAMES = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };

/** Takes the preview off screen: it no longer shows what would be imported. */
function dropPreview() {
  if (job) {
    job.cancel();
    job = null;
    $('#import-progress-row').hidden = true;
    $('#check-import').disabled = false;
  }
  token = null;
  $('#import-preview').hidden = true;
}

async function read(f, { idColumn } = {}) {
  file = f;
  dropPreview();
  $('#mapping').hidden = true;
  clear($('#import-errors tbody'));
  status(`Reading ${f.name}…`);
  let d;
  try {
    const args = await fileArgs(f, state.limits.bytes);
    d = await ask('importRead', args, { transfer: [args.file.bytes] });
  } catch (e) {
    status(`${f.name} cannot be imported (${e.code}): ${e.message}`);
    return;
  }
  if (idColumn && d.columns.some((c) => c.column === idColumn)) d.mapping.id = idColumn;
  const types = new Map(d.columns.map((c) => [c.column, c]));
  const tbody = clear($('#mapping-table tbody'));
  const fields = [['id', 'Account id'], ['name', 'Name'], ['segment', 'Segment'], ['value', 'Value (ARR)'], ...d.measures.map((m) => [`measure:${m.id}`, `Measure: ${m.label}`])];
  for (const [key, label] of fields) {
    const current = key.startsWith('measure:') ? d.mapping.measures[key.slice(8)] ?? '' : d.mapping[key];
    const sel = h('select', { 'data-field': key, 'aria-label': label }, h('option', { value: '' }, '(none)'), ...d.columns.map((c) => h('option', { value: c.column }, c.column)));
    sel.value = current;
    const info = () => {
      const c = types.get(sel.value);
      row.querySelector('.type').textContent = c ? c.type + (c.blanks ? `, ${c.blanks} blank` : '') : '';
      row.querySelector('.samples').textContent = c ? c.samples.join(' · ') : '';
    };
    const row = h('tr', { 'data-field': key },
      h('td', { 'data-label': 'Field' }, label),
      h('td', { 'data-label': 'Column' }, sel),
      h('td', { 'data-label': 'Type in the file', class: 'type' }),
      h('td', { 'data-label': 'Sample values', class: 'samples wrap' }));
    sel.addEventListener('change', () => {
      info();
      leftovers(d);
      if (token) {
        dropPreview();
        status('The mapping changed: check the import again.');
      }
    });
    tbody.append(row);
    info();
  }
  leftovers(d);
  $('#mapping').hidden = false;
  const mapped = Object.keys(d.mapping.measures).length;
  $('#mapping-summary').textContent = `${d.name}: ${d.rows} rows, ${d.columns.length} columns separated by ${SEPARATOR_NAMES[d.separator]}${d.emptyRows ? `; ${d.emptyRows} blank row${d.emptyRows === 1 ? '' : 's'} skipped` : ''}${shortRows(d.shortRows)}${d.decimalCommas ? `; ${d.decimalCommas} numbers with a decimal comma read as numbers` : ''}${d.encoding ? `; read as ${d.encoding} (not UTF-8)` : ''}. ${mapped} of the model's ${d.measures.length} measures matched a column by name.`;
  status(`Check the mapping (types and samples are from the first ${Math.min(d.rows, 1000).toLocaleString('en-US')} rows), then check the import.`);
}

/** Rows with fewer cells than the header, in words (their lines, the first few). */
function shortRows({ count, lines }) {
  if (!count) return '';
  const more = count > lines.length ? `, …` : '';
  return `; ${count} row${count === 1 ? '' : 's'} with fewer cells than the header (line${count === 1 ? '' : 's'} ${lines.join(', ')}${more}): the missing cells are read as blank, not shifted`;
}

function mapping() {
  const m = { id: '', name: '', segment: '', value: '', measures: {} };
  for (const sel of document.querySelectorAll('#mapping-table select')) {
    const f = sel.dataset.field;
    if (f.startsWith('measure:')) {
      if (sel.value) m.measures[f.slice(8)] = sel.value;
    } else m[f] = sel.value;
  }
  return m;
}

function leftovers(d) {
  const m = mapping();
  const used = new Set([m.id, m.name, m.segment, m.value, ...Object.values(m.measures)].filter(Boolean));
  const unused = d.columns.map((c) => c.column).filter((c) => !used.has(c));
  const without = d.measures.filter((x) => !m.measures[x.id]).map((x) => x.label);
  $('#mapping-leftovers').textContent = [
    unused.length ? `Columns not used (${unused.length}): ${unused.join(', ')}.` : 'Every column is used.',
    without.length ? `Measures with no column (${without.length}): ${without.join(', ')}.` : 'Every measure has a column.',
  ].join(' ');
}

async function preview() {
  const row = $('#import-progress-row');
  const progress = $('#import-progress');
  row.hidden = false;
  progress.value = 0;
  $('#check-import').disabled = true;
  const errorsBody = clear($('#import-errors tbody'));
  job = ask('importPreview', { mapping: mapping() }, {
    onProgress: (p) => {
      progress.max = p.total || 1;
      progress.value = p.done;
      status(p.phase === 'scoring' ? `Scoring ${p.total} accounts…` : `Reading… ${p.done} of ${p.total} rows`);
    },
  });
  let r;
  const mine = job;
  try {
    r = await mine;
  } catch (e) {
    if (job !== mine) return; // a newer file or check took over
    status(e.code === 'cancelled' ? 'Cancelled: nothing was imported.' : `The import cannot go on (${e.code}): ${e.message}`);
    return;
  } finally {
    if (job === mine) {
      row.hidden = true;
      $('#check-import').disabled = false;
      job = null;
    }
  }
  token = r.token;
  if (r.errors.length === 0) errorsBody.append(h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'None.')));
  for (const e of r.errors) {
    errorsBody.append(h('tr', {}, h('td', { 'data-label': 'Row' }, String(e.row)), h('td', { 'data-label': 'Column' }, h('code', {}, e.path)), h('td', { 'data-label': 'Why', class: 'wrap' }, `${e.code}: ${e.message}`)));
  }
  const listed = r.errorCount > r.errors.length ? ` (first ${r.errors.length} listed below)` : '';
  const problems = r.errorCount > r.errorRows ? ` (${r.errorCount} problems)` : '';
  status(`${r.accounts} of ${r.rows} rows are ready to import; ${r.errorRows} left out${problems}${listed}${r.emptyRows ? `; ${r.emptyRows} blank rows skipped` : ''}. Mean score ${r.mean === null ? '—' : r.mean.toFixed(1)}; ${r.insufficient} with insufficient data.`);
  const warn = $('#import-warning');
  const warnings = [];
  if (r.mappedMeasures === 0) warnings.push(`None of the model's ${r.totalMeasures} measures has a column: every account would have insufficient data.`);
  else if (r.insufficientShare > 0.5) warnings.push(`${(100 * r.insufficientShare).toFixed(0)} % of the accounts would have insufficient data (only ${r.mappedMeasures} of the model's ${r.totalMeasures} measures ${r.mappedMeasures === 1 ? 'has' : 'have'} a column). Map more columns, or build a model from this file on the Calibration view.`);
  warn.textContent = warnings.join(' ');
  warn.hidden = warnings.length === 0;
  $('#confirm-import').textContent = warnings.length ? `Import anyway: replace the portfolio with ${r.accounts} accounts` : `Replace the portfolio with ${r.accounts} accounts`;
  $('#confirm-import').disabled = r.accounts === 0;
  $('#import-preview').hidden = false;
  $('#import-status').focus();
}

async function commit() {
  $('#confirm-import').disabled = true;
  try {
    const r = await ask('importCommit', { token });
    token = null;
    emit('overview', r.overview);
    for (const p of r.problems) banner(p.message);
    status(`Imported: the portfolio now holds ${r.overview.accounts} accounts from ${file?.name ?? 'the file'}.`);
    $('#import-preview').hidden = true;
    const link = h('a', { href: '#/portfolio' }, 'Show the portfolio');
    $('#import-status').append(' ', link);
    link.focus();
  } catch (e) {
    token = null;
    $('#import-preview').hidden = true;
    status(`The import failed (${e.code}): ${e.message} The portfolio is unchanged.`);
  }
}

async function discard() {
  dropPreview();
  await ask('importDiscard');
  $('#import-preview').hidden = true;
  $('#mapping').hidden = true;
  status('Discarded: the portfolio is unchanged.');
}
