// Every public call at the documented limits (issue 27), each in a fresh
// Node process (its first call included): the time it takes and the
// memory it leaves (the process's resident set, and the module's memory).
// Not a test: no timing is asserted; the figures go in BENCHMARKS.md.
//   node bench/limits.mjs            every scenario, one process each
//   node bench/limits.mjs <name>     one scenario, in this process
import { fork } from 'node:child_process';
import { HealthModel, HealthModelSet, limits, wasmMemoryBytes } from '../pkg/index.node.mjs';

const L = limits();
const bands = (n) => Array.from({ length: n }, (_, i) => ({ id: `b${i}`, label: `B${i}`, color: '#555555', from: i === 0 ? 0 : (100 * i) / n }));

/** A weighted model of `n` 0..10 scales in one category (or `points`). */
function wide(n, { points = false, extra = {} } = {}) {
  const measures = Array.from({ length: n }, (_, i) => ({ id: `m${i}`, ...(points ? {} : { weight: 1 }), rule: { type: 'scale', min: 0, max: 10 } }));
  return {
    version: 1, id: 'wide', ...(points ? { aggregation: 'points' } : {}), bands: bands(3),
    categories: [{ id: 'c', ...(points ? {} : { weight: 1 }), measures }],
    ...extra,
  };
}
const account = (n, f = (i) => i % 7) => ({ id: 'a', values: Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${i}`, f(i)])) });

/** A rollup of a million children under one parent, `parents` made by `form`. */
function millionChildren(form) {
  const n = 1_000_000;
  const cards = Array.from({ length: n }, (_, i) => ({
    accountId: `c${i}`, modelId: 'wide', score: (i * 37) % 100, value: 1 + (i % 1000), band: { id: 'b0', label: 'B0', color: '#555555' },
    levers: [{ measureId: 'm1', pointsMissed: (i % 13) + 1, toNextBand: null }],
  }));
  const parents = form(cards);
  const model = new HealthModel(wide(3));
  const memory = wasmMemoryBytes();
  const t = performance.now();
  const [top] = model.rollup(cards, { parents });
  return { 'rollup ms': performance.now() - t, children: top.children.length, levers: top.levers.length, 'module memory grew MiB': (wasmMemoryBytes() - memory) / 2 ** 20 };
}

const scenarios = {
  /** A model at every limit at once: measures, bands, caps, override conditions, playbooks, one long rule. */
  'model at every limit'() {
    const n = L.maxMeasures;
    const doc = wide(n - 1);
    doc.bands = bands(L.maxBands);
    doc.categories[0].measures.push({ id: 'long', weight: 1, rule: { type: 'steps', thresholds: Array.from({ length: L.maxRuleEntries - 1 }, (_, i) => i), scores: Array.from({ length: L.maxRuleEntries }, (_, i) => i % 10) } });
    const caps = L.maxConditions / 2;
    doc.caps = Array.from({ length: caps }, (_, i) => ({ when: { measure: `m${i % (n - 1)}`, op: '<', value: -1 }, max: 50, reason: `cap ${i}` }));
    const perOverride = L.maxOverrideConditions;
    doc.overrides = Array.from({ length: (L.maxConditions - caps) / perOverride }, (_, o) => ({
      when: { any: Array.from({ length: perOverride }, (_, k) => ({ measure: `m${(o * perOverride + k) % (n - 1)}`, op: '>=', value: 20 + (k % 50) })) },
      floor: 60, reason: `floor ${o}`,
    }));
    doc.playbooks = Array.from({ length: L.maxRuleEntries }, (_, i) => ({ id: `p${i}`, label: `Act ${i}`, urgency: 'high', when: { bands: [`b${i % L.maxBands}`] } }));
    const text = JSON.stringify(doc);
    const t0 = performance.now();
    const model = new HealthModel(text);
    const built = performance.now() - t0;
    const acc = account(n - 1);
    acc.values.long = 5000;
    const t1 = performance.now();
    const card = model.score(acc);
    return { 'model bytes': text.length, 'build ms': built, 'score ms (levers included)': performance.now() - t1, levers: card.levers.length };
  },
  '10,000 measures, weighted'() {
    const model = new HealthModel(wide(L.maxMeasures));
    const t = performance.now();
    const card = model.score(account(L.maxMeasures));
    const ms = performance.now() - t;
    const t2 = performance.now();
    const plan = model.plan(account(L.maxMeasures));
    return { 'score ms (levers included)': ms, levers: card.levers.length, 'plan ms': performance.now() - t2, plan: plan ? plan.changes.length : null };
  },
  '10,000 measures, points'() {
    const model = new HealthModel(wide(L.maxMeasures, { points: true }));
    const t = performance.now();
    const card = model.score(account(L.maxMeasures));
    return { 'score ms (levers included)': performance.now() - t, levers: card.levers.length };
  },
  'one override with the most conditions, on one measure'() {
    const any = Array.from({ length: L.maxOverrideConditions }, (_, k) => ({ measure: 'm0', op: '>=', value: k / 100 }));
    const model = new HealthModel(wide(10, { extra: { overrides: [{ when: { any }, floor: 95, reason: 'many' }] } }));
    const t = performance.now();
    model.score(account(10, () => 0));
    const ms = performance.now() - t;
    const batch = performance.now();
    model.scoreMany([account(10, () => 0)]);
    return { 'score ms': ms, 'scoreMany of one ms': performance.now() - batch };
  },
  'rollup: 1,000,000 children under one parent, parents a Map'() {
    return millionChildren((cards) => new Map(cards.map((c) => [c.accountId, 'top'])));
  },
  'rollup: 1,000,000 children under one parent, parents a plain object'() {
    return millionChildren((cards) => Object.fromEntries(cards.map((c) => [c.accountId, 'top'])));
  },
  'rollup: 100 levels, 8,000 leaves'() {
    const parents = {};
    const cards = [];
    for (let i = 0; i < 8000; i++) {
      cards.push({ accountId: `leaf${i}`, modelId: 'wide', score: i % 100, value: 1, band: { id: 'b0' }, levers: [{ measureId: 'm1', pointsMissed: (i % 9) + 1 }] });
      parents[`leaf${i}`] = 'p99';
    }
    for (let level = 99; level > 0; level--) parents[`p${level}`] = `p${level - 1}`;
    const model = new HealthModel(wide(3));
    const t = performance.now();
    const out = model.rollup(cards, { parents });
    return { 'rollup ms': performance.now() - t, parents: out.length, 'levers, all parents': out.reduce((s, r) => s + r.levers.length, 0) };
  },
  'alerts over 40,000 points: a model, and a model set'() {
    const model = new HealthModel(wide(3));
    const set = new HealthModelSet({ version: 1, id: 's', models: [{ default: true, model: wide(3) }] });
    const history = Array.from({ length: 40_000 }, (_, i) => ({ at: new Date(Date.UTC(2000, 0, 1) + i * 3_600_000).toISOString(), score: 50 + 40 * Math.sin(i / 200) }));
    const t = performance.now();
    model.alerts(history);
    const one = performance.now() - t;
    const t2 = performance.now();
    set.alerts(history);
    return { 'model ms': one, 'model set ms': performance.now() - t2 };
  },
  'a 1,000,000-point series is refused'() {
    const model = new HealthModel(wide(3, { extra: {} }));
    const points = Array.from({ length: 1_000_000 }, (_, i) => ({ at: '2026-01-01', value: i }));
    const t = performance.now();
    let code;
    try {
      model.score({ id: 'a', values: { m0: points } });
    } catch (e) {
      code = e.code;
    }
    return { 'refused in ms': performance.now() - t, code };
  },
  'a 100 MB account is refused'() {
    const model = new HealthModel(wide(3));
    const big = 'x'.repeat(100 << 20);
    const t = performance.now();
    let code;
    try {
      model.score({ id: 'a', name: big, values: { m0: 1 } });
    } catch (e) {
      code = e.code;
    }
    return { 'refused in ms': performance.now() - t, code };
  },
};

const name = process.argv[2];
if (name) {
  const fn = scenarios[name];
  if (!fn) throw new Error(`no scenario ${name}`);
  const t = performance.now();
  const out = fn();
  const mem = process.memoryUsage();
  process.send?.({ name, ...out, 'total ms': performance.now() - t, 'rss MiB': mem.rss / 1048576, 'wasm MiB': (wasmMemoryBytes?.() ?? 0) / 1048576 });
  if (!process.send) console.log(out);
} else {
  console.log(`node ${process.version}; each scenario in a fresh process (its first call included)`);
  for (const s of Object.keys(scenarios)) {
    const out = await new Promise((resolve) => {
      const child = fork(new URL(import.meta.url).pathname, [s], { execArgv: ['--max-old-space-size=8192'] });
      child.on('message', resolve);
      child.on('exit', (code) => code && resolve({ name: s, failed: `exit ${code}` }));
    });
    const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1)) : String(v));
    console.log(`- ${out.name}: ${Object.entries(out).filter(([k]) => k !== 'name').map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  }
}
