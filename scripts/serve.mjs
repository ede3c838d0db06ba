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

/** Headers on every answer: no referrer leaves the page, no powerful feature is granted. */
export const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'cache-control': 'no-store',
};

export function handler(req, res) {
  try {
    serve(req, res);
  } catch (e) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain', ...SECURITY_HEADERS });
    res.end(`server error: ${e.message}\n`);
  }
}

function serve(req, res) {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
  } catch {
    // A malformed URL (a broken %-escape) is the client's mistake: 400, and the server keeps running.
    res.writeHead(400, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('bad request: malformed URL\n');
    return;
  }
  if (path === '/' || path === '/index.html') path = '/www/index.html';
  const file = normalize(join(root, path));
  const top = file.slice(root.length + 1).split(/[\\/]/)[0];
  if (!file.startsWith(root + '/') || !allowed.includes(top) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', ...SECURITY_HEADERS });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export function listen(port) {
  return new Promise((ok, fail) => {
    const server = createServer(handler);
    server.once('error', fail);
    // A request the handler did not expect must not stop the server.
    server.on('clientError', (e, socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
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
