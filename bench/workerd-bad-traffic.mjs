// Bad traffic at the edge (not a test; issue 17): the edge example
// (examples/edge-worker) in workerd, with 50 concurrent clients. First good
// requests only; then the same good requests while other clients send 10 MB
// bodies and deeply nested ones. Prints the p50/p99 latency of the good
// requests in each run and workerd's resident memory (VmRSS) at its peak.
//   node bench/workerd-bad-traffic.mjs [seconds per run]
import { spawn } from 'node:child_process';
import { bundleWorker } from '../scripts/workerd-bundle.mjs';
import { writeFileSync, readFileSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const seconds = Number(process.argv[2] ?? 10);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = join(root, 'target', 'bench-workerd-bad');
const wasmName = bundleWorker(root, dir, join(root, 'examples', 'edge-worker', 'worker.js'));
const port = 20000 + Math.floor(Math.random() * 20000);
writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "${wasmName}", wasm = embed "dist/${wasmName}"),
  ],
  compatibilityDate = "2025-01-01",
);
`);

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const good = Buffer.from(JSON.stringify({ id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }));
const huge = Buffer.alloc(10 * 1024 * 1024, 120);
const nested = Buffer.from('['.repeat(50_000) + ']'.repeat(50_000));

/** One POST; resolves with the status once the answer is read (the upload may be cut short). */
function post(body) {
  return new Promise((ok) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/score', method: 'POST', agent: body === good ? agent : undefined, headers: { 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode));
    });
    req.on('error', () => ok(0));
    req.end(body);
  });
}

let peakRss = 0;
function sampleRss(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    peakRss = Math.max(peakRss, kb * 1024);
  } catch {
    // the process is gone
  }
}

async function run(goodClients, badClients) {
  const latencies = [];
  const statuses = {};
  const until = performance.now() + seconds * 1000;
  const client = async (bad) => {
    let k = 0;
    while (performance.now() < until) {
      if (bad) {
        const s = await post(k++ % 2 ? huge : nested);
        statuses[s] = (statuses[s] ?? 0) + 1;
      } else {
        const t = performance.now();
        const s = await post(good);
        if (s !== 200) throw new Error(`a good request got ${s}`);
        latencies.push(performance.now() - t);
      }
    }
  };
  await Promise.all([...Array(goodClients)].map(() => client(false)).concat([...Array(badClients)].map(() => client(true))));
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { requests: latencies.length, p50: q(0.5), p99: q(0.99), bad: statuses };
}

const child = spawn(bin('workerd'), ['serve', 'config.capnp'], { cwd: dir, stdio: 'ignore' });
const sampler = setInterval(() => sampleRss(child.pid), 50);
try {
  for (let i = 0; i < 100; i++) {
    if ((await post(good)) === 200) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  sampleRss(child.pid);
  const idle = peakRss;
  const a = await run(50, 0);
  const afterGood = peakRss;
  const b = await run(25, 25);
  const fmt = (r) => `${r.requests} good requests, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;
  console.log(`workerd resident memory: ${(idle / 2 ** 20).toFixed(0)} MB at start`);
  console.log(`good only (50 clients):             ${fmt(a)}; peak memory ${(afterGood / 2 ** 20).toFixed(0)} MB`);
  console.log(`good (25) with bad traffic (25):    ${fmt(b)}; peak memory ${(peakRss / 2 ** 20).toFixed(0)} MB; bad answers by status ${JSON.stringify(b.bad)}`);
  console.log(`p99 with bad traffic / p99 good only: ${(b.p99 / a.p99).toFixed(2)}`);
} finally {
  clearInterval(sampler);
  child.kill();
  agent.destroy();
}
