// A worker bundled as the packaging tests do (esbuild, the package's
// `workerd` condition, the .wasm kept as a module), in a scratch folder
// whose node_modules/customer-health is pkg/; and the edge service's workerd
// configuration with its {{…}} placeholders filled in. Used by the edge
// tests and the workerd benchmarks.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** examples/edge-service/config.capnp.template with `{ PORT, STORAGE, WASM, RETRY_MS, RESCORE_MS, MAX_SNAPSHOTS }` filled in. */
export function edgeServiceConfig(root, vars) {
  let text = readFileSync(join(root, 'examples', 'edge-service', 'config.capnp.template'), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{{${k}}}`, String(v));
  return text;
}
