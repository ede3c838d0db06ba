// The edge service (examples/edge-service) as a platform engineer runs it:
// bundled with esbuild, configured by the example's make-config.mjs, served
// by workerd with on-disk Durable Object storage; and a webhook receiver
// here. Each test file starts its own service in its own folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorker, edgeServiceConfig } from '../../scripts/workerd-bundle.mjs';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** Waits until `check()` gives something truthy (or fails after `ms`, with `context()` in the message). */
export async function until(what, check, { ms = 20000, context = () => '' } = {}) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const got = await check();
      if (got) return got;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}\n${last ?? ''}\n${context()}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

/**
 * Starts the service: `{ call, operator, keyFor, restart, stop, files, log }`.
 * `settings` are EDGE_… bindings; `dev` allows webhooks to this machine.
 */
export async function startEdge(name, { settings = {}, dev = true } = {}) {
  const dir = join(root, 'target', 'edge-test', name);
  const wasm = bundleWorker(root, dir, join(root, 'examples', 'edge-service', 'worker.js'));
  assert.ok(wasm, 'the bundle holds the .wasm');
  const storage = join(dir, 'storage');
  rmSync(storage, { recursive: true, force: true });
  const secret = randomBytes(32).toString('hex');
  const port = 20000 + Math.floor(Math.random() * 20000);
  edgeServiceConfig(root, dir, { port, storage, secret, dev, settings });
  let child;
  const edge = {
    operator: secret,
    storage,
    log: '',
    start() {
      child = spawn(join(root, 'node_modules', '.bin', 'workerd'), ['serve', 'config.capnp', '--experimental'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d) => (edge.log += d));
      child.stderr.on('data', (d) => (edge.log += d));
      return until('workerd', async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 404, { context: () => edge.log });
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const gone = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      await edge.stop();
      await edge.start();
    },
    /** A request with `key` (a tenant key, the operator secret, or null): `{ status, body, headers }`. */
    async call(method, path, body, key = secret, headers = {}) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    /**
     * A request whose body the edge may refuse before reading it all (over
     * a size limit): sent with node:http, which gives the answer that
     * comes while the body is still being sent (fetch reports the cut
     * upload as "fetch failed", depending on timing). `{ status, body }`.
     */
    sendOversized(method, path, text, key = secret) {
      return new Promise((ok, fail) => {
        const req = httpRequest(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(text) } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => {
            ok({ status: res.statusCode, body: JSON.parse(body) });
            req.destroy();
          });
        });
        req.on('error', () => {}); // (the upload cut off after the answer)
        req.end(text);
        setTimeout(() => fail(new Error(`no answer: ${edge.log}`)), 20_000).unref();
      });
    },
    /** A new key of `tenant` with `scopes`, made by the operator. */
    async keyFor(tenant, scopes = ['ingest', 'read', 'admin']) {
      const r = await edge.call('POST', `/tenants/${tenant}/keys`, { name: 'test', scopes });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.key;
    },
    /** workerd's CPU time so far (user + system), in ms, from /proc. */
    cpuMs() {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 per second)
    },
    /** Every file under the storage folder: [path, bytes]. */
    files() {
      const out = [];
      const walk = (d) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const p = join(d, e.name);
          if (e.isDirectory()) walk(p);
          else {
            try {
              out.push([p, readFileSync(p)]);
            } catch (err) {
              if (err.code !== 'ENOENT') throw err; // (workerd removes a database's side files as we read)
            }
          }
        }
      };
      walk(storage);
      return out;
    },
    port,
  };
  mkdirSync(storage, { recursive: true });
  await edge.start();
  return edge;
}

/**
 * A webhook receiver on 127.0.0.1: every delivery in `received` ({ key,
 * signature, body, at }); `fail` (a count) answers 500 that many times;
 * `hang` (a count) leaves that many requests unanswered.
 */
export async function startReceiver() {
  const r = { received: [], attempts: [], fail: 0, hang: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      r.attempts.push({ key: req.headers['idempotency-key'], at: Date.now() });
      if (r.hang > 0) {
        r.hang--;
        return; // never answered
      }
      if (r.fail > 0) {
        r.fail--;
        res.writeHead(500).end('not now');
        return;
      }
      r.received.push({ key: req.headers['idempotency-key'], signature: req.headers['x-health-signature'], body, at: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  r.url = `http://127.0.0.1:${server.address().port}/hook`;
  r.close = () => {
    server.closeAllConnections();
    server.close();
  };
  return r;
}

/** One 0..100 scale `x` (score = x) under three bands, and `complaints` (weight 0). */
export const scaleModel = (id = 'edge-test') => ({
  version: 1, id,
  bands: [
    { id: 'at_risk', label: 'At risk', color: '#d55e00', from: 0 },
    { id: 'neutral', label: 'Neutral', color: '#e69f00', from: 33 },
    { id: 'opportunity', label: 'Opportunity', color: '#009e73', from: 66 },
  ],
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'x', weight: 1, rule: { type: 'scale', min: 0, max: 100 } },
    { id: 'complaints', weight: 0, rule: { type: 'perEvent', points: -1, maxEvents: 100000 } },
  ] }],
});

export const day = (d) => new Date(Date.UTC(2026, 2, 1) + (d - 1) * 86_400_000).toISOString();
