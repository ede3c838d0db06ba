// Edge workers (Cloudflare Workers / workerd and other `worker` runtimes):
// the .wasm is imported as a WebAssembly.Module (these runtimes refuse to
// compile wasm from bytes at run time) and instantiated synchronously. The
// calibration module is not imported (a worker would compile it at every
// start); to calibrate in a worker, import it and hand it over:
//   import calibrationWasm from 'customer-health/customer_health_calibration_bg.wasm';
//   initCalibration(calibrationWasm);
import wasmModule from './web/customer_health_bg.wasm';
import { createBindings } from './web/customer_health.js';
import { createBindings as createCalibrationBindings } from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
import { makeRuntime } from './runtime.mjs';
export { presets } from './presets.mjs';

const scoring = makeRuntime(createBindings);
scoring.startSync(wasmModule);
const calibration = makeRuntime(createCalibrationBindings);

/** Instantiates the calibration module from the WebAssembly.Module given (see above). */
export function initCalibration(module) {
  calibration.startSync(module);
  return Promise.resolve();
}

/** Bytes of WebAssembly memory in use by the scoring module (0 before `init`; for leak checks and diagnostics). */
export function wasmMemoryBytes() {
  return scoring.exports?.memory.buffer.byteLength ?? 0;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes, parseCsv, limits, constants } = makeApi(scoring, {
  calibration: {
    /** The calibration bindings, or null before initCalibration(module). */
    load: () => calibration.bindings,
    loadAsync: async () => calibration.bindings,
    reset: () => calibration.reset(),
    help: 'import customer-health/customer_health_calibration_bg.wasm and pass it to initCalibration()',
  },
});

/** Already initialised; kept so that code written for browsers runs unchanged. */
export function init() {
  return Promise.resolve();
}
