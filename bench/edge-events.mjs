// The edge service under load, authentication on (not a test; issues 14 and
// 24): examples/edge-service in local workerd with on-disk Durable Object
// storage, configured by its make-config.mjs. Events per second, latency and
// workerd's CPU per event for one account (events are applied one at a time
// per account) and across 1,000 accounts; a year of daily events loaded by
// one backfill; the storage of one account, SQLite and its write-ahead log.
//   node bench/edge-events.mjs [events] [clients]
import { Agent, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, startEdge } from '../tests/edge/harness.mjs';

const events = Number(process.argv[2] ?? 4000);
const clients = Number(process.argv[3] ?? 32);
const edge = await startEdge('bench-edge');
const key = await edge.keyFor('bench', ['ingest', 'read', 'admin']);

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
function call(method, path, body) {
  return new Promise((ok, fail) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { authorization: `Bearer ${key}`, ...(data ? { 'content-length': data.length } : {}) };
    const req = httpRequest({ host: '127.0.0.1', port: edge.port, path: `/tenants/bench${path}`, method, agent, headers }, (res) => {
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
// Daily events ending now (the sample model's scores do not age, so no
// rescoring comes between them): each event reads the points of the model's
// longest window, 90 days, as a live account's would.
const start = Date.now() - (events + 1001) * 86_400_000;
const iso = (i) => new Date(start + i * 86_400_000).toISOString();

function summary(latencies, seconds, cpu) {
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return `${latencies.length} events in ${seconds.toFixed(2)} s: ${(latencies.length / seconds).toFixed(0)} events/s, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, workerd CPU ${(cpu / latencies.length).toFixed(2)} ms per event`;
}

async function load(accountOf, n, offset) {
  const latencies = [];
  let next = 0;
  const cpu0 = edge.cpuMs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = next++; i < n; i = next++) {
      const t = performance.now();
      const r = await call('POST', `/accounts/${accountOf(i)}/events`, { id: `e${i}`, at: iso(offset + i), values: values(i) });
      if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
      latencies.push(performance.now() - t);
    }
  }));
  return summary(latencies, (performance.now() - t0) / 1000, edge.cpuMs() - cpu0);
}

try {
  if ((await call('PUT', '/model', model)).status !== 200) throw new Error('the model was refused');
  // One account, one client: events in time order.
  const latencies = [];
  const cpu0 = edge.cpuMs();
  const t0 = performance.now();
  const solo = Math.min(events, 1000);
  for (let i = 0; i < solo; i++) {
    const t = performance.now();
    const r = await call('POST', '/accounts/solo/events', { id: `s${i}`, at: iso(i), values: values(i) });
    if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
    latencies.push(performance.now() - t);
  }
  console.log(`one account, one client (events in time order):  ${summary(latencies, (performance.now() - t0) / 1000, edge.cpuMs() - cpu0)}`);
  console.log(`1,000 accounts, ${clients} clients (first event of each included): ${await load((i) => `acct-${i % 1000}`, events, 1000)}`);
  // A year of daily events for one account, in one backfill.
  const year = Array.from({ length: 365 }, (_, i) => ({ id: `y${i}`, at: new Date(Date.now() - (366 - i) * 86_400_000).toISOString(), values: values(i) }));
  const t1 = performance.now();
  const b = await call('POST', '/accounts/year/backfill', { events: year });
  if (b.status !== 200) throw new Error(`${b.status} ${b.text.slice(0, 300)}`);
  console.log(`backfill of 365 daily events into one account: ${(performance.now() - t1).toFixed(0)} ms in one request`);
  // Its files: the account whose export holds `year`'s events.
  const files = edge.files();
  const yearDb = files.find(([p, bytes]) => p.endsWith('.sqlite') && bytes.includes('"y364"'))
    ?? files.find(([p, bytes]) => p.endsWith('.sqlite-wal') && bytes.includes('y364'));
  const base = yearDb[0].replace(/-wal$/, '');
  const size = (suffix) => files.find(([p]) => p === base + suffix)?.[1].length ?? 0;
  const db = size('');
  const wal = size('-wal');
  const shm = size('-shm');
  console.log(`storage of that account: ${(db / 1024).toFixed(0)} KiB SQLite + ${(wal / 1024).toFixed(0)} KiB write-ahead log + ${(shm / 1024).toFixed(0)} KiB shared memory = ${((db + wal + shm) / 1024).toFixed(0)} KiB for 365 snapshots with their inputs (event ids past the 30-day horizon pruned)`);
  const eventsLeft = JSON.parse((await call('GET', '/accounts/year/export')).text).events.length;
  console.log(`event ids kept: ${eventsLeft} of 365 (the replay horizon, 30 days)`);
} finally {
  await edge.stop();
  agent.destroy();
}
