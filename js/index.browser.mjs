// Browsers and bundlers (the default): the .wasm is fetched asynchronously.
// Call `await init()` once before using HealthModel; pass a URL, Response or
// WebAssembly.Module to control where the .wasm comes from. The calibration
// module is fetched when first needed: the `…Async` calibration calls load
// it themselves; the synchronous ones need `await initCalibration()` first.
import * as wasm from './web/customer_health.js';
import * as calibration from './web/customer_health_calibration.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

let ready = false;
let starting;
let calibrationReady = false;
let calibrationStarting;

/** Loads and instantiates the scoring module (once; later calls return the same promise). */
export function init(input) {
  starting ??= wasm
    .default(input === undefined ? undefined : { module_or_path: input })
    .then(() => {
      ready = true;
    });
  return starting;
}

/** Loads the calibration module (once); pass a URL, Response or WebAssembly.Module to choose where from. */
export function initCalibration(input) {
  calibrationStarting ??= calibration
    .default(input === undefined ? undefined : { module_or_path: input })
    .then(() => {
      calibrationReady = true;
    });
  return calibrationStarting;
}

function notReady(what, call) {
  return new HealthScoreError({
    code: 'not_initialized',
    path: '',
    message: `customer-health's ${what} is not initialised yet`,
    help: `call \`await ${call}\` from 'customer-health' first`,
  });
}

function ensureReady() {
  if (!ready) throw notReady('module', 'init()');
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm, {
  ensureReady,
  calibration: {
    load() {
      if (!calibrationReady) throw notReady('calibration module', 'initCalibration()');
      return calibration;
    },
    async loadAsync() {
      await initCalibration();
      return calibration;
    },
  },
});
