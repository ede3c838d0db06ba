// Packaging tests: `npm pack` the built package, install the tarball into
// throwaway projects and run each in a real runtime:
//   node-esm   Node, ESM import
//   node-cjs   Node, CommonJS require
//   vite       a Vite production build, loaded in headless Chromium (playwright-core)
//   workerd    a Cloudflare worker in workerd, answering POST /score over HTTP
// Every server listens on 127.0.0.1 only. Run after scripts/build-pkg.sh:
//   node --test tests/packaging/
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync, readdirSync, existsSync, createReadStream, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { join, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const work = join(root, 'target', 'packaging');
const bin = (name) => join(root, 'node_modules', '.bin', name);
let tarball;

function run(cmd, args, cwd, env = {}) {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function project(name, files) {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball], dir);
  return dir;
}

before(() => {
  assert.ok(existsSync(join(root, 'pkg', 'package.json')), 'build the package first: bash scripts/build-pkg.sh');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, join(root, 'pkg')], root));
  tarball = join(work, out[0].filename);
  const files = out[0].files.map((f) => f.path);
  for (const f of ['package.json', 'index.d.ts', 'types.d.ts', 'model.schema.json', 'web/customer_health_bg.wasm', 'web/customer_health_calibration_bg.wasm', 'index.node.cjs', 'index.worker.mjs']) {
    assert.ok(files.includes(f), `${f} is in the tarball`);
  }
});

// The composite-kpi preset (40/35/25) with 4/3/5 scores 72.5 as well:
// 100 × (0.4·0.75 + 0.35·0.5 + 0.25·1.0).
const check = `
  const model = new HealthModel(presets['composite-kpi']);
  const card = model.score({ id: 'acme', values: { operations: 4, commercial: 3, engagement: 5 } });
  let code = null;
  try { model.score({ id: 'x', values: { operations: NaN } }); } catch (e) { code = e instanceof HealthScoreError && e.code + '@' + e.path; }
  const after = model.score({ id: 'acme', values: { operations: 4, commercial: 3, engagement: 5 } }).score;
  const result = { score: card.score, band: card.band.id, hash: model.hash, code, after };
`;
const expected = { score: 72.5, band: 'watch', hash: 'cb88eade3a959d9c9cee31f4939ec5bfbacbd062d00f0c3328fd6388f80e1f3e', code: 'not_finite@values.operations', after: 72.5 };

// Calibration, from the second module (loaded on first use): a table where
// x predicts churn; the suggested points model backtests at AUC 1.
const calibrate = `
  const rows = Array.from({ length: 200 }, (_, i) => ({ x: i % 20, churned: i % 20 < 6 }));
  const s = HealthModel.suggest(rows, { outcome: { column: 'churned', churnedWhen: true } });
  result.suggest = { aggregation: s.model.aggregation, auc: s.backtest.auc };
`;
const calibrated = { ...expected, suggest: { aggregation: 'points', auc: 1 } };

test('Node ESM', () => {
  const dir = project('node-esm', {
    'package.json': JSON.stringify({ name: 'esm-app', private: true, type: 'module' }),
    'index.js': `import { HealthModel, HealthScoreError, presets } from 'customer-health';\n${check}\n${calibrate}\nconsole.log(JSON.stringify(result));`,
  });
  assert.deepEqual(JSON.parse(run('node', ['index.js'], dir)), calibrated);
  // The Node example (examples/node) scores the sample CSV.
  writeFileSync(join(dir, 'score-csv.mjs'), readFileSync(join(root, 'examples', 'node', 'score-csv.mjs')));
  const out = JSON.parse(run('node', ['score-csv.mjs', join(root, 'samples', 'model.json'), join(root, 'samples', 'accounts.csv'), '--json'], dir));
  assert.equal(out.summary.count, 200);
  assert.deepEqual(out.errors, []);
  const table = run('node', ['score-csv.mjs', join(root, 'samples', 'model.json'), join(root, 'samples', 'accounts.csv')], dir);
  assert.match(table, /200 scored, 0 problems/);
});

test('Node CommonJS', () => {
  const dir = project('node-cjs', {
    'package.json': JSON.stringify({ name: 'cjs-app', private: true }),
    'index.js': `const { HealthModel, HealthScoreError, presets } = require('customer-health');\n${check}\n${calibrate}\nconsole.log(JSON.stringify(result));`,
  });
  assert.deepEqual(JSON.parse(run('node', ['index.js'], dir)), calibrated);
});

function serve(dir) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

test('Vite production build in headless Chromium', async () => {
  const dir = project('vite', {
    'package.json': JSON.stringify({ name: 'vite-app', private: true, type: 'module' }),
    'index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="out">loading</pre><script type="module" src="/main.js"></script></body></html>',
    'main.js': `import { init, initCalibration, HealthModel, HealthScoreError, presets } from 'customer-health';
init().then(async () => {
  ${check}
  // The calibration module is fetched only when asked for.
  try { HealthModel.suggest([], { outcome: { column: 'c', churnedWhen: true } }); } catch (e) { result.before = e.code; }
  await initCalibration();
  ${calibrate}
  document.querySelector('#out').textContent = JSON.stringify(result);
}).catch((e) => { document.querySelector('#out').textContent = 'error: ' + e; });
`,
  });
  run(bin('vite'), ['build', '--logLevel', 'error'], dir);
  const dist = join(dir, 'dist');
  assert.ok(readdirSync(join(dist, 'assets')).some((f) => f.endsWith('.wasm')), 'the .wasm is emitted as an asset');
  const server = await serve(dist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => !r.url().startsWith('http://127.0.0.1:') && problems.push(`request left 127.0.0.1: ${r.url()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => document.querySelector('#out').textContent !== 'loading');
    const text = await page.textContent('#out');
    assert.deepEqual(JSON.parse(text), { ...calibrated, before: 'not_initialized' });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});

test('Cloudflare worker in workerd: POST /score over HTTP', async () => {
  const dir = project('workerd', {
    'package.json': JSON.stringify({ name: 'worker-app', private: true, type: 'module' }),
    'worker.js': readFileSync(join(root, 'examples', 'edge-worker', 'worker.js'), 'utf8'),
  });
  run(bin('esbuild'), ['worker.js', '--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker',
    '--loader:.wasm=copy', '--asset-names=[name]', '--outdir=dist', '--log-level=warning'], dir);
  const wasmName = readdirSync(join(dir, 'dist')).find((f) => f.endsWith('.wasm'));
  assert.ok(wasmName, 'the bundle keeps the .wasm as a module');
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
  const child = spawn(bin('workerd'), ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  try {
    const url = `http://127.0.0.1:${port}/score`;
    let res;
    for (let i = 0; i < 100 && !res; i++) {
      try {
        res = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }) });
      } catch {
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
    assert.ok(res, `workerd did not answer: ${log}`);
    assert.equal(res.status, 200, log);
    const card = await res.json();
    assert.equal(card.total, 23);
    assert.ok(Math.abs(card.score - 5700 / 94) < 1e-9);
    assert.equal(card.band.id, 'neutral');
    const bad = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'p', values: { csm: 42 } }) });
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { code: 'out_of_range', path: 'values.csm', message: '42 is outside the scale 1..10', help: 'send a value from 1 to 10' });
    const again = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }) });
    assert.equal((await again.json()).total, 23);
    assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
    // Bad traffic is refused before it is read or parsed (issue 17): a body
    // over 64 KiB (declared, or streamed without a length), nesting deeper
    // than 32 levels; then a good request still scores.
    // (the worker answers without reading the rest, so the client sees the
    // answer while it is still sending: http.request, not fetch, which
    // reports the cut upload as a failure)
    const postRaw = (headers, chunk) => new Promise((ok, fail) => {
      const req = httpRequest(url, { method: 'POST', headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => {
          ok({ status: res.statusCode, body: JSON.parse(body) });
          req.destroy();
        });
      });
      req.on('error', () => {});
      // a first part only; the worker must answer without the rest
      req.write(chunk);
      setTimeout(() => fail(new Error('no answer')), 10_000).unref();
    });
    const big = await postRaw({ 'content-length': 10 * 1024 * 1024 }, Buffer.alloc(64 * 1024, 120));
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'too_large');
    assert.match(big.body.help, /65536 bytes/);
    // Streamed without a length (chunked): cut off once past the limit.
    const streamed = await postRaw({ 'transfer-encoding': 'chunked' }, Buffer.alloc(80 * 1024, 32));
    assert.equal(streamed.status, 413);
    const deep = await fetch(url, { method: 'POST', body: '['.repeat(1000) + ']'.repeat(1000) });
    assert.equal(deep.status, 413);
    assert.match((await deep.json()).help, /32 levels/);
    const brackets = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'p', name: '[[[[{{{{'.repeat(20), values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }) });
    assert.equal(brackets.status, 200, 'brackets inside strings do not count');
    assert.equal((await fetch(url, { method: 'POST', body: '{"id": "p",' })).status, 400);
    const after = await fetch(url, { method: 'POST', body: JSON.stringify({ id: 'p', values: { usage: 45, complaints: 1, follows: true, reacts: false, csm: 8 } }) });
    assert.equal((await after.json()).total, 23);
  } finally {
    child.kill();
  }
});

test('the browser example (examples/browser) in headless Chromium', async () => {
  const server = await serve(root);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => !r.url().startsWith('http://127.0.0.1:') && problems.push(`request left 127.0.0.1: ${r.url()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/examples/browser/index.html`);
    await page.waitForFunction(() => !document.querySelector('#status').textContent.startsWith('Loading'));
    assert.match(await page.textContent('#status'), /^200 accounts, mean score \d+\.\d$/);
    assert.equal(await page.locator('#rows tr').count(), 200);
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});

// TypeScript (issue 23): the installed tarball's types under the three
// module resolutions people use (`tsc --init` gives nodenext), strict. The
// usage file is tests/ts/usage.ts; a second file must fail, which proves
// the document types are not `any` and raw values are a union.
test('TypeScript: the installed package type-checks under nodenext, node16 and bundler (strict); its types are not any', () => {
  const wrong = [
    "import type { Scorecard, Lever } from 'customer-health';",
    'declare const card: Scorecard;',
    'declare const lever: Lever;',
    'export const a = card.band.lable;',
    'export const b: string = lever.toNextBand!.value;',
    '',
  ].join('\n');
  const raw = [
    "import type { Lever, PlanChange } from 'customer-health';",
    'declare const lever: Lever;',
    'declare const change: PlanChange;',
    'export const v: number | boolean | string = lever.toNextBand!.value;',
    'export const f: number | boolean | string | null | undefined = change.from;',
    '',
  ].join('\n');
  const dir = project('typescript', {
    'package.json': JSON.stringify({ name: 'ts-app', private: true, type: 'module' }),
    'usage.ts': readFileSync(join(root, 'tests', 'ts', 'usage.ts'), 'utf8'),
    'raw.ts': raw,
    'wrong.ts': wrong,
  });
  const modes = { nodenext: ['nodenext', 'nodenext'], node16: ['node16', 'node16'], bundler: ['es2022', 'bundler'] };
  for (const [name, [module, resolution]] of Object.entries(modes)) {
    const config = (files) => JSON.stringify({
      compilerOptions: { target: 'es2022', module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: false, lib: ['es2022', 'dom'], types: [] },
      files,
    });
    writeFileSync(join(dir, `tsconfig.${name}.json`), config(['usage.ts', 'raw.ts']));
    run(bin('tsc'), ['-p', `tsconfig.${name}.json`], dir);
    writeFileSync(join(dir, `tsconfig.${name}.wrong.json`), config(['wrong.ts']));
    let out = '';
    try {
      run(bin('tsc'), ['-p', `tsconfig.${name}.wrong.json`], dir);
    } catch (e) {
      out = `${e.stdout}${e.stderr}`;
    }
    assert.match(out, /wrong\.ts\(4,[0-9]+\): error TS(2339|2551)/, `${name}: a misspelt field is an error\n${out}`);
    assert.match(out, /wrong\.ts\(5,[0-9]+\): error TS2322/, `${name}: a raw value is not just a string\n${out}`);
  }
});

// Vite's dev server (issue 23): pre-bundling rewrites the .wasm URL into
// node_modules/.vite/deps/, which the dev server answers with index.html.
// The package README's one line (`optimizeDeps.exclude`) is what makes it
// work; without it init() fails, as reported.
test('Vite dev server in headless Chromium: init() works with the README\'s one line, and fails without it', async () => {
  const dir = project('vite-dev', {
    'package.json': JSON.stringify({ name: 'vite-dev-app', private: true, type: 'module' }),
    'index.html': '<!doctype html><html><head><link rel="icon" href="data:,"></head><body><pre id="out">loading</pre><script type="module" src="/main.js"></script></body></html>',
    'main.js': `import { init, HealthModel, HealthScoreError, presets } from 'customer-health';
init().then(() => {
  ${check}
  document.querySelector('#out').textContent = JSON.stringify(result);
}).catch((e) => { document.querySelector('#out').textContent = 'error: ' + e; });
`,
  });
  const readme = readFileSync(join(root, 'js', 'README.md'), 'utf8');
  const line = readme.match(/export default \{ optimizeDeps: \{ exclude: \['customer-health'\] \} \};/);
  assert.ok(line, 'the package README shows the vite.config.js line');
  const browser = await launchChromium();
  try {
    for (const [config, works] of [[null, false], [line[0], true]]) {
      rmSync(join(dir, 'node_modules', '.vite'), { recursive: true, force: true });
      rmSync(join(dir, 'vite.config.js'), { force: true });
      if (config) writeFileSync(join(dir, 'vite.config.js'), `${config}\n`);
      const vite = spawn(bin('vite'), ['--host', '127.0.0.1', '--port', '0', '--strictPort', 'false'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const url = await new Promise((ok, fail) => {
          let out = '';
          const timer = setTimeout(() => fail(new Error(`vite did not start: ${out}`)), 60_000);
          vite.stdout.on('data', (d) => {
            out += d;
            const m = out.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/127\.0\.0\.1:\d+\//);
            if (m) {
              clearTimeout(timer);
              ok(m[0]);
            }
          });
          vite.on('exit', (code) => fail(new Error(`vite exited ${code}: ${out}`)));
        });
        const page = await browser.newPage();
        await page.goto(url);
        await page.waitForFunction(() => document.querySelector('#out').textContent !== 'loading', null, { timeout: 60_000 });
        const text = await page.textContent('#out');
        if (works) assert.deepEqual(JSON.parse(text), expected);
        else assert.match(text, /^error: .*(magic word|CompileError)/);
        await page.close();
      } finally {
        vite.kill();
      }
    }
  } finally {
    await browser.close();
  }
});
