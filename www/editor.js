// The model editor: JSON with live validation, presets, weight sliders, and
// a what-if comparison of the draft's band distribution with the saved model's.
import { $, h, clear, paint, download } from './dom.js';
import { state, saveModel } from './app.js';

let timer;

export function setupEditor() {
  const sel = $('#preset');
  for (const id of Object.keys(state.presets)) sel.append(h('option', { value: id }, id));
  sel.append(h('option', { value: '__sample' }, 'sample model (B2B SaaS)'));
  sel.addEventListener('change', () => {
    if (!sel.value) return;
    const doc = sel.value === '__sample' ? state.sample.model : state.presets[sel.value];
    $('#model-json').value = JSON.stringify(doc, null, 2);
    sel.value = '';
    check();
  });
  $('#model-json').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(check, 120);
  });
  $('#save-model').addEventListener('click', () => {
    const doc = draft();
    if (doc) {
      saveModel(doc);
      check();
    }
  });
  $('#revert-model').addEventListener('click', () => {
    $('#model-json').value = JSON.stringify(state.doc, null, 2);
    check();
  });
  $('#export-model').addEventListener('click', () => {
    download(`${state.doc.id}.json`, JSON.stringify(state.doc, null, 2) + '\n', 'application/json');
  });
}

export function renderEditor() {
  const box = $('#model-json');
  if (!box.value) box.value = JSON.stringify(state.doc, null, 2);
  check();
}

/** The draft as a valid model document, or null. */
function draft() {
  let doc;
  try {
    doc = JSON.parse($('#model-json').value);
  } catch {
    return null;
  }
  return state.HealthModel.validate(doc).length === 0 ? doc : null;
}

/** Validates the draft, shows its problems, sliders and the what-if. */
export function check() {
  const text = $('#model-json').value;
  const list = clear($('#model-errors'));
  let problems;
  let doc = null;
  try {
    doc = JSON.parse(text);
    problems = state.HealthModel.validate(doc);
  } catch (e) {
    problems = state.HealthModel.validate(text);
  }
  if (problems.length === 0) {
    list.append(h('li', { class: 'ok' }, 'Valid model.'));
  }
  for (const p of problems) {
    list.append(h('li', { 'data-code': p.code, 'data-path': p.path },
      h('code', {}, p.path || '(document)'), ' ', h('strong', {}, p.code), `: ${p.message}`, h('br'), h('span', { class: 'muted' }, p.help)));
  }
  $('#save-model').disabled = problems.length > 0;
  renderSliders(problems.length === 0 ? doc : null);
  renderWhatIf(problems.length === 0 ? doc : null);
}

function renderSliders(doc) {
  const box = clear($('#weights'));
  if (!doc || (doc.aggregation ?? 'weighted') !== 'weighted') {
    box.append(h('p', { class: 'muted' }, doc ? 'A points model has no weights.' : 'Fix the problems to adjust weights.'));
    return;
  }
  doc.categories.forEach((cat, i) => {
    const out = h('output', {}, String(cat.weight));
    const input = h('input', { type: 'range', min: 0, max: 100, step: 1, value: cat.weight, 'aria-label': `Weight of ${cat.label ?? cat.id}`, 'data-category': cat.id });
    input.addEventListener('input', () => {
      const current = JSON.parse($('#model-json').value);
      current.categories[i].weight = Number(input.value);
      out.textContent = input.value;
      $('#model-json').value = JSON.stringify(current, null, 2);
      renderWhatIf(current);
      const list = clear($('#model-errors'));
      const problems = state.HealthModel.validate(current);
      if (problems.length === 0) list.append(h('li', { class: 'ok' }, 'Valid model.'));
      for (const p of problems) list.append(h('li', { 'data-code': p.code, 'data-path': p.path }, h('code', {}, p.path), ' ', h('strong', {}, p.code), `: ${p.message}`));
      $('#save-model').disabled = problems.length > 0;
    });
    box.append(h('div', { class: 'weight' }, h('span', {}, cat.label ?? cat.id), input, out));
  });
}

function distribution(model) {
  const { summary } = model.scoreMany(state.accounts);
  return summary;
}

function renderWhatIf(doc) {
  const box = clear($('#whatif'));
  if (!doc) {
    box.append(h('p', { class: 'muted' }, 'Fix the problems to compare.'));
    return;
  }
  let draftModel;
  try {
    draftModel = new state.HealthModel(doc);
  } catch {
    return;
  }
  const before = state.summary;
  const after = distribution(draftModel);
  const table = h('table', { class: 'grid', id: 'whatif-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Band'), h('th', { class: 'num' }, 'Saved'), h('th', { class: 'num' }, 'Draft'), h('th', { class: 'num' }, 'Change'))));
  const body = h('tbody');
  const ids = [...new Set([...Object.keys(before.bands), ...Object.keys(after.bands)])];
  for (const id of ids) {
    const b = before.bands[id]?.count ?? 0;
    const a = after.bands[id]?.count ?? 0;
    const band = draftModel.bands.find((x) => x.id === id) ?? state.model.bands.find((x) => x.id === id) ?? { label: 'Insufficient data', color: '#8c8c8c' };
    body.append(h('tr', { 'data-band': id },
      h('td', {}, paint(h('span', { class: 'swatch' }), band.color), band.label),
      h('td', { class: 'num saved' }, String(b)), h('td', { class: 'num draft' }, String(a)), h('td', { class: 'num' }, a === b ? '' : `${a > b ? '+' : ''}${a - b}`)));
  }
  table.append(body);
  box.append(table, h('p', { class: 'muted' }, `Mean score: saved ${before.mean?.toFixed(1) ?? '—'}, draft ${after.mean?.toFixed(1) ?? '—'}. Save to apply the draft to the portfolio.`));
  draftModel.free();
}
