// Calibration: load a labelled CSV, backtest the saved model, fit its
// weights, and apply them to the draft in the model editor.
import { $, h, clear, paint, pct } from './dom.js';
import { parseCsv } from './csv.js';
import { rocChart } from './charts.js';
import { state, show } from './app.js';
import { check } from './editor.js';

let rows = [];
let fitted = null;

export function setupCalibration() {
  $('#cal-file').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    if (!file) return;
    const { header, rows: cells } = parseCsv(await file.text());
    rows = cells.map((c) => Object.fromEntries(header.map((k, i) => [k, c[i] ?? ''])));
    const sel = clear($('#cal-outcome'));
    for (const k of header) sel.append(h('option', { value: k }, k));
    sel.value = header.find((k) => /churn/i.test(k)) ?? header[header.length - 1];
    values();
    $('#cal-run').disabled = false;
  });
  $('#cal-outcome').addEventListener('change', values);
  $('#cal-run').addEventListener('click', run);
  $('#cal-apply').addEventListener('click', () => {
    if (!fitted) return;
    $('#model-json').value = JSON.stringify(fitted, null, 2);
    show('model');
    check();
  });
}

/** The outcome column's values, to choose the one that means churned (the user confirms it). */
function values() {
  const column = $('#cal-outcome').value;
  const found = [...new Set(rows.map((r) => (r[column] ?? '').trim()).filter(Boolean))].slice(0, 20);
  const sel = clear($('#cal-churned'));
  for (const v of found) sel.append(h('option', { value: v }, v));
  sel.value = found.find((v) => /^(yes|true|1|churned?)$/i.test(v)) ?? found[0] ?? '';
}

async function run() {
  const outcome = { column: $('#cal-outcome').value, churnedWhen: $('#cal-churned').value };
  const notes = clear($('#cal-notes'));
  let fit;
  try {
    // The calibration module is loaded on first use.
    fit = await state.model.fitAsync(rows, { outcome });
  } catch (e) {
    notes.append(h('li', {}, `${e.code}: ${e.message}`));
    $('#cal-result').hidden = false;
    return;
  }
  fitted = fit.model;
  const b = fit.before;
  $('#cal-auc').textContent = b.auc === null ? '—' : b.auc.toFixed(3);
  $('#cal-lift').textContent = b.topDecileLift === null ? '—' : `${b.topDecileLift.toFixed(2)}×`;
  $('#cal-fit-auc').textContent = fit.after.auc === null ? '—' : fit.after.auc.toFixed(3);
  clear($('#cal-roc')).append(rocChart(b.roc));
  const bands = clear($('#cal-bands tbody'));
  for (const x of b.bands.filter((x) => x.count > 0)) {
    const band = state.model.bands.find((y) => y.id === x.band) ?? { label: 'Insufficient data', color: '#8c8c8c' };
    bands.append(h('tr', {}, h('td', {}, paint(h('span', { class: 'swatch' }), band.color), band.label), h('td', { class: 'num' }, String(x.count)), h('td', { class: 'num' }, pct(x.churnRate))));
  }
  const weights = clear($('#cal-weights tbody'));
  for (const w of fit.weights) weights.append(h('tr', {}, h('td', {}, w.measureId), h('td', { class: 'num' }, pct(w.before)), h('td', { class: 'num' }, pct(w.after))));
  for (const m of b.measures.filter((m) => m.message)) notes.append(h('li', {}, m.message));
  for (const r of fit.reversed) notes.append(h('li', {}, r.message));
  notes.append(h('li', { class: 'muted' }, `${fit.trainRows} rows fitted, ${fit.testRows} held out; ${b.errors.length + fit.errors.length} rows left out.`));
  $('#cal-result').hidden = false;
}
