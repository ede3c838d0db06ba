// Node (CommonJS): wasm-bindgen's nodejs glue loads the .wasm synchronously.
const wasm = require('./node/customer_health.js');
const { makeApi } = require('./api.cjs');
const { presets } = require('./presets.cjs');

module.exports = {
  ...makeApi(wasm),
  presets,
  /** Already initialised in Node; kept so that code written for browsers runs unchanged. */
  init: () => Promise.resolve(),
};
