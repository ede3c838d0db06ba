// Node (ESM): reads the .wasm from disk and initialises synchronously.
import { readFileSync } from 'node:fs';
import * as wasm from './web/customer_health.js';
import { makeApi } from './api.mjs';
export { presets } from './presets.mjs';

const instance = wasm.initSync({ module: readFileSync(new URL('./web/customer_health_bg.wasm', import.meta.url)) });

/** Bytes of WebAssembly memory in use (for leak checks and diagnostics). */
export function wasmMemoryBytes() {
  return instance.memory.buffer.byteLength;
}

export const { HealthModel, HealthModelSet, HealthStore, HealthScoreError, errorCodes } = makeApi(wasm);

/** Already initialised in Node; kept so that code written for browsers runs unchanged. */
export function init() {
  return Promise.resolve();
}
