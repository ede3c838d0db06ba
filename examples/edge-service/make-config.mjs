// Writes config.capnp for workerd from config.capnp.template: the address,
// the storage folder (made if missing), the bundled worker and its .wasm, and
// every setting of the service as a text binding (its default unless given).
//
//   node make-config.mjs --secret-file operator.secret [--port 8787] [--host 127.0.0.1]
//     [--storage ./storage] [--dist ./dist] [--out config.capnp] [--dev]
//     [--set EDGE_MAX_TRIES=8 ...] [--list]
//
// --dev allows webhooks to private addresses (EDGE_ALLOW_PRIVATE_WEBHOOKS and
// the network); --list prints every setting with its default and exits.
// The operator secret is read from a file (never from the command line,
// where other users of the machine could see it), or from the environment
// variable EDGE_OPERATOR_SECRET.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, OTHER_SETTINGS } from 'customer-health/edge/settings';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const value = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};

if (flag('list')) {
  for (const [k, v] of Object.entries({ ...DEFAULTS, ...OTHER_SETTINGS })) console.log(`${k}=${v ?? '(required)'}`);
  process.exit(0);
}

const settings = Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, String(v)]));
settings.EDGE_ALLOW_PRIVATE_WEBHOOKS = flag('dev') ? 'true' : 'false';
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--set') continue;
  const [k, ...rest] = (args[i + 1] ?? '').split('=');
  if (!(k in settings)) {
    console.error(`unknown setting ${k}; node make-config.mjs --list shows them`);
    process.exit(2);
  }
  settings[k] = rest.join('=');
}
const secretFile = value('secret-file');
const secret = secretFile ? readFileSync(secretFile, 'utf8').trim() : process.env.EDGE_OPERATOR_SECRET;
if (!secret || secret.length < 32) {
  console.error('the operator secret (--secret-file or EDGE_OPERATOR_SECRET) must be 32 characters or more; e.g. openssl rand -hex 32 > operator.secret');
  process.exit(2);
}
const dist = resolve(value('dist', join(here, 'dist')));
const wasm = existsSync(dist) ? readdirSync(dist).find((f) => f.endsWith('.wasm')) : undefined;
if (!wasm) {
  console.error(`no .wasm in ${dist}: bundle the worker first (see README.md)`);
  process.exit(2);
}
const storage = resolve(value('storage', join(here, 'storage')));
mkdirSync(storage, { recursive: true });
const capnp = (s) => JSON.stringify(String(s)); // a Cap'n Proto text literal
const bindings = [['EDGE_OPERATOR_SECRET', secret], ...Object.entries(settings)]
  .map(([k, v]) => `    (name = ${capnp(k)}, text = ${capnp(v)}),`).join('\n');
const out = resolve(value('out', join(here, 'config.capnp')));
const fill = {
  STORAGE: storage,
  ADDRESS: `${value('host', '127.0.0.1')}:${value('port', '8787')}`,
  // (an embed is found relative to the configuration's folder)
  DIST: relative(dirname(out), dist) || '.',
  WASM: wasm,
  NETWORK_ALLOW: flag('dev') ? '"public", "private", "local"' : '"public"',
  BINDINGS: bindings,
};
let text = readFileSync(join(here, 'config.capnp.template'), 'utf8');
for (const [k, v] of Object.entries(fill)) text = text.replaceAll(`{{${k}}}`, v);
const left = /\{\{\w+\}\}/.exec(text);
if (left) throw new Error(`config.capnp.template: ${left[0]} is not filled in`);
writeFileSync(out, text, { mode: 0o600 });
console.log(`wrote ${out} (workerd serve ${out} --experimental)`);
