// Node: reads the .wasm from disk and initialises synchronously; the
// calibration module is read and initialised on first use. (The CommonJS
// entry, index.node.cjs, is this file bundled by scripts/assemble-pkg.mjs.)
import { readFileSync } from 'node:fs';
import * as wasm from './web/customer_health.js';
import * as calibration from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

const instance = wasm.initSync({ module: readFileSync(new URL('./web/customer_health_bg.wasm', import.meta.url)) });

let calibrationReady = false;
function loadCalibration() {
  if (!calibrationReady) {
    calibration.initSync({ module: readFileSync(new URL('./web/customer_health_calibration_bg.wasm', import.meta.url)) });
    calibrationReady = true;
  }
  return calibration;
}

/** Bytes of WebAssembly memory in use by the scoring module (for leak checks and diagnostics). */
export function wasmMemoryBytes() {
  return instance.memory.buffer.byteLength;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm, {
  calibration: { load: loadCalibration, loadAsync: async () => loadCalibration() },
});

/** Already initialised in Node; kept so that code written for browsers runs unchanged. */
export function init() {
  return Promise.resolve();
}

/** Loads the calibration module (done on first use in Node; kept for code written for browsers). */
export function initCalibration() {
  loadCalibration();
  return Promise.resolve();
}
