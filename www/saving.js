// Saving a model from any view (the editor, an adopted suggestion): a new
// version in the engine, the overview every view follows, what storage
// said, and a warning when the model leaves most accounts without data.
import { ask } from './client.js';
import { state, emit, banner, warnIfUnfit } from './state.js';

/** Saves `doc` as the model; resolves with the engine's answer (throws its error). */
export async function saveModel(doc) {
  const r = await ask('saveModel', { doc });
  state.versions = r.versions ?? state.versions;
  emit('overview', r.overview);
  for (const p of r.problems) banner(p.message);
  warnIfUnfit(r.overview);
  return r;
}
