// Node: reads the .wasm from disk and instantiates it synchronously; the
// calibration module is read and instantiated on first use. (The CommonJS
// entry, index.node.cjs, is this file bundled by scripts/assemble-pkg.mjs.)
import { readFileSync } from 'node:fs';
import { createBindings } from './web/customer_health.js';
import { createBindings as createCalibrationBindings } from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
import { makeRuntime } from './runtime.mjs';
export { presets } from './presets.mjs';

const scoring = makeRuntime(createBindings);
scoring.startSync(readFileSync(new URL('./web/customer_health_bg.wasm', import.meta.url)));
const calibration = makeRuntime(createCalibrationBindings);

function loadCalibration() {
  calibration.startSync(readFileSync(new URL('./web/customer_health_calibration_bg.wasm', import.meta.url)));
  return calibration.bindings;
}

/** Bytes of WebAssembly memory in use by the scoring module (for leak checks and diagnostics). */
export function wasmMemoryBytes() {
  return scoring.exports.memory.buffer.byteLength;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes, parseCsv, limits, constants } = makeApi(scoring, {
  calibration: { load: loadCalibration, loadAsync: async () => loadCalibration(), reset: () => calibration.reset() },
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
