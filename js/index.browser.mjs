// Browsers and bundlers (the default): the .wasm is fetched asynchronously.
// Call `await init()` once before using HealthModel; pass a URL, Response or
// WebAssembly.Module to control where the .wasm comes from. The calibration
// module is fetched when first needed: the `…Async` calibration calls load
// it themselves; the synchronous ones need `await initCalibration()` first.
import { createBindings } from './web/customer_health.js';
import { createBindings as createCalibrationBindings } from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
import { makeRuntime } from './runtime.mjs';
export { presets } from './presets.mjs';

const scoring = makeRuntime(createBindings);
const calibration = makeRuntime(createCalibrationBindings);
let starting;
let calibrationStarting;

/** Loads and instantiates the scoring module (once; later calls return the same promise). */
export function init(input) {
  starting ??= scoring.start(input).catch((e) => {
    starting = undefined;
    throw e;
  });
  return starting;
}

/** Loads the calibration module (once); pass a URL, Response or WebAssembly.Module to choose where from. */
export function initCalibration(input) {
  calibrationStarting ??= calibration.start(input).catch((e) => {
    calibrationStarting = undefined;
    throw e;
  });
  return calibrationStarting;
}

/** Bytes of WebAssembly memory in use by the scoring module (0 before `init`; for leak checks and diagnostics). */
export function wasmMemoryBytes() {
  return scoring.exports?.memory.buffer.byteLength ?? 0;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes, parseCsv, limits, constants } = makeApi(scoring, {
  calibration: {
    /** The calibration bindings, or null before initCalibration() has finished. */
    load: () => calibration.bindings,
    help: "call `await initCalibration()` from 'customer-health' first, or use the …Async calls",
    async loadAsync() {
      await initCalibration();
      return calibration.bindings;
    },
    reset: () => calibration.reset(),
  },
});
