// Benchmark (not a test): the 12-measure model of bench/bench12.model.json
// scored by the plain-JS code a user would write instead (an object loop and
// a hand-tuned columnar kernel) against the package's paths and native Rust,
// on N accounts (default 1,000,000). Checks that every path gives the same
// scores and bands first (bench/bench12.mjs).
//   node --expose-gc bench/node-vs-plain-js.mjs [N] [rounds]
// Native figures come from `cargo run --release --example bench_columns`
// (run here when cargo is available; set NATIVE=0 to skip).
import { readFileSync } from 'node:fs';
import * as api from '../pkg/index.node.mjs';
import { createBindings } from '../pkg/web/customer_health.js';
import { run, report, generate } from './bench12.mjs';
import { native } from './native.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 7);
const doc = JSON.parse(readFileSync(new URL('./bench12.model.json', import.meta.url), 'utf8'));

const raw = createBindings();
raw.initSync({ module: readFileSync(new URL('../pkg/web/customer_health_bg.wasm', import.meta.url)) });
const heap = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
};

const nat = native(n, rounds);
const result = run({ api, raw, doc, n, rounds, heap });
if (nat) {
  // Native scored the same rows to the same numbers: compare the sums.
  const sum = new api.HealthModel(doc).scoreColumns(generate(doc, n).cols).scores.reduce((a, b) => a + b, 0);
  if (sum !== nat.checksum) throw new Error(`native checksum ${nat.checksum} differs from wasm ${sum}`);
}
console.log(report(result, { n, rounds, where: `Node ${process.version}`, native: nat }));
