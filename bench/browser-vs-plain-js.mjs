// Benchmark (not a test): bench/bench12.mjs in Debian's headless Chromium
// via playwright-core, the package loaded through its browser entry point
// from a server on 127.0.0.1. Same variants, checks and report as Node.
//   node bench/browser-vs-plain-js.mjs [N] [rounds]
// With CSP=strict the page is served with a Content-Security-Policy without
// 'unsafe-eval' (as the demo page is), so scoreMany falls back to the generic
// packer.
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { report } from './bench12.mjs';
import { native } from './native.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 7);
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const types = { '.html': 'text/html; charset=utf-8', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
const strict = process.env.CSP === 'strict';

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  const file = normalize(join(root, path));
  const top = file.slice(root.length + 1).split(/[\\/]/)[0];
  if (!file.startsWith(root + '/') || !['pkg', 'bench'].includes(top) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  const headers = { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
  if (strict) headers['content-security-policy'] = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
  res.writeHead(200, headers).end(readFileSync(file));
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/bench/browser.html?n=${n}&rounds=${rounds}`);
  await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 0, polling: 1000 });
  const error = await page.evaluate(() => window.benchError);
  if (error) throw new Error(error);
  const result = await page.evaluate(() => window.benchResult);
  const where = `Chromium ${browser.version()} (headless)${strict ? ', strict CSP' : ''}`;
  console.log(report(result, { n, rounds, where, native: native(n, rounds) }));
} finally {
  await browser.close();
  server.close();
}
