// The engine's model editor side: validating a draft as it is typed, the
// what-if (which accounts change band under the draft), saving a model as a
// new version, undo, and keeping the draft across reloads. Runs in the worker.
import { HealthModel, constants } from '/pkg/index.browser.mjs';
import { current, setPortfolio, overview, storageProblem, allBands } from './engine-portfolio.js';

const MOVED_LISTED = 200;

/** The saved model's band per account (an id, or null when refused). */
function savedBands() {
  return current.cards.map((c) => (c ? c.band.id : null));
}

/**
 * Validates a draft (JSON text) and, when valid, compares it with the saved
 * model on the portfolio: band counts, means, and the accounts that move.
 */
function check({ text }) {
  const problems = HealthModel.validate(text);
  if (problems.length > 0) return { problems, whatIf: null };
  const doc = JSON.parse(text);
  const draft = new HealthModel(doc);
  try {
    const result = draft.scoreMany(current.accounts, { columnar: true, ignoreUnknown: true });
    const draftBands = [...draft.bands, current.insufficient];
    const before = savedBands();
    const { bandCodes } = constants();
    // The saved model's bands, the draft's other bands, insufficient data last.
    const bands = new Map();
    for (const b of [...current.model.bands, ...draft.bands, current.insufficient]) {
      if (!bands.has(b.id)) bands.set(b.id, { id: b.id, label: b.label, color: b.color, saved: 0, draft: 0 });
    }
    const moved = [];
    let movedCount = 0;
    let sumSaved = 0;
    let nSaved = 0;
    let sumDraft = 0;
    let nDraft = 0;
    for (let i = 0; i < current.accounts.length; i++) {
      const code = result.bands[i];
      const after = code === bandCodes.refused ? null : code === bandCodes.insufficientData ? current.insufficient.id : draft.bands[code].id;
      const was = before[i];
      if (was) bands.get(was).saved++;
      if (after) bands.get(after).draft++;
      const s0 = current.cards[i]?.score;
      const s1 = result.scores[i];
      if (s0 !== null && s0 !== undefined) {
        sumSaved += s0;
        nSaved++;
      }
      if (!Number.isNaN(s1)) {
        sumDraft += s1;
        nDraft++;
      }
      if (was !== after) {
        movedCount++;
        if (moved.length < MOVED_LISTED) {
          const a = current.accounts[i];
          moved.push({ accountId: a.id, name: a.name ?? null, from: label(was), to: label(after, draftBands), before: s0 ?? null, after: Number.isNaN(s1) ? null : s1 });
        }
      }
    }
    return {
      problems,
      whatIf: {
        bands: [...bands.values()],
        mean: { saved: nSaved ? sumSaved / nSaved : null, draft: nDraft ? sumDraft / nDraft : null },
        moved,
        movedCount,
      },
    };
  } finally {
    draft.free();
  }
}

function label(id, bands = allBands()) {
  if (id === null) return 'refused';
  return bands.find((b) => b.id === id)?.label ?? id;
}

export const editorOps = {
  check,

  /** Makes a valid document the saved model: a new version in storage, the portfolio rescored. */
  async saveModel({ doc }) {
    const model = new HealthModel(doc);
    const problems = [];
    let versions = null;
    if (current.store) {
      try {
        await current.store.saveModel('main', doc);
        versions = (await current.store.modelVersions('main')).length;
      } catch (e) {
        problems.push(storageProblem(e, 'The model'));
      }
    }
    setPortfolio({ model, doc, accounts: current.accounts, snapshots: current.snapshots });
    return { overview: overview(), problems, versions };
  },

  /** Goes back to the model version before the newest (the newest is dropped). */
  async undoModel() {
    if (!current.store) throw Object.assign(new Error('storage is not available, so there are no earlier versions'), { code: 'storage_unavailable' });
    const doc = await current.store.undoModel('main');
    const versions = (await current.store.modelVersions('main')).length;
    if (!doc) return { overview: overview(), versions };
    setPortfolio({ model: new HealthModel(doc), doc, accounts: current.accounts, snapshots: current.snapshots });
    return { overview: overview(), versions };
  },

  /** Keeps the editor's text for the next visit (null forgets it). */
  async saveDraft({ text }) {
    if (!current.store) return false;
    if (text === null) await current.store.remove('data', 'draft');
    else await current.store.saveData('draft', { text });
    return true;
  },
};
