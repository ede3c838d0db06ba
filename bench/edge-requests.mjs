// CPU per request of the edge service (not a test; issue 24): one workerd,
// 300 calls of each kind in a row, workerd's CPU time (user + system, from
// /proc) divided by the calls: an event (key check, scoring with up to 90
// days of history, two transactions), a read of a scorecard, a summary, and
// a request refused for want of a key.
//   node bench/edge-requests.mjs
import { startEdge } from '../tests/edge/harness.mjs';
import { readFileSync } from 'node:fs';
const edge = await startEdge('qbench');
const key = await edge.keyFor('b');
const model = JSON.parse(readFileSync(new URL('../presets/saas-points.json', import.meta.url), 'utf8'));
await edge.call('PUT', '/tenants/b/model', model, key);
const values = (i) => ({ usage: 20 + (i * 37) % 70, complaints: i % 4, follows: i % 3 !== 0, reacts: i % 5 === 0, csm: 1 + (i % 10) });
const start = Date.now() - 400 * 86400000;
let c0 = edge.cpuMs(); let t0 = performance.now();
for (let i = 0; i < 300; i++) { const r = await edge.call('POST', '/tenants/b/accounts/solo/events', { id: `s${i}`, at: new Date(start + i * 86400000).toISOString(), values: values(i) }, key); if (r.status !== 200) throw new Error(JSON.stringify(r.body)); }
console.log('event cpu ms', (edge.cpuMs() - c0) / 300, 'wall', (performance.now() - t0) / 300);
c0 = edge.cpuMs(); t0 = performance.now();
for (let i = 0; i < 300; i++) await edge.call('GET', '/tenants/b/accounts/solo', undefined, key);
console.log('get cpu ms', (edge.cpuMs() - c0) / 300, 'wall', (performance.now() - t0) / 300);
c0 = edge.cpuMs(); t0 = performance.now();
for (let i = 0; i < 300; i++) await edge.call('GET', '/tenants/b/summary', undefined, key);
console.log('summary cpu ms', (edge.cpuMs() - c0) / 300, 'wall', (performance.now() - t0) / 300);
c0 = edge.cpuMs(); t0 = performance.now();
for (let i = 0; i < 300; i++) await edge.call('GET', '/tenants/b/summary', undefined, null);
console.log('401 cpu ms', (edge.cpuMs() - c0) / 300, 'wall', (performance.now() - t0) / 300);
await edge.stop();
