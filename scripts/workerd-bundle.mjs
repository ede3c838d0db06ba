// A worker bundled as the packaging tests do (esbuild, the package's
// `workerd` condition, the .wasm kept as a module), in a scratch folder
// whose node_modules/customer-health is pkg/; and the edge service's workerd
// configuration with its {{…}} placeholders filled in. Used by the edge
// tests and the workerd benchmarks.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Bundles `worker` (a path) into `dir`/dist/worker.js; returns the .wasm file's name in dist/. */
export function bundleWorker(root, dir, worker) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(join(root, 'pkg'), join(dir, 'node_modules', 'customer-health'));
  writeFileSync(join(dir, 'worker.js'), readFileSync(worker));
  execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), ['worker.js', '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker',
    '--loader:.wasm=copy', '--asset-names=[name]', '--outdir=dist', '--log-level=warning'], { cwd: dir });
  return readdirSync(join(dir, 'dist')).find((f) => f.endsWith('.wasm'));
}

/**
 * The edge service's workerd configuration, written into `dir` by the
 * example's own script (examples/edge-service/make-config.mjs, run as a user
 * runs it): `port`, `storage` (a folder), the operator `secret`, `dev`
 * (private webhooks allowed) and `settings` ({ EDGE_…: value }).
 * Gives the configuration's path.
 */
export function edgeServiceConfig(root, dir, { port, storage, secret, dev = true, settings = {} }) {
  for (const f of ['make-config.mjs', 'config.capnp.template']) copyFileSync(join(root, 'examples', 'edge-service', f), join(dir, f));
  writeFileSync(join(dir, 'operator.secret'), secret, { mode: 0o600 });
  const args = ['make-config.mjs', '--secret-file', 'operator.secret', '--port', String(port), '--storage', storage, '--dist', 'dist', '--out', 'config.capnp'];
  if (dev) args.push('--dev');
  for (const [k, v] of Object.entries(settings)) args.push('--set', `${k}=${v}`);
  execFileSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, 'config.capnp');
}
