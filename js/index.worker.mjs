// Edge workers (Cloudflare Workers / workerd and other `worker` runtimes):
// the .wasm is imported as a WebAssembly.Module (these runtimes refuse to
// compile wasm from bytes at run time) and initialised synchronously.
import wasmModule from './web/customer_health_bg.wasm';
import * as wasm from './web/customer_health.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

wasm.initSync({ module: wasmModule });

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm);

/** Already initialised; kept so that code written for browsers runs unchanged. */
export function init() {
  return Promise.resolve();
}
