// The demo page: state, start-up, storage and navigation. Views live in
// their own modules and read the shared state.
import { init, HealthModel, HealthStore, HealthScoreError, presets } from '/pkg/index.browser.mjs';
import { $, h, clear } from './dom.js';
import { renderPortfolio, setupPortfolio } from './portfolio.js';
import { renderAccount } from './account.js';
import { setupEditor, renderEditor } from './editor.js';
import { setupImport } from './importer.js';
import { setupCalibration } from './calibration.js';

export const state = {
  model: null, // the saved HealthModel
  doc: null, // its document
  accounts: [], // the portfolio
  snapshots: [], // stored raw snapshots (sample history), [{ accountId, at, values }]
  cards: [], // scorecards, one per account (null when refused)
  lines: new Map(), // accountId → [{ at, score, band }]
  selected: null, // accountId on the account view
  store: null,
  presets,
  HealthModel,
};

const views = ['portfolio', 'account', 'model', 'import', 'calibration'];

export function show(view) {
  for (const v of views) {
    $(`#view-${v}`).hidden = v !== view;
    document.querySelector(`.tab[data-view="${v}"]`).setAttribute('aria-current', v === view ? 'page' : 'false');
  }
  if (view === 'account') renderAccount();
  if (view === 'model') renderEditor();
  document.body.dataset.view = view;
}

/** Scores the portfolio with the saved model and rebuilds the score lines. */
export function rescore() {
  const batch = state.model.scoreMany(state.accounts);
  state.cards = batch.scorecards;
  state.summary = batch.summary;
  state.errors = batch.errors;
  state.lines = new Map();
  if (state.snapshots.length > 0) {
    const replay = state.model.replay(state.snapshots);
    for (const p of replay.points) {
      if (!state.lines.has(p.accountId)) state.lines.set(p.accountId, []);
      state.lines.get(p.accountId).push(p);
    }
  }
  $('#model-name').textContent = `${state.doc.name ?? state.doc.id} · ${state.model.hash.slice(0, 10)}`;
  renderPortfolio();
}

/** Makes `doc` the saved model: stores it and rescores. */
export function saveModel(doc) {
  const model = new HealthModel(doc);
  state.store?.saveModel('main', doc, new Date().toISOString().slice(0, 10)).catch((e) => {
    banner(`The model is in use but could not be stored for the next visit: ${e.message}`, false);
  });
  state.model?.free();
  state.model = model;
  state.doc = doc;
  rescore();
}

/** Replaces the portfolio (imported accounts) and stores it. */
export function setAccounts(accounts, snapshots = []) {
  state.accounts = accounts;
  state.snapshots = snapshots;
  state.store?.saveData('portfolio', { accounts, snapshots }).catch((e) => {
    banner(`The imported accounts are in use but could not be stored for the next visit: ${e.message}`, false);
  });
  rescore();
}

export function banner(text, withReset = true) {
  $('#banner-text').textContent = text;
  $('#banner-reset').hidden = !withReset;
  $('#banner').hidden = false;
}

async function loadSample() {
  const [model, portfolio, history] = await Promise.all(
    ['/samples/model.json', '/samples/portfolio.json', '/samples/history.json'].map((u) => fetch(u).then((r) => r.json())),
  );
  return { model, accounts: portfolio.accounts, snapshots: history.snapshots };
}

async function start() {
  await init();
  for (const b of document.querySelectorAll('.tab')) b.addEventListener('click', () => show(b.dataset.view));
  $('#banner-reset').addEventListener('click', async () => {
    try {
      await state.store.clear();
    } catch {
      // Nothing to clear: the page starts from the sample.
    }
    location.reload();
  });
  const sample = await loadSample();
  state.sample = sample;
  let doc = sample.model;
  let accounts = sample.accounts;
  let snapshots = sample.snapshots;
  try {
    state.store = new HealthStore('demo');
    const saved = await state.store.loadModel('main');
    if (saved) doc = saved;
    const data = await state.store.loadData('portfolio');
    if (data && Array.isArray(data.accounts)) {
      accounts = data.accounts;
      snapshots = Array.isArray(data.snapshots) ? data.snapshots : [];
    }
  } catch (e) {
    const code = e instanceof HealthScoreError ? e.code : 'error';
    banner(`Stored data could not be read (${code}): ${e.message} The sample portfolio is shown; reset to clear the stored data.`);
  }
  try {
    state.model = new HealthModel(doc);
  } catch (e) {
    banner(`The stored model is not valid (${e.code}): ${e.message} The sample model is shown instead.`);
    doc = sample.model;
    state.model = new HealthModel(doc);
  }
  state.doc = doc;
  state.accounts = accounts;
  state.snapshots = snapshots;
  setupPortfolio();
  setupEditor();
  setupImport();
  setupCalibration();
  rescore();
  show('portfolio');
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  banner(`The page could not start: ${e.message}`);
  clear($('#view-portfolio')).append(h('p', {}, 'Reload the page, or reset the stored data.'));
});
