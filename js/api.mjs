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
  codec.setBudgets(() => {
    const f = known.facts();
    return {
      account: { items: f.maxSeriesPoints, bytes: f.maxAccountBytes },
      model: { items: Math.max(f.maxRuleEntries, f.maxMeasures), bytes: f.maxModelBytes },
    };
  });
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

  /**
   * Reads a CSV file (text, or its bytes: UTF-8, else Windows-1252) with
   * the library's one reader: `{ delimiter, header, rows, lines, blankRows,
   * shortRows, decimalCommas, encoding }`. The delimiter (`,` `;` tab) comes
   * from the first lines; in a `;` file a column of decimal commas is read
   * as numbers with a point; errors carry the line (`invalid_csv` at `line
   * N`); a file with NUL bytes is `not_text`.
   */
  function parseCsv(input) {
    if (typeof input === 'string') return call(() => parse(rt.bindings.readCsv(input)));
    const bytes = input instanceof Uint8Array ? input : input instanceof ArrayBuffer ? new Uint8Array(input) : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : null;
    if (bytes === null) throw error('wrong_type', '', 'a CSV file must be text or bytes', 'pass the file\'s text, or its bytes (Uint8Array or ArrayBuffer)');
    return call(() => parse(rt.bindings.readCsvBytes(bytes)));
  }

  return { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes, parseCsv, limits: known.limits, constants: known.constants };
}
