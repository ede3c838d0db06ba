// Cold start in workerd (not a test): the edge example (examples/edge-worker)
// bundled with esbuild as the packaging test does, served by workerd; the
// time from starting workerd to the first scored answer, against the same
// for a worker that does nothing. The difference is what the package adds
// (loading and compiling the .wasm, instantiating it, building the model
// and scoring once); workerd's own start is the baseline. Median of N runs.
//   node bench/workerd-cold-start.mjs [runs]
// Timing inside workerd is not possible: its clocks only advance on I/O.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 9);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = join(root, 'target', 'bench-workerd');
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'node_modules'), { recursive: true });
symlinkSync(join(root, 'pkg'), join(dir, 'node_modules', 'customer-health'));
writeFileSync(join(dir, 'worker.js'), readFileSync(join(root, 'examples', 'edge-worker', 'worker.js')));
writeFileSync(join(dir, 'empty.js'), "export default { fetch() { return new Response('{}'); } };\n");
for (const name of ['worker', 'empty']) {
  execFileSync(bin('esbuild'), [`${name}.js`, '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker',
    '--loader:.wasm=copy', '--asset-names=[name]', `--outdir=dist-${name}`, '--log-level=warning'], { cwd: dir });
}
const wasmName = readdirSync(join(dir, 'dist-worker')).find((f) => f.endsWith('.wasm'));

function config(name, port) {
  const wasm = name === 'worker' ? `\n    (name = "${wasmName}", wasm = embed "dist-worker/${wasmName}"),` : '';
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist-${name}/${name}.js"),${wasm}
  ],
  compatibilityDate = "2025-01-01",
);
`;
}

const body = JSON.stringify({ id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } });
async function once(name) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const file = join(dir, `${name}-${port}.capnp`);
  writeFileSync(file, config(name, port));
  const t0 = performance.now();
  const child = spawn(bin('workerd'), ['serve', file], { cwd: dir, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/score`, { method: 'POST', body });
        const json = await res.json();
        if (name === 'worker' && json.total !== 23) throw new Error(`unexpected answer ${JSON.stringify(json)}`);
        return performance.now() - t0;
      } catch (e) {
        if (e.message.startsWith('unexpected')) throw e;
        await new Promise((ok) => setTimeout(ok, 1));
      }
    }
  } finally {
    child.kill();
    await new Promise((ok) => child.once('exit', ok));
  }
}

const times = { worker: [], empty: [] };
for (let i = 0; i < runs; i++) {
  for (const name of ['empty', 'worker']) times[name].push(await once(name));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const w = med(times.worker);
const e = med(times.empty);
console.log(`workerd ${execFileSync(bin('workerd'), ['--version'], { encoding: 'utf8' }).trim()}, median of ${runs} fresh processes`);
console.log(`start → first answer: empty worker ${e.toFixed(1)} ms, customer-health worker ${w.toFixed(1)} ms; the package adds ${(w - e).toFixed(1)} ms`);
