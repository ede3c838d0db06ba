#!/usr/bin/env node
// Serves the demo page on 127.0.0.1 (only): / is www/index.html; /www, /pkg
// and /samples are served as static files with a strict Content-Security-Policy.
//   node scripts/serve.mjs [port]      (PORT=… works too; default 8080, or the next free one)
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const allowed = ['www', 'pkg', 'samples'];
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.csv': 'text/csv; charset=utf-8', '.svg': 'image/svg+xml',
};
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function handler(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  let path = decodeURIComponent(url.pathname);
  if (path === '/' || path === '/index.html') path = '/www/index.html';
  const file = normalize(join(root, path));
  const top = file.slice(root.length + 1).split(/[\\/]/)[0];
  if (!file.startsWith(root + '/') || !allowed.includes(top) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': types[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

export function listen(port) {
  return new Promise((ok, fail) => {
    const server = createServer(handler);
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const first = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  let server;
  for (let port = first; !server && port < first + 20; port++) {
    try {
      server = await listen(port);
    } catch (e) {
      if (e.code !== 'EADDRINUSE') throw e;
    }
  }
  if (!server) {
    console.error(`no free port from ${first}`);
    process.exit(1);
  }
  console.log(`customer-health demo: http://127.0.0.1:${server.address().port}/`);
}
