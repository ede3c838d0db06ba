// Runs the native side of the 1M × 12 benchmark (examples/bench_columns.rs)
// for the Node and Chromium runners, so every report carries its ratio to
// native Rust measured in the same run. Returns undefined when cargo is not
// available or NATIVE=0.
import { execFileSync } from 'node:child_process';

export function native(n, rounds) {
  if (process.env.NATIVE === '0') return undefined;
  try {
    const out = execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'bench_columns', '--', String(n), String(rounds)], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    return { columnsMs: r.columnsMs, kernelMs: r.columnsMs, breakdownMs: r.breakdownMs, checksum: r.checksum };
  } catch (e) {
    console.error(`native run skipped: ${e.message}`);
    return undefined;
  }
}
