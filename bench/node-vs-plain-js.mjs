// Benchmark (not a test): the 12-measure model of bench/bench12.model.json
// scored by the plain-JS code a user would write instead (an object loop and
// a hand-tuned columnar kernel) against the package's paths and native Rust,
// on N accounts (default 1,000,000). Checks that every path gives the same
// scores and bands first (bench/bench12.mjs).
//   node bench/node-vs-plain-js.mjs [N] [rounds]
// Native figures come from `cargo run --release --example bench_columns`
// (run here when cargo is available; set NATIVE=0 to skip).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as api from '../pkg/index.node.mjs';
import * as raw from '../pkg/web/customer_health.js';
import { run, report } from './bench12.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 7);
const doc = JSON.parse(readFileSync(new URL('./bench12.model.json', import.meta.url), 'utf8'));

let native;
if (process.env.NATIVE !== '0') {
  try {
    const out = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_columns', '--', String(n), String(rounds)], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    native = { columnsMs: r.columnsMs, kernelMs: r.columnsMs, breakdownMs: r.breakdownMs, checksum: r.checksum };
  } catch (e) {
    console.error(`native run skipped: ${e.message}`);
  }
}

const result = run({ api, raw, doc, n, rounds });
if (native) {
  const { cols } = (await import('./bench12.mjs')).generate(doc, n);
  const sum = new api.HealthModel(doc).scoreColumns(cols).scores.reduce((a, b) => a + b, 0);
  if (sum !== native.checksum) throw new Error(`native checksum ${native.checksum} differs from wasm ${sum}`);
}
console.log(report(result, { n, rounds, where: `Node ${process.version}`, native }));
