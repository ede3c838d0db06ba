// Cold start in Node (not a test): a fresh process imports the package
// (reads and instantiates the .wasm) and builds a model. Prints the median
// of N fresh processes.
//   node bench/node-cold-start.mjs [runs]
import { execFileSync } from 'node:child_process';

const runs = Number(process.argv[2] ?? 15);
const child = `
const t0 = performance.now();
const { HealthModel, presets } = await import(${JSON.stringify(new URL('../pkg/index.node.mjs', import.meta.url).href)});
const t1 = performance.now();
const m = new HealthModel(presets['saas-points']);
m.score({ id: 'a', values: { usage: 45 } });
const t2 = performance.now();
console.log(JSON.stringify([t1 - t0, t2 - t1]));
`;
const times = [];
for (let i = 0; i < runs; i++) times.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8' })));
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const imp = med(times.map((t) => t[0]));
const build = med(times.map((t) => t[1]));
console.log(`node ${process.version}, median of ${runs} fresh processes`);
console.log(`import + instantiate: ${imp.toFixed(1)} ms; build a model + first score: ${build.toFixed(1)} ms; total ${(imp + build).toFixed(1)} ms`);
