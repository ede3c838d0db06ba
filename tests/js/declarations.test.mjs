// The TypeScript declarations against what the package exports at run time
// (issue 23): every runtime export of each entry is declared and every
// declared value is exported, and every public method and accessor of the
// exported classes (prototype and static) is declared, and the reverse.
// Read with the TypeScript compiler's own API from pkg/*.d.ts. Run after
// scripts/build-pkg.sh:  node --test tests/js/declarations.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { buildSync } from 'esbuild';

const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));

/** Declared value exports of a .d.ts, and each declared class's members (instance and static). */
function declared(file) {
  const program = ts.createProgram([pkg + file], { strict: true, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(pkg + file);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(source));
  const values = new Set();
  const classes = new Map();
  for (const symbol of exports) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (!(target.flags & ts.SymbolFlags.Value)) continue;
    values.add(symbol.name);
    if (target.flags & ts.SymbolFlags.Class) {
      const decl = target.declarations.find(ts.isClassDeclaration);
      const instance = new Set();
      const statics = new Set();
      for (const m of decl.members) {
        if (!m.name || ts.isConstructorDeclaration(m)) continue;
        const name = m.name.getText();
        const isStatic = ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static;
        (isStatic ? statics : instance).add(name);
      }
      classes.set(symbol.name, { instance, statics });
    }
  }
  return { values, classes };
}

/** Public names of a class at run time: prototype methods and accessors, and statics. */
function runtimeMembers(cls) {
  const instance = new Set();
  for (let p = cls.prototype; p && p !== Object.prototype && p !== Error.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor') instance.add(k);
  }
  const statics = new Set(Object.getOwnPropertyNames(cls).filter((k) => !['length', 'name', 'prototype'].includes(k)));
  return { instance, statics };
}

const sorted = (set) => [...set].sort();

/** An entry's export names, read by bundling it (the worker entry imports a .wasm Node cannot). */
function exportsOf(entry) {
  const out = buildSync({ entryPoints: [pkg + entry], bundle: true, format: 'esm', platform: 'neutral', write: false, metafile: true, outdir: '/nowhere', loader: { '.wasm': 'empty' }, external: ['node:*'], logLevel: 'silent' });
  return new Set(Object.values(out.metafile.outputs).find((o) => o.entryPoint).exports);
}

for (const [entry, dts] of [
  ['index.node.mjs', 'index.d.ts'],
  ['index.browser.mjs', 'index.d.ts'],
  ['index.worker.mjs', 'index.d.ts'],
  ['edge.mjs', 'edge.d.ts'],
  ['webhook.mjs', 'webhook.d.ts'],
  ['edge-settings.mjs', 'edge-settings.d.ts'],
]) {
  test(`${entry}: the runtime exports are ${dts}'s values, and the classes' members are declared`, async () => {
    const { values, classes } = declared(dts);
    if (dts === 'index.d.ts') assert.ok(classes.get('HealthModel')?.instance.has('score') && classes.get('HealthModel').statics.has('suggest'), 'the reader sees the classes');
    assert.deepEqual(sorted(exportsOf(entry)), sorted(values), `${entry} exports ≠ ${dts} declarations`);
    // The classes are the same in every entry (js/api.mjs): read in Node's.
    // (The edge's Durable Object classes import the worker entry, which
    // Node cannot load: tests/edge runs them in workerd.)
    if (entry === 'edge.mjs') return;
    const mod = await import(pkg + (entry.startsWith('index.') ? 'index.node.mjs' : entry));
    for (const [name, members] of classes) {
      const run = runtimeMembers(mod[name]);
      // Instance fields set in the constructor (an error's code, path…) are
      // declared as properties but live on the object, not the prototype.
      const own = name === 'HealthScoreError' ? ['name', 'code', 'path', 'help', 'errors'] : [];
      assert.deepEqual(sorted(run.instance), sorted([...members.instance].filter((k) => !own.includes(k))), `${name}: methods and accessors`);
      assert.deepEqual(sorted(run.statics), sorted(members.statics), `${name}: static members`);
    }
  });
}

test('the error class is named HealthScoreError in every entry (not a bundler rename)', async () => {
  for (const entry of ['index.node.mjs', 'index.browser.mjs']) {
    const { HealthScoreError } = await import(pkg + entry);
    assert.equal(HealthScoreError.name, 'HealthScoreError', entry);
  }
  const { HealthModel, HealthScoreError } = await import(pkg + 'index.node.mjs');
  assert.equal(HealthModel.name, 'HealthModel');
  try {
    new HealthModel({ version: 1 });
    assert.fail('an invalid model is refused');
  } catch (e) {
    assert.ok(e instanceof HealthScoreError);
    assert.match(String(e.stack).split('\n')[0], /^HealthScoreError: /);
  }
});
