// Edge workers (Cloudflare Workers / workerd and other `worker` runtimes):
// the .wasm is imported as a WebAssembly.Module (these runtimes refuse to
// compile wasm from bytes at run time) and initialised synchronously. The
// calibration module is not imported (a worker would compile it at every
// start); to calibrate in a worker, import it and hand it over:
//   import calibrationWasm from 'customer-health/customer_health_calibration_bg.wasm';
//   initCalibration(calibrationWasm);
import wasmModule from './web/customer_health_bg.wasm';
import * as wasm from './web/customer_health.js';
import * as calibration from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

wasm.initSync({ module: wasmModule });

let calibrationReady = false;

/** Initialises the calibration module from the WebAssembly.Module given (see above). */
export function initCalibration(module) {
  if (!calibrationReady) {
    calibration.initSync({ module });
    calibrationReady = true;
  }
  return Promise.resolve();
}

function load() {
  if (!calibrationReady) {
    throw new HealthScoreError({
      code: 'not_initialized',
      path: '',
      message: "customer-health's calibration module is not initialised in this worker",
      help: "import customer-health/customer_health_calibration_bg.wasm and pass it to initCalibration()",
    });
  }
  return calibration;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm, {
  calibration: { load, loadAsync: async () => load() },
});

/** Already initialised; kept so that code written for browsers runs unchanged. */
export function init() {
  return Promise.resolve();
}
