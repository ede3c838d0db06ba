// Calibration: a labelled CSV → outcome and id columns → a model suggested
// from it (in the engine, with progress and cancel) side by side with the
// saved model on the same file → adopt it; or backtest and fit the saved
// model with its measures mapped onto the file's columns.
import { $, h, clear, paint, pct } from './dom.js';
import { rocChart } from './charts.js';
import { ask, fileArgs } from './client.js';
import { state, emit, banner } from './state.js';
import { saveModel } from './saving.js';

let info = null;
let file = null;
let job = null;
let suggested = null; // { doc, file, idColumn }: the suggestion, the file it was built from and its id column
let fitted = null;
// The CS lead's choices of columns for the next build, kept while the file
// stays: columns left out, columns kept against the library's checks, and
// measures no CSM can change (in the score, never a lever).
let choice = { skip: new Set(), keep: new Set(), notActionable: new Set() };

export function setupCalibration() {
  $('#cal-file').addEventListener('change', async (e) => {
    // A cancelled file dialog leaves the last file in place.
    if (!e.target.files[0]) return;
    file = e.target.files[0];
    e.target.value = ''; // so that the same file, fixed, can be chosen again
    job?.cancel();
    suggested = null;
    choice = { skip: new Set(), keep: new Set(), notActionable: new Set() };
    const notes = clear($('#cal-notes'));
    $('#cal-compare').hidden = true;
    $('#cal-result').hidden = true;
    try {
      const args = await fileArgs(file, state.limits.bytes);
      info = await ask('calRead', args, { transfer: [args.file.bytes] });
    } catch (err) {
      $('#cal-setup').hidden = true;
      notes.append(h('li', {}, `${file.name} cannot be read (${err.code}): ${err.message}`));
      return;
    }
    const found = info.measures.filter((m) => info.mapping[m.id]);
    const seps = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' };
    $('#cal-file-info').textContent = `${info.name}: ${info.rows} rows, ${info.header.length} columns separated by ${seps[info.separator]}${info.emptyRows ? `; ${info.emptyRows} blank rows skipped` : ''}${info.decimalCommas ? `; ${info.decimalCommas} numbers with a decimal comma read as numbers` : ''}${info.encoding ? `; read as ${info.encoding} (not UTF-8)` : ''}. `
      + (found.length === 0
        ? `None of the saved model's ${info.measures.length} measures is a column of this file: build a model from it, or map the measures below.`
        : `${found.length} of the saved model's ${info.measures.length} measures ${found.length === 1 ? 'is a column' : 'are columns'} of this file (${found.map((m) => m.label).join(', ')}); check them below.`);
    const options = (sel, values, chosen, none) => {
      clear(sel).append(...(none ? [h('option', { value: '' }, none)] : []), ...values.map((v) => h('option', { value: v }, v)));
      sel.value = chosen ?? '';
    };
    options($('#cal-outcome'), info.header, info.outcome);
    options($('#cal-id'), info.header, info.idColumn, '(none)');
    churnedValues(info.outcomeValues);
    const body = clear($('#cal-mapping tbody'));
    for (const m of info.measures) {
      const sel = h('select', { 'data-measure': m.id, 'aria-label': `Column of ${m.label}` });
      options(sel, info.header, info.mapping[m.id] ?? '', '(none)');
      body.append(h('tr', {}, h('td', { 'data-label': 'Measure' }, m.label), h('td', { 'data-label': 'Column' }, sel)));
    }
    $('#cal-setup').hidden = false;
  });
  // (the outcome and the id are not columns of the table the library reads:
  // choices made for them, or for a column that becomes one, would name a
  // column it does not know)
  $('#cal-id').addEventListener('change', () => { choice = { skip: new Set(), keep: new Set(), notActionable: new Set() }; });
  $('#cal-outcome').addEventListener('change', () => {
    choice = { skip: new Set(), keep: new Set(), notActionable: new Set() };
    ask('calValues', { column: $('#cal-outcome').value }).then(churnedValues, (e) => banner(`The outcome column cannot be read (${e.code}): ${e.message}`));
  });
  $('#cal-churned').addEventListener('change', checkOutcome);
  $('#cal-suggest').addEventListener('click', suggest);
  $('#cal-rebuild').addEventListener('click', () => {
    readChoices();
    suggest();
  });
  $('#cal-run').addEventListener('click', fit);
  $('#cal-cancel').addEventListener('click', () => job?.cancel());
  $('#cal-adopt').addEventListener('click', adopt);
  $('#cal-draft').addEventListener('click', () => {
    if (suggested) toDraft(suggested.doc);
  });
  $('#cal-apply').addEventListener('click', () => {
    if (fitted) toDraft(fitted);
  });
}

let outcome = null; // the outcome column's values and their shares

function churnedValues(o) {
  outcome = o;
  const sel = clear($('#cal-churned'));
  for (const v of o.values) sel.append(h('option', { value: v }, v));
  sel.value = o.churned;
  checkOutcome();
}

/** Says what is odd about the outcome chosen, and keeps the buttons off when it cannot work. */
function checkOutcome() {
  const notes = clear($('#cal-notes'));
  const o = outcome;
  const two = o && o.distinct === 2;
  for (const b of ['#cal-suggest', '#cal-run']) $(b).disabled = !two;
  if (!o) return;
  if (o.distinct > 2) notes.append(h('li', {}, `The outcome column has ${o.distinct > 20 ? 'more than 20' : o.distinct} values; an outcome has two (churned or not). Choose another column.`));
  else if (o.distinct < 2) notes.append(h('li', {}, 'The outcome column has only one value: every account churned, or none did. Choose another column, or a file with both.'));
  const share = o.shares?.[$('#cal-churned').value] ?? 0;
  if (two && share > 0.5) notes.append(h('li', {}, `${(100 * share).toFixed(1)} % of the rows have “${$('#cal-churned').value}”: is that really the value that means churned?`));
}

function toDraft(doc) {
  emit('draft', JSON.stringify(doc, null, 2));
  location.hash = '#/model';
}

const settings = () => ({
  outcome: { column: $('#cal-outcome').value, churnedWhen: $('#cal-churned').value },
  idColumn: $('#cal-id').value,
  mapping: Object.fromEntries([...document.querySelectorAll('#cal-mapping select')].filter((s) => s.value).map((s) => [s.dataset.measure, s.value])),
  // (a column left out is not in the table the library reads: keeping it
  // or marking it would name a column it does not know)
  ...chosen([$('#cal-outcome').value, $('#cal-id').value]),
});

/** The choices of columns, without the outcome and id columns (`taken`). */
function chosen(taken) {
  const free = (c) => !taken.includes(c);
  return {
    skip: [...choice.skip].filter(free),
    keep: [...choice.keep].filter((c) => free(c) && !choice.skip.has(c)),
    notActionable: [...choice.notActionable].filter((c) => free(c) && !choice.skip.has(c)),
  };
}

/** Runs a job with the progress bar and cancel button; null when it failed (said in the notes). */
async function withProgress(op, args) {
  const row = $('#cal-progress-row');
  const bar = $('#cal-progress');
  row.hidden = false;
  bar.value = 0;
  $('#cal-phase').textContent = 'Starting…';
  for (const b of ['#cal-suggest', '#cal-run', '#cal-rebuild']) $(b).disabled = true;
  job = ask(op, args, {
    onProgress: (p) => {
      bar.max = p.total || 1;
      bar.value = p.done;
      $('#cal-phase').textContent = `${p.phase}: ${p.done} of ${p.total}`;
    },
  });
  try {
    return await job;
  } catch (e) {
    $('#cal-notes').append(h('li', {}, e.code === 'cancelled' ? 'Cancelled.' : `${e.message}${e.help ? ` ${e.help}` : ''} (${e.code})`));
    return null;
  } finally {
    job = null;
    row.hidden = true;
    for (const b of ['#cal-suggest', '#cal-run', '#cal-rebuild']) $(b).disabled = !(outcome && outcome.distinct === 2);
  }
}

const num = (x, digits = 3) => (x === null || x === undefined ? '—' : x.toFixed(digits));

async function suggest() {
  clear($('#cal-notes'));
  $('#cal-compare').hidden = true;
  const s = settings();
  const from = file;
  const r = await withProgress('suggest', s);
  if (!r || from !== file) return;
  const { suggestion, saved, savedProblem } = r;
  suggested = { doc: suggestion.model, file: from, idColumn: s.idColumn };
  const sb = suggestion.backtest;
  const body = clear($('#cal-compare-table tbody'));
  const line = (label, a, b, key) => body.append(h('tr', { 'data-row': key }, h('td', { 'data-label': 'Measure of quality' }, label), h('td', { class: 'num suggested', 'data-label': 'Suggested' }, a), h('td', { class: 'num saved', 'data-label': 'Saved' }, b)));
  // Under a model whose measures are not in the file, every row has insufficient data: its figures mean nothing.
  const none = state.overview.bands.at(-1).id;
  const savedUsable = saved && saved.bands.some((b) => b.band !== none && b.count > 0);
  const savedText = (x) => (!saved ? '—' : !savedUsable ? '— (no row has enough data)' : x);
  line('ROC AUC (1 is perfect, 0.5 is chance)', num(sb.auc), savedText(num(saved?.auc)), 'auc');
  line('Churn in the lowest-scored 10 % ÷ overall churn', sb.topDecileLift == null ? '—' : `${sb.topDecileLift.toFixed(2)}×`, savedText(saved?.topDecileLift == null ? '—' : `${saved.topDecileLift.toFixed(2)}×`), 'lift');
  line('Rows judged', `${suggestion.testRows} held out`, saved ? `${saved.rows ?? saved.bands.reduce((a, b) => a + b.count, 0)}` : '—', 'rows');
  clear($('#cal-notes'));
  if (savedProblem) $('#cal-notes').append(h('li', {}, `The saved model: ${savedProblem.message} ${savedProblem.help}`));
  // What to know before adopting it, as the library says it: leaks first
  // (a perfect AUC is a warning, not a success), then ids, then reversed
  // effects; and why there are fewer bands than asked for.
  // Several reversed effects are one line (Telco has five).
  const order = { leak: 0, id_like: 1 };
  const warnings = suggestion.warnings ?? [];
  for (const w of warnings.filter((x) => x.code !== 'reversed').sort((a, b) => (order[a.code] ?? 2) - (order[b.code] ?? 2))) {
    $('#cal-notes').append(h('li', { class: w.code === 'leak' ? 'warn' : '', 'data-warning': w.code, 'data-column': w.column }, h('strong', {}, w.code === 'leak' ? 'Likely leak: ' : w.code === 'id_like' ? 'An id: ' : 'Check: '), ...inline(`${w.message}. ${w.help[0].toUpperCase()}${w.help.slice(1)}.`)));
  }
  const reversed = warnings.filter((x) => x.code === 'reversed');
  if (reversed.length === 1) {
    const [w] = reversed;
    $('#cal-notes').append(h('li', { 'data-warning': 'reversed', 'data-column': w.column }, h('strong', {}, 'Reversed: '), ...inline(`${w.message}. ${w.help[0].toUpperCase()}${w.help.slice(1)}.`)));
  } else if (reversed.length > 1) {
    const names = reversed.map((w) => `\`${w.column}\``).join(', ');
    $('#cal-notes').append(h('li', { 'data-warning': 'reversed', 'data-columns': JSON.stringify(reversed.map((w) => w.column)) }, h('strong', {}, `Reversed (${reversed.length}): `),
      ...inline(`with the other columns in the model, the own effects of ${names} reverse: their points follow what they add to the others, not their own churn rates. Each is likely carried by a related column (a total and its parts, two counts of one thing); leave one of them out for points that read as its churn rates.`)));
  }
  if (suggestion.bands.note) $('#cal-notes').append(h('li', { 'data-warning': 'bands' }, suggestion.bands.note));
  $('#cal-notes').append(h('li', { class: 'muted' }, `Built from ${suggestion.trainRows} rows, judged on ${suggestion.testRows} held-out rows it never saw; the saved model is judged on every row of the file. ${suggestion.errors.length} rows left out.`));
  const roc = clear($('#cal-compare-roc'));
  roc.append(rocChart(sb.roc, 260, savedUsable ? saved.roc : null));
  roc.append(h('p', { class: 'muted' }, savedUsable ? 'Blue: suggested model. Orange, dashed: saved model.' : 'Blue: suggested model.'));
  const bands = clear($('#cal-compare-bands'));
  bands.append(bandTable('Suggested', sb.bands, suggestion.model.bands), saved ? bandTable('Saved', saved.bands, state.overview.bands) : '');
  columnChoices(suggestion);
  $('#cal-compare').hidden = false;
  $('#cal-compare-heading').focus();
}

/**
 * Every column of the last build with what the next one does with it: used
 * or not (a likely leak unticked, so the next build leaves it out unless
 * ticked again), whether a CSM can change it, and why (the library's
 * warning or note; "left out by you" for a column unticked before).
 */
function columnChoices(suggestion) {
  const warned = new Map();
  for (const w of suggestion.warnings ?? []) if (!warned.has(w.column)) warned.set(w.column, w);
  const mine = [...choice.skip].map((column) => ({ column, used: false, note: 'left out by you', skipped: true }));
  const body = clear($('#cal-columns tbody'));
  for (const c of [...suggestion.columns, ...mine]) {
    const w = warned.get(c.column);
    const leak = w?.code === 'leak' && !choice.keep.has(c.column);
    const use = h('input', { type: 'checkbox', 'data-use': c.column, 'aria-label': `Use ${c.column}` });
    use.checked = c.used && !leak;
    const act = h('input', { type: 'checkbox', 'data-actionable': c.column, 'aria-label': `A CSM can change ${c.column}` });
    act.checked = !choice.notActionable.has(c.column);
    act.disabled = !use.checked;
    use.addEventListener('change', () => { act.disabled = !use.checked; });
    const info = c.informationValue == null ? '' : ` (information value ${c.informationValue.toFixed(2)})`;
    const why = leak
      ? inline(`Likely leak: ${w.message}. Unticked: the next build leaves it out.`)
      : w ? inline(`${{ id_like: 'An id', reversed: 'Reversed', leak: 'Likely leak, kept by you' }[w.code] ?? 'Check'}: ${w.message}.`) : [`${c.note || (c.used ? 'used' : 'left out')}${info}`];
    body.append(h('tr', { 'data-column': c.column, 'data-used': String(c.used), 'data-skipped': String(Boolean(c.skipped)), 'data-leak': String(w?.code === 'leak') },
      h('th', { scope: 'row', 'data-label': 'Column' }, c.column),
      h('td', { 'data-label': 'Use' }, use),
      h('td', { 'data-label': 'A CSM can change it' }, act),
      h('td', { class: 'muted', 'data-label': 'Why' }, ...why)));
  }
}

/** The table's ticks as the next build's choices (`skip`, `keep`, `notActionable`). */
function readChoices() {
  for (const tr of document.querySelectorAll('#cal-columns tbody tr')) {
    const column = tr.dataset.column;
    const use = tr.querySelector('input[data-use]').checked;
    const act = tr.querySelector('input[data-actionable]').checked;
    if (!use) {
      // (one the library left out stays its to leave out, with its reason)
      if (tr.dataset.used === 'true' || tr.dataset.skipped === 'true') choice.skip.add(column);
      choice.keep.delete(column);
    } else {
      choice.skip.delete(column);
      // (a column the library left out, ticked: kept against its checks;
      // one the CS lead had left out goes back to the library's judgement)
      // A likely leak ticked again is kept too, so the next table leaves
      // it ticked.
      if ((tr.dataset.used === 'false' && tr.dataset.skipped === 'false') || tr.dataset.leak === 'true') choice.keep.add(column);
    }
    if (act) choice.notActionable.delete(column);
    else choice.notActionable.add(column);
  }
}

/** The library's text with its `names` as code (not raw backticks). */
function inline(text) {
  return text.split('`').map((part, i) => (i % 2 ? h('code', {}, part) : part));
}

function bandTable(title, rows, bands) {
  const insufficient = state.overview.bands.at(-1); // the core's insufficient-data band, last in every overview
  const label = (id) => bands.find((b) => b.id === id) ?? (id === insufficient.id ? insufficient : { label: id, color: '#8c8c8c' });
  const t = h('table', { class: 'grid stack band-outcomes', 'data-model': title.toLowerCase() }, h('caption', {}, title), h('thead', {}, h('tr', {}, h('th', {}, 'Band'), h('th', { class: 'num' }, 'Accounts'), h('th', { class: 'num' }, 'Churn'))));
  const body = h('tbody');
  for (const x of rows.filter((r) => r.count > 0)) {
    const b = label(x.band);
    body.append(h('tr', { 'data-band': x.band }, h('td', { 'data-label': 'Band' }, paint(h('span', { class: 'swatch' }), b.color), b.label), h('td', { class: 'num', 'data-label': 'Accounts' }, String(x.count)), h('td', { class: 'num', 'data-label': 'Churn' }, pct(x.churnRate))));
  }
  t.append(body);
  return t;
}

async function adopt() {
  if (!suggested) return;
  const { doc, file: adoptedFile, idColumn } = suggested;
  try {
    await saveModel(doc);
    const notes = clear($('#cal-notes'));
    notes.append(h('li', { class: 'ok' }, 'The suggested model is now the saved model. ', h('button', { id: 'cal-import', onclick: () => emit('import-file', { file: adoptedFile, idColumn }) }, `Import ${adoptedFile.name} as the portfolio`)));
  } catch (e) {
    banner(`The model was not adopted (${e.code}): ${e.message}`);
  }
}

async function fit() {
  clear($('#cal-notes'));
  $('#cal-result').hidden = true;
  const s = settings();
  const from = file;
  const r = await withProgress('fitCurrent', s);
  if (!r || from !== file) return;
  fitted = r.model;
  const b = r.before;
  const judged = b.bands.reduce((n, x) => n + x.count, 0);
  const insufficient = b.bands.find((x) => x.band === state.overview.bands.at(-1).id)?.count ?? 0;
  const useless = judged > 0 && insufficient === judged;
  $('#cal-auc').textContent = useless ? '—' : num(b.auc);
  $('#cal-lift').textContent = useless || b.topDecileLift == null ? '—' : `${b.topDecileLift.toFixed(2)}×`;
  $('#cal-fit-auc').textContent = useless ? '—' : num(r.after.auc);
  clear($('#cal-roc')).append(rocChart(b.roc));
  const bands = clear($('#cal-bands tbody'));
  for (const x of b.bands.filter((y) => y.count > 0)) {
    const band = state.overview.bands.find((y) => y.id === x.band) ?? { label: x.band, color: '#8c8c8c' };
    bands.append(h('tr', {}, h('td', { 'data-label': 'Band' }, paint(h('span', { class: 'swatch' }), band.color), band.label), h('td', { class: 'num', 'data-label': 'Accounts' }, String(x.count)), h('td', { class: 'num', 'data-label': 'Churn' }, pct(x.churnRate))));
  }
  const labels = new Map(state.overview.measures.map((m) => [m.id, m.label]));
  const weights = clear($('#cal-weights tbody'));
  for (const w of r.weights) weights.append(h('tr', {}, h('td', { 'data-label': 'Measure' }, labels.get(w.measureId) ?? w.measureId), h('td', { class: 'num', 'data-label': 'Before' }, pct(w.before)), h('td', { class: 'num', 'data-label': 'After' }, pct(w.after))));
  const notes = clear($('#cal-fit-notes'));
  if (useless) notes.append(h('li', {}, 'Every row has insufficient data under the saved model on this file (too few of its measures are columns), so these figures say nothing and the fitted weights are not worth applying: build a model from this file instead.'));
  $('#cal-apply').disabled = useless;
  for (const m of b.measures.filter((x) => x.message)) notes.append(h('li', {}, m.message));
  for (const x of r.reversed) notes.append(h('li', {}, x.message));
  notes.append(h('li', { class: 'muted' }, `${r.trainRows} rows fitted, ${r.testRows} held out; ${b.errors.length + r.errors.length} rows left out.`));
  $('#cal-result').hidden = false;
  $('#cal-result-heading').focus();
}
