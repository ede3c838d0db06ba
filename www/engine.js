// The page's engine, a module worker that owns the portfolio: the model,
// the accounts, their scorecards, history, storage (IndexedDB through the
// package's HealthStore), imports and calibration. The page asks it for what
// it shows (one page of rows, one account) so the main thread never scores,
// sorts or stores 50,000 accounts itself.
//
// Protocol: the page posts { id, op, args }; the engine answers { id, ok,
// result } or { id, ok: false, error: { code, message, help } }, and posts
// { id, progress } on the way for long jobs. { op: 'cancel', args: id }
// aborts a job that takes a signal.
import { init, HealthModel, HealthStore, presets } from '/pkg/index.browser.mjs';
import { portfolioOps, setPortfolio, current } from './engine-portfolio.js';
import { importOps, IMPORT_LIMITS } from './engine-import.js';
import { calibrationOps } from './engine-calibration.js';
import { editorOps } from './engine-editor.js';

const jobs = new Map();

async function fetchJson(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

const ops = {
  async start() {
    await init();
    const [sampleModel, portfolio, history] = await Promise.all(['/samples/model.json', '/samples/portfolio.json', '/samples/history.json'].map(fetchJson));
    const sample = { model: sampleModel, accounts: portfolio.accounts, snapshots: history.snapshots };
    current.sample = sample;
    const problems = [];
    let doc = sample.model;
    let accounts = sample.accounts;
    let snapshots = sample.snapshots;
    let draft = null;
    let store = null;
    try {
      store = new HealthStore('demo');
    } catch (e) {
      problems.push({ code: e.code ?? 'storage_unavailable', message: `Storage is not available, so nothing will be kept after this visit: ${e.message}` });
    }
    current.store = store;
    // Each entry is read on its own: one that cannot be read is set aside by the store, the rest is kept.
    const read = async (what, fn) => {
      if (!store) return null;
      try {
        return await fn();
      } catch (e) {
        if (e.code === 'storage_unavailable') {
          // Said once; nothing more is asked of a store that is not there.
          problems.push({ code: e.code, message: `Storage is not available, so nothing will be kept after this visit: ${e.message}` });
          store = null;
          current.store = null;
          return null;
        }
        const fate = {
          corrupt_storage: 'It was set aside; the rest of what is stored is kept.',
          unsupported_storage_format: 'It was written by a newer version of this page and is left as it is; the rest of what is stored is kept.',
        }[e.code] ?? 'Nothing stored was changed.';
        problems.push({ code: e.code ?? 'error', message: `The stored ${what} could not be read (${e.code ?? 'error'}): ${e.message} ${fate}` });
        return null;
      }
    };
    const saved = await read('model', () => store.loadModel('main'));
    if (saved) doc = saved;
    const data = await read('portfolio', () => store.loadData('portfolio'));
    if (data && Array.isArray(data.accounts)) {
      accounts = data.accounts;
      snapshots = Array.isArray(data.snapshots) ? data.snapshots : [];
    }
    draft = (await read('model draft', () => store.loadData('draft')))?.text ?? null;
    const aside = (await read('list of set-aside entries', () => store.quarantined())) ?? [];
    if (aside.length > 0) {
      problems.push({
        code: 'quarantined',
        message: `${aside.length} stored ${aside.length === 1 ? 'entry was' : 'entries were'} set aside because ${aside.length === 1 ? 'it' : 'they'} could not be read (${aside.map((q) => `${q.store} “${q.key}”: ${q.why}`).join('; ')}). Everything else stored is kept.`,
        quarantine: true,
      });
    }
    let model;
    try {
      model = new HealthModel(doc);
    } catch (e) {
      problems.push({ code: e.code, message: `The stored model is not valid (${e.code}): ${e.message} The sample model is shown; the stored one stays in its version history.` });
      doc = sample.model;
      model = new HealthModel(doc);
    }
    setPortfolio({ model, doc, accounts, snapshots });
    const versions = store ? (await read('model versions', () => store.modelVersions('main'))) ?? [] : [];
    return { problems, draft, versions: versions.length, presets: { ...presets }, sample: sample.model, limits: { ...IMPORT_LIMITS } };
  },

  /** Deletes the entries set aside as unreadable (nothing else). */
  async forgetQuarantine() {
    await current.store?.clearQuarantine();
    return true;
  },

  ...portfolioOps,
  ...importOps,
  ...calibrationOps,
  ...editorOps,
};

self.onmessage = async ({ data }) => {
  const { id, op, args } = data;
  if (op === 'cancel') {
    jobs.get(args)?.abort();
    return;
  }
  const controller = new AbortController();
  jobs.set(id, controller);
  const progress = (p) => self.postMessage({ id, progress: p });
  try {
    if (!Object.hasOwn(ops, op)) throw Object.assign(new Error(`unknown operation ${op}`), { code: 'unknown_operation' });
    const result = await ops[op](args, { progress, signal: controller.signal });
    self.postMessage({ id, ok: true, result });
  } catch (e) {
    self.postMessage({ id, ok: false, error: { code: e?.code ?? 'error', message: e?.message ?? String(e), help: e?.help ?? '', path: e?.path ?? '' } });
  } finally {
    jobs.delete(id);
  }
};
