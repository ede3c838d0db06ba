// Browsers and bundlers (the default): the .wasm is fetched asynchronously.
// Call `await init()` once before using HealthModel; pass a URL, Response or
// WebAssembly.Module to control where the .wasm comes from.
import * as wasm from './web/customer_health.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

let ready = false;
let starting;

/** Loads and instantiates the .wasm (once; later calls return the same promise). */
export function init(input) {
  starting ??= wasm
    .default(input === undefined ? undefined : { module_or_path: input })
    .then(() => {
      ready = true;
    });
  return starting;
}

function ensureReady() {
  if (!ready) {
    throw new HealthScoreError({
      code: 'not_initialized',
      path: '',
      message: 'customer-health is not initialised yet',
      help: "call `await init()` from 'customer-health' before creating a HealthModel",
    });
  }
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm, ensureReady);
