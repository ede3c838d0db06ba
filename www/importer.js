// Import: pick or drop a CSV, map its columns to measures, parse and score it
// in a worker with a progress bar, and list the rows left out.
import { $, h, clear } from './dom.js';
import { parseCsv } from './csv.js';
import { state, setAccounts, show } from './app.js';

let text = '';

export function setupImport() {
  const drop = $('#drop');
  $('#file').addEventListener('change', (e) => e.target.files[0] && read(e.target.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files[0]) read(e.dataTransfer.files[0]);
  });
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter') $('#file').click(); });
  $('#run-import').addEventListener('click', run);
}

async function read(file) {
  text = await file.text();
  const { header } = parseCsv(text.slice(0, 65536).split(/\r?\n/)[0] + '\n');
  const measures = state.model.measureIds;
  const guess = (want) => header.find((c) => c.toLowerCase() === want.toLowerCase()) ?? '';
  const tbody = clear($('#mapping-table tbody'));
  const fields = [['id', 'Account id'], ['name', 'Name'], ['segment', 'Segment'], ['value', 'Value (ARR)'], ...measures.map((m) => [`measure:${m}`, `Measure ${m}`])];
  for (const [key, label] of fields) {
    const sel = h('select', { 'data-field': key, 'aria-label': label }, h('option', { value: '' }, '(none)'), ...header.map((c) => h('option', { value: c }, c)));
    sel.value = guess(key.replace(/^measure:/, ''));
    tbody.append(h('tr', {}, h('td', {}, label), h('td', {}, sel)));
  }
  $('#mapping').hidden = false;
  $('#import-status').textContent = `${file.name}: ${header.length} columns. Check the mapping, then import.`;
}

function run() {
  const mapping = { measures: {} };
  for (const sel of document.querySelectorAll('#mapping-table select')) {
    const f = sel.dataset.field;
    if (f.startsWith('measure:')) {
      if (sel.value) mapping.measures[f.slice(8)] = sel.value;
    } else mapping[f] = sel.value;
  }
  const progress = $('#import-progress');
  progress.hidden = false;
  progress.value = 0;
  const errorsBody = clear($('#import-errors tbody'));
  const worker = new Worker('/www/worker.js', { type: 'module' });
  worker.onmessage = ({ data }) => {
    if (data.type === 'progress') {
      progress.max = data.total || 1;
      progress.value = data.done;
      $('#import-status').textContent = `Scoring… ${data.done} of ${data.total} rows`;
    } else if (data.type === 'done') {
      worker.terminate();
      for (const e of data.errors.slice(0, 200)) {
        errorsBody.append(h('tr', {}, h('td', {}, String(e.row)), h('td', {}, h('code', {}, e.path)), h('td', {}, `${e.code}: ${e.message}`)));
      }
      $('#import-status').textContent = `${data.accounts.length} of ${data.total} rows imported; ${data.errors.length} problems${data.errors.length > 200 ? ' (first 200 listed)' : ''}.`;
      if (data.accounts.length > 0) {
        setAccounts(data.accounts);
        $('#import-status').append(' ', h('button', { onclick: () => show('portfolio') }, 'Show the portfolio'));
      }
    } else {
      worker.terminate();
      $('#import-status').textContent = `Import failed (${data.code}): ${data.message}`;
    }
  };
  worker.postMessage({ text, model: state.doc, mapping });
}
