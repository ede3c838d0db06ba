// The model editor: JSON with live validation (syntax errors at their line
// and column), controls for category weights, band edges and rule
// thresholds that edit the same draft, a what-if listing the accounts that
// change band, saving as a new version with undo, and a draft that
// survives a reload. Validation and the what-if run in the engine.
import { $, h, clear, paint, download, fmt1 } from './dom.js';
import { ask } from './client.js';
import { state, on, emit, banner } from './state.js';
import { saveModel } from './saving.js';

let timer;
let checking = 0;
let draftSaved = null;
const DRAFT_NOTE = 'Unsaved draft: kept in this browser until you save or revert.';

export function setupEditor(draft) {
  const sel = $('#preset');
  for (const id of Object.keys(state.presets)) sel.append(h('option', { value: id }, id));
  sel.append(h('option', { value: '__sample' }, 'sample model (B2B SaaS)'));
  sel.addEventListener('change', () => {
    if (!sel.value) return;
    const doc = sel.value === '__sample' ? state.sample : state.presets[sel.value];
    setText(JSON.stringify(doc, null, 2));
    sel.value = '';
  });
  if (draft) {
    $('#model-json').value = draft;
    draftSaved = draft;
    $('#draft-note').textContent = DRAFT_NOTE;
  }
  $('#model-json').addEventListener('input', () => schedule());
  $('#save-model').addEventListener('click', save);
  $('#undo-model').addEventListener('click', undo);
  $('#revert-model').addEventListener('click', () => setText(JSON.stringify(state.overview.doc, null, 2)));
  $('#export-model').addEventListener('click', () => {
    // The saved model, as the button says (the draft is in the text box).
    download(`${state.overview.doc.id}.json`, JSON.stringify(state.overview.doc, null, 2) + '\n', 'application/json');
  });
  on('show', ({ view, wait }) => {
    if (view !== 'model') return;
    if (!$('#model-json').value) $('#model-json').value = JSON.stringify(state.overview.doc, null, 2);
    wait(check());
  });
  on('draft', (text) => setText(text));
  on('overview', (o) => {
    // Without unsaved edits, the editor follows the saved model (a save,
    // an adopted suggestion, an undo); with them, the draft stays.
    const box = $('#model-json');
    const follows = box.value === '' || sameDoc(box.value, savedDoc);
    savedDoc = o.doc;
    if (follows && box.value !== '') {
      box.value = JSON.stringify(o.doc, null, 2);
      schedule(0);
    }
    renderVersions();
  });
}

let savedDoc = null;

/** Whether a text is the JSON of `doc` (whatever its formatting). */
function sameDoc(text, doc) {
  try {
    return doc !== null && JSON.stringify(JSON.parse(text)) === JSON.stringify(doc);
  } catch {
    return false;
  }
}

/**
 * Replaces the draft text (presets, calibration, undo) and checks it. Text
 * with unsaved edits that it replaces can be brought back once.
 */
function setText(text) {
  const before = $('#model-json').value;
  $('#model-json').value = text;
  schedule(0);
  if (before && before !== text && !sameDoc(before, state.overview.doc)) {
    const note = $('#draft-note');
    note.textContent = 'The draft was replaced. ';
    note.append(h('button', {
      class: 'link-button',
      id: 'restore-draft',
      onclick: () => {
        $('#model-json').value = before;
        schedule(0);
      },
    }, 'Bring back the text you had'));
    replacedNote = true;
  }
}

let replacedNote = false;

function schedule(delay = 150) {
  clearTimeout(timer);
  timer = setTimeout(check, delay);
}

function renderVersions() {
  $('#versions').textContent = state.versions > 0 ? `${state.versions} saved version${state.versions === 1 ? '' : 's'} (the last 20 are kept)` : 'no saved versions yet';
  $('#undo-model').disabled = state.versions < 2;
}

/** Keeps the draft for the next visit when it differs from the saved model. */
function keepDraft(text) {
  const value = sameDoc(text, state.overview.doc) ? null : text;
  if (value === draftSaved) return;
  draftSaved = value;
  const note = $('#draft-note');
  if (replacedNote) replacedNote = false;
  else note.textContent = value === null ? '' : DRAFT_NOTE;
  ask('saveDraft', { text: value }).then((kept) => {
    if (!kept && value !== null) note.textContent = 'Unsaved draft: this browser does not keep it after a reload (no storage).';
  }, (e) => {
    if (value !== null) note.textContent = `Unsaved draft, not kept for a reload (${e.code}): ${e.message}`;
  });
}

/**
 * Validates the draft in the engine; shows problems, controls and the
 * what-if. One check at a time: typing during a check (a what-if over a
 * large portfolio takes a moment) runs one more check with the latest text
 * when it ends, rather than queueing one per keystroke.
 */
export async function check() {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  inFlight = runCheck();
  try {
    await inFlight;
  } finally {
    inFlight = null;
  }
  if (again) {
    again = false;
    await check();
  }
}

let inFlight = null;
let again = false;

async function runCheck() {
  const text = $('#model-json').value;
  const mine = ++checking;
  keepDraft(text);
  const { problems, whatIf } = await ask('check', { text });
  if (mine !== checking || text !== $('#model-json').value) return;
  const list = clear($('#model-errors'));
  if (problems.length === 0) list.append(h('li', { class: 'ok' }, 'Valid model.'));
  for (const p of problems) {
    const where = /line (\d+) column (\d+)/.exec(p.message);
    const item = h('li', { 'data-code': p.code, 'data-path': p.path },
      h('code', {}, p.path || (where ? `line ${where[1]}, column ${where[2]}` : '(document)')), ' ', h('strong', {}, p.code), `: ${p.message}`, h('br'), h('span', { class: 'muted' }, p.help));
    if (where) item.append(' ', h('button', { class: 'link-button', onclick: () => jump(Number(where[1]), Number(where[2])) }, 'Show me'));
    list.append(item);
  }
  $('#save-model').disabled = problems.length > 0;
  const doc = problems.length === 0 ? JSON.parse(text) : null;
  renderControls(doc);
  renderWhatIf(whatIf);
}

/** Selects the place of a syntax error in the text. */
function jump(line, column) {
  const box = $('#model-json');
  const lines = box.value.split('\n');
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  at += Math.max(0, column - 1);
  box.focus();
  // serde's column is the offending character's, counted from 1.
  box.setSelectionRange(at, Math.min(box.value.length, at + 1));
}

/** Applies `edit(doc)` to the draft and rewrites the text. */
function edit(change) {
  let doc;
  try {
    doc = JSON.parse($('#model-json').value);
  } catch {
    return;
  }
  change(doc);
  $('#model-json').value = JSON.stringify(doc, null, 2);
  schedule(60);
}

function numberInput(value, label, onChange, attrs = {}) {
  const input = h('input', { type: 'number', value, step: 'any', 'aria-label': label, ...attrs });
  input.addEventListener('change', () => {
    if (input.value !== '' && Number.isFinite(Number(input.value))) onChange(Number(input.value));
  });
  return input;
}

/** The shape of a model's controls: when it is unchanged, the controls are updated in place. */
function shapeOf(doc) {
  if (!doc) return null;
  return JSON.stringify([
    doc.aggregation ?? 'weighted',
    doc.bands.map((b) => [b.id, b.above !== undefined]),
    doc.categories.map((c) => [c.id, c.measures.map((m) => [m.id, m.rule?.type, thresholdFields(m.rule).length])]),
  ]);
}

let shape = null;
let controls = []; // [{ input, value(doc), output? }]

/**
 * Draws the controls for a valid draft. When only values changed (a slider
 * moved, a number typed), the controls are updated in place, so the one
 * being used keeps its focus and its drag.
 */
function renderControls(doc) {
  const next = shapeOf(doc);
  if (next !== null && next === shape) {
    for (const c of controls) {
      const v = String(c.value(doc));
      if (c.input !== document.activeElement && c.input.value !== v) c.input.value = v;
      if (c.output) c.output.textContent = v;
    }
    return;
  }
  shape = next;
  controls = [];
  const weights = clear($('#weights'));
  const edges = clear($('#edges'));
  const thresholds = clear($('#thresholds'));
  if (!doc) {
    for (const box of [weights, edges, thresholds]) box.append(h('p', { class: 'muted' }, 'Fix the problems to use the controls.'));
    return;
  }
  if ((doc.aggregation ?? 'weighted') !== 'weighted') weights.append(h('p', { class: 'muted' }, 'A points model has no weights.'));
  else {
    doc.categories.forEach((cat, i) => {
      const out = h('output', {}, String(cat.weight));
      const input = h('input', { type: 'range', min: 0, max: 100, step: 1, value: cat.weight, 'aria-label': `Weight of ${cat.label ?? cat.id}`, 'data-category': cat.id });
      input.addEventListener('input', () => {
        out.textContent = input.value;
        edit((d) => { d.categories[i].weight = Number(input.value); });
      });
      controls.push({ input, output: out, value: (d) => d.categories[i].weight });
      weights.append(h('div', { class: 'weight' }, h('span', {}, cat.label ?? cat.id), input, out));
    });
  }
  doc.bands.forEach((b, i) => {
    if (i === 0) return;
    const key = b.above !== undefined ? 'above' : 'from';
    const input = numberInput(b[key], `Lower edge of ${b.label ?? b.id}`, (v) => edit((d) => { d.bands[i][key] = v; }), { min: 0, max: 100, 'data-band': b.id });
    controls.push({ input, value: (d) => d.bands[i][key] });
    edges.append(h('div', { class: 'weight' }, h('span', {}, `${b.label ?? b.id} ${key === 'above' ? 'above' : 'from'}`), input, h('span')));
  });
  for (const [ci, cat] of doc.categories.entries()) {
    for (const [mi, m] of cat.measures.entries()) {
      const fields = thresholdFields(m.rule);
      if (fields.length === 0) continue;
      const row = h('div', { class: 'threshold', 'data-measure': m.id }, h('span', {}, m.label ?? m.id, h('span', { class: 'muted' }, ` (${m.rule.type})`)));
      for (const f of fields) {
        const input = numberInput(f.get(m.rule), `${m.label ?? m.id}: ${f.name}`, (v) => edit((d) => f.set(d.categories[ci].measures[mi].rule, v)));
        controls.push({ input, value: (d) => f.get(d.categories[ci].measures[mi].rule) });
        row.append(h('label', {}, f.name, ' ', input));
      }
      thresholds.append(row);
    }
  }
}

/** The numbers of a rule a CS lead tunes: where the score changes. */
function thresholdFields(rule) {
  switch (rule?.type) {
    case 'linear':
      return (rule.points ?? []).map((_, k) => ({ name: `point ${k + 1} at`, get: (r) => r.points[k][0], set: (r, v) => { r.points[k][0] = v; } }));
    case 'steps':
      return (rule.thresholds ?? []).map((_, k) => ({ name: `step ${k + 1} at`, get: (r) => r.thresholds[k], set: (r, v) => { r.thresholds[k] = v; } }));
    case 'scale':
      return ['min', 'max'].map((key) => ({ name: key, get: (r) => r[key], set: (r, v) => { r[key] = v; } }));
    case 'perEvent':
      return [{ name: 'points per event', get: (r) => r.points, set: (r, v) => { r.points = v; } }, { name: 'events counted at most', get: (r) => r.maxEvents, set: (r, v) => { r.maxEvents = v; } }];
    default:
      return [];
  }
}

function renderWhatIf(w) {
  const box = clear($('#whatif'));
  if (!w) {
    box.append(h('p', { class: 'muted' }, 'Fix the problems to compare.'));
    return;
  }
  const table = h('table', { class: 'grid stack', id: 'whatif-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Band'), h('th', { class: 'num' }, 'Saved'), h('th', { class: 'num' }, 'Draft'), h('th', { class: 'num' }, 'Change'))));
  const body = h('tbody');
  for (const b of w.bands) {
    body.append(h('tr', { 'data-band': b.id },
      h('td', { 'data-label': 'Band' }, paint(h('span', { class: 'swatch' }), b.color), b.label),
      h('td', { class: 'num saved', 'data-label': 'Saved' }, String(b.saved)), h('td', { class: 'num draft', 'data-label': 'Draft' }, String(b.draft)),
      h('td', { class: 'num', 'data-label': 'Change' }, b.draft === b.saved ? '' : `${b.draft > b.saved ? '+' : ''}${b.draft - b.saved}`)));
  }
  table.append(body);
  box.append(table, h('p', { class: 'muted' }, `Mean score: saved ${fmt1(w.mean.saved)}, draft ${fmt1(w.mean.draft)}. Save to apply the draft to the portfolio.`));
  const none = w.bands.at(-1); // insufficient data is always last
  const insufficient = none?.draft ?? 0;
  const total = w.bands.reduce((n, b) => n + b.draft, 0);
  if (total > 0 && insufficient > total / 2 && insufficient > (none?.saved ?? 0)) {
    box.append(h('p', { class: 'warning', id: 'whatif-unfit' }, `Under the draft, ${insufficient} of ${total} accounts would have insufficient data: the portfolio's columns are mostly not this model's measures.`));
  }
  box.append(h('h3', {}, w.movedCount === 0 ? 'No account changes band.' : `${w.movedCount} account${w.movedCount === 1 ? '' : 's'} change band${w.movedCount > w.moved.length ? ` (first ${w.moved.length} listed)` : ''}`));
  if (w.moved.length > 0) {
    const moved = h('table', { class: 'grid stack', id: 'whatif-moved' }, h('thead', {}, h('tr', {}, h('th', {}, 'Account'), h('th', {}, 'From'), h('th', {}, 'To'), h('th', { class: 'num' }, 'Score'))));
    const mb = h('tbody');
    for (const m of w.moved) {
      mb.append(h('tr', { 'data-account': m.accountId },
        h('td', { 'data-label': 'Account', class: 'name' }, h('span', { title: m.name ?? m.accountId }, m.name ?? m.accountId)),
        h('td', { 'data-label': 'From' }, m.from), h('td', { 'data-label': 'To' }, m.to),
        h('td', { class: 'num', 'data-label': 'Score' }, `${fmt1(m.before)} → ${fmt1(m.after)}`)));
    }
    moved.append(mb);
    box.append(moved);
  }
}

async function save() {
  let doc;
  try {
    doc = JSON.parse($('#model-json').value);
  } catch {
    return;
  }
  const button = $('#save-model');
  button.disabled = true;
  try {
    await saveModel(doc);
    draftSaved = null;
    await ask('saveDraft', { text: null }).catch(() => {});
    await check();
    $('#draft-note').textContent = 'Saved: the portfolio is scored with this model.';
  } catch (e) {
    banner(`The model was not saved (${e.code}): ${e.message}`);
    button.disabled = false;
  }
}

async function undo() {
  try {
    const r = await ask('undoModel');
    state.versions = r.versions;
    emit('overview', r.overview);
    $('#draft-note').textContent = 'Back to the version before the last save.';
  } catch (e) {
    banner(`Undo failed (${e.code}): ${e.message}`);
  }
}
