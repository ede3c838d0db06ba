// The edge service under load (not a test; issue 14): examples/edge-service
// in local workerd with on-disk Durable Object storage. Events per second
// and latency for one account (events are applied one at a time per
// account) and across 1,000 accounts, and the storage of one account after a
// year of daily events.
//   node bench/edge-events.mjs [events] [clients]
import { spawn } from 'node:child_process';
import { bundleWorker, edgeServiceConfig } from '../scripts/workerd-bundle.mjs';
import { mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const events = Number(process.argv[2] ?? 4000);
const clients = Number(process.argv[3] ?? 32);
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = join(root, 'target', 'bench-edge');
const storage = join(dir, 'storage');
const wasmName = bundleWorker(root, dir, join(root, 'examples', 'edge-service', 'worker.js'));
mkdirSync(storage, { recursive: true });
const port = 20000 + Math.floor(Math.random() * 20000);
writeFileSync(join(dir, 'config.capnp'), edgeServiceConfig(root, {
  PORT: port, STORAGE: storage, WASM: wasmName, RETRY_MS: 1000, RESCORE_MS: 24 * 3600 * 1000, MAX_SNAPSHOTS: 730,
}));

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function call(method, path, body) {
  return new Promise((ok, fail) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = httpRequest({ host: '127.0.0.1', port, path: `/tenants/bench${path}`, method, agent, headers: data ? { 'content-length': data.length } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => ok({ status: res.statusCode, text }));
    });
    req.on('error', fail);
    req.end(data);
  });
}

const model = JSON.parse(readFileSync(join(root, 'presets', 'saas-points.json'), 'utf8'));
const values = (i) => ({ usage: 20 + (i * 37) % 70, complaints: i % 4, follows: i % 3 !== 0, reacts: i % 5 === 0, csm: 1 + (i % 10) });
const iso = (i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();

async function load(accountOf, n) {
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < n; i = next++) {
      const t = performance.now();
      const r = await call('POST', `/accounts/${accountOf(i)}/events`, { id: `e${i}`, at: iso(i), values: values(i) });
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return `${n} events in ${seconds.toFixed(2)} s: ${(n / seconds).toFixed(0)} events/s, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms`;
}

const child = spawn(bin('workerd'), ['serve', 'config.capnp', '--experimental'], { cwd: dir, stdio: 'ignore' });
try {
  for (let i = 0; ; i++) {
    try {
      if ((await call('PUT', '/model', model)).status === 200) break;
    } catch {
      if (i > 100) throw new Error('workerd did not start');
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  // Events in time order per account: one account gets them in order from
  // one client at a time; across accounts, any order.
  const one = await (async () => {
    const latencies = [];
    const t0 = performance.now();
    for (let i = 0; i < Math.min(events, 1000); i++) {
      const t = performance.now();
      const r = await call('POST', '/accounts/solo/events', { id: `s${i}`, at: iso(i), values: values(i) });
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      latencies.push(performance.now() - t);
    }
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    return `${latencies.length} events in ${seconds.toFixed(2)} s: ${(latencies.length / seconds).toFixed(0)} events/s, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms`;
  })();
  console.log(`one account, one client (events in time order):  ${one}`);
  console.log(`1,000 accounts, ${clients} clients:                  ${await load((i) => `acct-${i % 1000}`, events)}`);
  // A year of daily events for one account: its SQLite file.
  for (let i = 0; i < 365; i++) await call('POST', '/accounts/year/events', { id: `y${i}`, at: iso(i), values: values(i) });
  const files = [];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(join(d, e.name)) : files.push(join(d, e.name))));
  walk(storage);
  const sizes = files.filter((f) => f.endsWith('.sqlite')).map((f) => statSync(f).size).sort((a, b) => b - a);
  // The two largest files: the solo account (1,000 events, the history capped
  // at 730 snapshots) and the year account (365 daily events).
  console.log(`storage per account: ${(sizes[1] / 1024).toFixed(0)} KiB after a year of daily events (365 points with their inputs, the last full scorecard), ${(sizes[0] / 1024).toFixed(0)} KiB at the default cap of 730 snapshots; median over ${sizes.length} files ${(sizes[Math.floor(sizes.length / 2)] / 1024).toFixed(0)} KiB (a handful of events)`);
} finally {
  child.kill();
  agent.destroy();
}
