// Assembles pkg/ around the wasm-bindgen output: entry points, the CommonJS
// copy of the API wrapper, presets as modules, the JSON Schema, the
// TypeScript types generated from the Rust types, package.json and README.
import { readFileSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';
import { buildSync } from 'esbuild';

const root = new URL('..', import.meta.url);
const at = (p) => new URL(p, root);
const read = (p) => readFileSync(at(p), 'utf8');
const write = (p, text) => writeFileSync(at(p), text);

const version = /^version\s*=\s*"([^"]+)"/m.exec(read('Cargo.toml'))[1];

// The ES modules of the JS wrapper, as they are.
const modules = readdirSync(at('js/')).filter((f) => f.endsWith('.mjs'));
for (const f of [...modules, 'index.d.ts']) {
  copyFileSync(at(`js/${f}`), at(`pkg/${f}`));
}
// Presets: plain JSON, available without the wasm module.
const presets = {};
for (const f of readdirSync(at('presets/')).filter((f) => f.endsWith('.json')).sort()) {
  presets[f.replace(/\.json$/, '')] = JSON.parse(read(`presets/${f}`));
}
const order = ['composite-kpi', 'composite-industrial', 'composite-consulting', 'saas-points'];
const ordered = Object.fromEntries(order.map((k) => [k, presets[k]]).concat(Object.entries(presets).filter(([k]) => !order.includes(k))));
const literal = JSON.stringify(ordered, null, 2);
write('pkg/presets.mjs', `// The built-in models (generated from presets/*.json).\nexport const presets = Object.freeze(${literal});\n`);

// The Node entry as one CommonJS file (the wrapper and the glue bundled;
// the .wasm files stay beside it, read from disk as in ESM).
buildSync({
  entryPoints: [new URL('pkg/index.node.mjs', root).pathname],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  outfile: new URL('pkg/index.node.cjs', root).pathname,
  define: { 'import.meta.url': '__customer_health_url' },
  banner: { js: "const __customer_health_url = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'error',
});

// JSON Schema of the model document, and TypeScript types from the Rust types.
copyFileSync(at('target/schema/model.schema.json'), at('pkg/model.schema.json'));
const types = JSON.parse(read('target/schema/types.schema.json'));
let ts = await compile(types, 'CustomerHealthTypes', {
  bannerComment: '// Generated from the Rust types (schemars → json-schema-to-typescript). Do not edit.',
  additionalProperties: false,
  unreachableDefinitions: true,
  strictIndexSignatures: false,
  style: { singleQuote: true },
});
write('pkg/types.d.ts', ts);

const pkg = {
  name: 'customer-health',
  version,
  description: 'An open, explainable Customer Health Score engine: models, rules, bands, levers. Rust core compiled to WebAssembly; runs in browsers, Node and edge workers.',
  license: 'MIT OR Apache-2.0',
  type: 'module',
  keywords: ['customer-success', 'health-score', 'churn', 'wasm', 'webassembly'],
  sideEffects: false,
  types: './index.d.ts',
  main: './index.node.cjs',
  module: './index.browser.mjs',
  exports: {
    '.': {
      types: './index.d.ts',
      workerd: './index.worker.mjs',
      worker: './index.worker.mjs',
      node: { import: './index.node.mjs', require: './index.node.cjs' },
      browser: './index.browser.mjs',
      default: './index.browser.mjs',
    },
    './customer_health_bg.wasm': './web/customer_health_bg.wasm',
    './customer_health_calibration_bg.wasm': './web/customer_health_calibration_bg.wasm',
    './model.schema.json': './model.schema.json',
    './package.json': './package.json',
  },
  files: [
    'index.*', ...modules, 'presets.mjs', 'types.d.ts', 'model.schema.json',
    'web/customer_health.js', 'web/customer_health_bg.wasm',
    'web/customer_health_calibration.js', 'web/customer_health_calibration_bg.wasm', 'README.md',
  ],
  engines: { node: '>=18' },
};
write('pkg/package.json', JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(at('js/README.md'), at('pkg/README.md'));
console.log(`[assemble] customer-health ${version}`);
