// The public JS API of customer-health: a thin wrapper over the WebAssembly
// bindings (src/wasm/). All scoring logic lives in the Rust core; the JS
// modules only move values across the boundary (js/codec.mjs), read the
// core's constants (js/facts.mjs), build
// scorecards from columns (js/scorecards.mjs), run calibration jobs
// (js/calibration.mjs) and keep models in the browser (js/store.mjs). It is
// the same for every runtime: each entry point (index.node.mjs,
// index.node.cjs, index.browser.mjs, index.worker.mjs) instantiates the
// modules its own way and calls makeApi.
import { makeCodec } from './codec.mjs';
import { makeCalibration } from './calibration.mjs';
import { makeModelClass } from './model.mjs';
import { makeModelSetClass } from './set.mjs';
import { makeStore } from './store.mjs';
import { makeFacts } from './facts.mjs';

/**
 * @param {object} rt the scoring module's runtime (js/runtime.mjs)
 * @param {object} [options] `{ calibration: { load, loadAsync, reset } }`:
 *   the calibration module's loaders (synchronous, and asynchronous for the
 *   `…Async` calls) and its restart after a trap; `init`: the call that
 *   instantiates the scoring module, named in the error before it has been
 */
export function makeApi(rt, { calibration, init = 'init()' } = {}) {
  const ensureReady = () => {
    if (!rt.ready) {
      throw codec.error('not_initialized', '', "customer-health's module is not initialised yet", `call \`await ${init}\` from 'customer-health' first`);
    }
  };
  const codec = makeCodec(ensureReady, () => {
    rt.reset();
    calibration?.reset?.();
  });
  const { HealthScoreError, error, call, parse } = codec;
  rt.freedError = () => error('freed', '', 'this object was freed', 'create it again; do not use an object after free()');

  const known = makeFacts(rt, codec);
  const jobs = makeCalibration({ ...codec, limits: known.facts, calibration });
  const HealthModel = makeModelClass(rt, codec, known, jobs);
  const HealthModelSet = makeModelSetClass(rt, codec, known);
  const { HealthStore } = makeStore({ error, validate: (doc) => HealthModel.validate(doc) });

  let codes;
  /** Every error code with its meaning. */
  function errorCodes() {
    codes ??= call(() => parse(rt.bindings.errorCodesJson()));
    return codes;
  }

  return { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes, limits: known.limits, constants: known.constants };
}
