// The 1,000,000 × 12 benchmark, shared by Node (bench/node-vs-plain-js.mjs)
// and headless Chromium (bench/browser-vs-plain-js.mjs): the model in
// bench12.model.json, deterministic data (the same generator as
// examples/bench_columns.rs), the plain-JS code a user would write instead,
// and the package's paths. Every variant is checked to give the same scores
// and bands before anything is timed; rounds are interleaved and medians
// reported. Not a test: it asserts no timings.

/** Deterministic data: the same numbers as examples/bench_columns.rs. */
export function generate(doc, n) {
  const measures = doc.categories.flatMap((c) => c.measures);
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const cols = Object.fromEntries(measures.map((m) => [m.id, new Float64Array(n)]));
  for (let i = 0; i < n; i++) {
    for (const m of measures) {
      const t = m.rule.type;
      cols[m.id][i] = t === 'flag' ? (rnd() < 0.5 ? 1 : 0) : t === 'steps' ? Math.floor(rnd() * 12) : Math.round(rnd() * 1000) / 10;
    }
  }
  const flags = measures.filter((m) => m.rule.type === 'flag').map((m) => m.id);
  const accounts = new Array(n);
  for (let i = 0; i < n; i++) {
    const values = {};
    for (const m of measures) values[m.id] = flags.includes(m.id) ? cols[m.id][i] === 1 : cols[m.id][i];
    accounts[i] = { id: `a${i}`, values };
  }
  return { cols, accounts };
}

/** The rule's normalised score (0..1), the engine's arithmetic (DESIGN-NOTES). */
function ruleNorm(rule, x) {
  let out, min, max;
  if (rule.type === 'linear') {
    const [[x0, y0], [x1, y1]] = rule.points;
    out = x <= x0 ? y0 : x >= x1 ? y1 : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
    min = Math.min(y0, y1);
    max = Math.max(y0, y1);
  } else if (rule.type === 'steps') {
    let k = 0;
    while (k < rule.thresholds.length && rule.thresholds[k] <= x) k++;
    out = rule.scores[k];
    min = Math.min(...rule.scores);
    max = Math.max(...rule.scores);
  } else {
    out = x ? rule.ifTrue : rule.ifFalse;
    min = Math.min(rule.ifTrue, rule.ifFalse);
    max = Math.max(rule.ifTrue, rule.ifFalse);
  }
  return Math.min(1, Math.max(0, (out - min) / (max - min)));
}

/** Band index for this model's bands (from 0, from 50, above 75). */
const bandOf = (score) => (score > 75 ? 2 : score >= 50 ? 1 : 0);

/** The straightforward plain-JS loop a user would write: objects in, `{ score, band }` out. */
export function plainObjects(doc, list) {
  const out = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const v = list[i].values;
    let num = 0;
    let den = 0;
    for (const c of doc.categories) {
      let sw = 0;
      for (const m of c.measures) sw += m.weight;
      let sum = 0;
      for (const m of c.measures) sum += m.weight * ruleNorm(m.rule, v[m.id]);
      num += c.weight * (sum / sw);
      den += c.weight;
    }
    const score = (100 * num) / den;
    out[i] = { score, band: bandOf(score) };
  }
  return out;
}

/**
 * The same, building the fields a scorecard has (DESIGN.md): identity, score,
 * band, coverage, caps, the per-category and per-measure breakdown, and the
 * levers (present measures by points missed, most first; without the path to
 * the next band, which the package computes when read). No playbooks in
 * this model: no actions.
 */
export function plainScorecards(doc, list, at = null) {
  const bands = doc.bands;
  const out = new Array(list.length);
  let den = 0;
  for (const c of doc.categories) den += c.weight;
  const plan = doc.categories.map((c) => {
    let sw = 0;
    for (const m of c.measures) sw += m.weight;
    return { c, sw };
  });
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    const v = a.values;
    let num = 0;
    const categories = [];
    const levers = [];
    for (const { c, sw } of plan) {
      let sum = 0;
      let contribution = 0;
      let missed = 0;
      const measures = [];
      for (const m of c.measures) {
        const value = v[m.id];
        const norm = ruleNorm(m.rule, value);
        sum += m.weight * norm;
        const weight = m.weight / sw;
        const share = 100 * (c.weight / den) * weight;
        const co = share * norm;
        const pm = share - co;
        contribution += co;
        missed += pm;
        measures.push({
          id: m.id, label: m.label ?? m.id, value, status: 'present', partial: null, normalized: norm, weight,
          contribution: co, pointsMissed: pm, observedAt: null, ageDays: null, decayedWeight: null,
          seriesPoints: null, per: null, source: 'data', note: null,
        });
        if (pm > 0) levers.push({ measureId: m.id, pointsMissed: pm, toNextBand: null });
      }
      const g = sum / sw;
      num += c.weight * g;
      categories.push({ id: c.id, label: c.label ?? c.id, score: 100 * g, weight: c.weight / den, contribution, pointsMissed: missed, measures });
    }
    levers.sort((x, y) => y.pointsMissed - x.pointsMissed);
    const score = (100 * num) / den;
    const b = bands[bandOf(score)];
    out[i] = {
      accountId: String(a.id), name: a.name ?? null, segment: a.segment ?? null, value: a.value ?? null, at,
      modelId: doc.id, modelHash: null, score, uncappedScore: score, total: null,
      band: { id: b.id, label: b.label, color: b.color }, coverage: 1, lowCoverage: false, coveragePenalty: 0,
      missing: [], stale: [], caps: [], sentimentDisagrees: [], overrides: [],
      categories, levers, actions: [], trend: null,
    };
  }
  return out;
}

/**
 * A hand-tuned plain-JS columnar kernel: constants hoisted per measure, one
 * tight loop per measure over blocks of rows that stay in cache, no calls or
 * allocation inside, the same arithmetic as the engine.
 */
export function makeTunedKernel(doc, n) {
  const BLOCK = 4096;
  const sum = new Float64Array(BLOCK);
  const num = new Float64Array(BLOCK);
  const plan = doc.categories.map((c) => {
    let sw = 0;
    for (const m of c.measures) sw += m.weight;
    return { weight: c.weight, sw, measures: c.measures.map((m) => ({ id: m.id, w: m.weight, rule: m.rule })) };
  });
  let den = 0;
  for (const c of plan) den += c.weight;
  return function tuned(cols) {
    const scores = new Float64Array(n);
    const bands = new Uint8Array(n);
    for (let start = 0; start < n; start += BLOCK) {
      const len = Math.min(BLOCK, n - start);
      num.fill(0, 0, len);
      for (const c of plan) {
        sum.fill(0, 0, len);
        for (const m of c.measures) {
          const col = cols[m.id];
          const w = m.w;
          const r = m.rule;
          if (r.type === 'linear') {
            const [[x0, y0], [x1, y1]] = r.points;
            const lo = Math.min(y0, y1);
            const span = Math.max(y0, y1) - lo;
            const dy = y1 - y0;
            const dx = x1 - x0;
            for (let k = 0; k < len; k++) {
              const x = col[start + k];
              const out = x <= x0 ? y0 : x >= x1 ? y1 : y0 + ((x - x0) * dy) / dx;
              const t = (out - lo) / span;
              sum[k] += w * (t < 0 ? 0 : t > 1 ? 1 : t);
            }
          } else if (r.type === 'steps') {
            const [t0, t1, t2] = r.thresholds;
            const [s0, s1, s2, s3] = r.scores;
            const lo = Math.min(s0, s1, s2, s3);
            const span = Math.max(s0, s1, s2, s3) - lo;
            for (let k = 0; k < len; k++) {
              const x = col[start + k];
              const out = x >= t2 ? s3 : x >= t1 ? s2 : x >= t0 ? s1 : s0;
              sum[k] += w * ((out - lo) / span);
            }
          } else {
            const a = r.ifTrue;
            const b = r.ifFalse;
            const lo = Math.min(a, b);
            const span = Math.max(a, b) - lo;
            for (let k = 0; k < len; k++) sum[k] += w * (((col[start + k] === 1 ? a : b) - lo) / span);
          }
        }
        const cw = c.weight;
        const sw = c.sw;
        for (let k = 0; k < len; k++) num[k] += cw * (sum[k] / sw);
      }
      for (let k = 0; k < len; k++) {
        const score = (100 * num[k]) / den;
        scores[start + k] = score;
        bands[start + k] = score > 75 ? 2 : score >= 50 ? 1 : 0;
      }
    }
    return { scores, bands };
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Runs every variant. `api` is the package (HealthModel), `raw` its
 * wasm-bindgen bindings (for the kernel alone), `native` an optional
 * `{ columnsMs, kernelMs }` measured by examples/bench_columns.rs.
 */
export function run({ api, raw, doc, n, rounds, log, scorecardSample = 200000, heap }) {
  const { cols, accounts } = generate(doc, n);
  const model = new api.HealthModel(doc);
  const ids = model.measureIds;

  // Same numbers everywhere, checked before timing.
  const ref = plainObjects(doc, accounts);
  const tuned = makeTunedKernel(doc, n);
  const checks = {
    tuned: tuned(cols),
    scoreColumns: model.scoreColumns(cols),
    columnView: (() => {
      const view = model.columnView(n);
      for (const id of ids) view.columns[id].set(cols[id]);
      return view.score();
    })(),
    scoreManyColumnar: model.scoreMany(accounts, { columnar: true }),
    scoreManyGeneric: model.scoreMany(accounts, { columnar: true, codegen: false }),
  };
  for (const [name, got] of Object.entries(checks)) {
    for (let i = 0; i < n; i++) {
      if (got.scores[i] !== ref[i].score || got.bands[i] !== ref[i].band) {
        throw new Error(`${name} row ${i}: ${got.scores[i]} (band ${got.bands[i]}) vs plain JS ${ref[i].score} (band ${ref[i].band})`);
      }
    }
  }
  const cards = model.scoreMany(accounts.slice(0, 1000)).scorecards;
  cards.forEach((c, i) => {
    if (c.score !== ref[i].score) throw new Error(`scoreMany row ${i}: ${c.score} vs ${ref[i].score}`);
  });
  const bd = model.scoreColumns(cols, { breakdown: true });
  const pc = plainScorecards(doc, accounts.slice(0, 1000));
  const ours = model.scoreMany(accounts.slice(0, 1000)).scorecards;
  pc.forEach((c, i) => {
    // The same fields, in the same order, with the same numbers.
    if (Object.keys(c).join() !== Object.keys(ours[i]).join()) throw new Error(`plain scorecard fields differ: ${Object.keys(c)} vs ${Object.keys(ours[i])}`);
    if (c.score !== ours[i].score || c.band.id !== ours[i].band.id) throw new Error(`plain scorecard ${i} differs`);
    c.categories.forEach((cat, k) => {
      if (Object.keys(cat.measures[0]).join() !== Object.keys(ours[i].categories[k].measures[0]).join()) throw new Error('plain measure fields differ');
      cat.measures.forEach((m, j) => {
        if (Math.abs(m.contribution - ours[i].categories[k].measures[j].contribution) > 1e-9) throw new Error(`plain contribution ${i} ${m.id}`);
      });
    });
    // The same levers (ties may fall in another order: the plain arithmetic rounds differently).
    const ids = (ls) => ls.map((l) => l.measureId).sort().join();
    if (ids(c.levers) !== ids(ours[i].levers)) throw new Error(`plain levers ${i} differ`);
  });
  pc.forEach((c, i) => {
    c.categories.forEach((cat) => {
      if (Math.abs(cat.score - bd.categories[cat.id][i]) > 1e-9) throw new Error(`breakdown row ${i} ${cat.id}`);
      cat.measures.forEach((m) => {
        if (Math.abs(m.contribution - bd.contributions[m.id][i]) > 1e-9) throw new Error(`contribution row ${i} ${m.id}`);
      });
    });
  });

  // The kernel alone: columns already staged in wasm memory, no copies.
  const inner = new raw.WasmModel(JSON.stringify(doc));
  const given = new Uint8Array(ids.length).fill(1);
  const stage = () => {
    const buf = inner.columnBuffer(n, false);
    ids.forEach((id, i) => buf.set(cols[id], i * n));
  };

  const small = accounts.slice(0, Math.min(n, scorecardSample));
  let view;
  const variants = {
    'plain JS, objects → { score, band }': () => plainObjects(doc, accounts),
    'plain JS, hand-tuned columnar kernel': () => tuned(cols),
    'scoreColumns (copies included)': () => model.scoreColumns(cols),
    // Filling the view is the caller's own work (as building the columns is
    // for the JS kernel): done before the clock starts.
    'columnView: score() on columns filled in place': {
      setup: () => {
        view = model.columnView(n);
        for (const id of ids) view.columns[id].set(cols[id]);
      },
      fn: () => view.score(),
    },
    'wasm kernel alone (columns staged)': { setup: stage, fn: () => inner.scoreStaged(n, given, false, false).free() },
    'scoreMany(objects, { columnar: true })': () => model.scoreMany(accounts, { columnar: true }),
    'same, generic packer ({ codegen: false })': () => model.scoreMany(accounts, { columnar: true, codegen: false }),
    'scoreColumns with breakdown': () => model.scoreColumns(cols, { breakdown: true }),
    'plain JS, scorecards with breakdown (objects)': { scale: n / small.length, fn: () => plainScorecards(doc, small) },
    'scoreMany, full scorecards (objects)': { scale: n / small.length, fn: () => model.scoreMany(small) },
    'same, then every breakdown read': {
      scale: n / small.length,
      fn: () => {
        for (const c of model.scoreMany(small).scorecards) c.categories;
      },
    },
  };
  const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, v] of Object.entries(variants)) {
      const fn = typeof v === 'function' ? v : v.fn;
      if (v.setup) v.setup();
      const t0 = performance.now();
      fn();
      times[name].push((performance.now() - t0) * (v.scale ?? 1));
    }
  }
  const result = Object.fromEntries(Object.entries(times).map(([k, t]) => [k, median(t)]));
  // Every account at once in object mode (chunked inside): it must not fail,
  // and its memory is the scorecards' (reported where the runtime says).
  const heap0 = heap?.();
  const t0 = performance.now();
  const all = model.scoreMany(accounts);
  result[`scoreMany, all ${n} at once (objects), one run`] = performance.now() - t0;
  if (all.scorecards.length !== n || all.errors.length !== 0) throw new Error('scoreMany of every account failed');
  if (heap0 !== undefined) result.heapPerScorecard = (heap() - heap0) / n;
  inner.free();
  model.free();
  log?.(result);
  return result;
}

/** Prints a result table with the ratios the issue asks for. */
export function report(result, { n, rounds, where, native }) {
  const ms = (x) => `${x.toFixed(x < 100 ? 1 : 0)} ms`;
  const lines = [`${where}, ${n.toLocaleString('en')} accounts × 12 measures, median of ${rounds} interleaved rounds (same scores and bands checked)`];
  const objects = result['plain JS, objects → { score, band }'];
  const tuned = result['plain JS, hand-tuned columnar kernel'];
  const cards = result['plain JS, scorecards with breakdown (objects)'];
  const ratio = {
    'scoreColumns (copies included)': [tuned, 'hand-tuned JS kernel'],
    'columnView: score() on columns filled in place': [tuned, 'hand-tuned JS kernel'],
    'wasm kernel alone (columns staged)': [tuned, 'hand-tuned JS kernel'],
    'scoreMany(objects, { columnar: true })': [objects, 'plain-JS object loop'],
    'same, generic packer ({ codegen: false })': [objects, 'plain-JS object loop'],
    'scoreColumns with breakdown': [tuned, 'hand-tuned JS kernel'],
    'scoreMany, full scorecards (objects)': [cards, 'plain-JS scorecards'],
    'same, then every breakdown read': [cards, 'plain-JS scorecards'],
  };
  for (const [k, v] of Object.entries(result)) {
    if (k === 'heapPerScorecard') {
      lines.push(`  ${'heap per scorecard (before any breakdown is read)'.padEnd(48)} ${`${Math.round(v)} B`.padStart(10)}`);
      continue;
    }
    const r = ratio[k];
    lines.push(`  ${k.padEnd(48)} ${ms(v).padStart(10)}${r ? `   ${(r[0] / v).toFixed(2)}× faster than the ${r[1]}` : ''}`);
  }
  if (native) {
    lines.push(`  ${'native Rust score_columns (examples/bench_columns)'.padEnd(48)} ${ms(native.columnsMs).padStart(10)}   scoreColumns is ${(result['scoreColumns (copies included)'] / native.columnsMs).toFixed(2)}× native`);
    lines.push(`  ${'native Rust kernel alone'.padEnd(48)} ${ms(native.kernelMs).padStart(10)}   the wasm kernel is ${(result['wasm kernel alone (columns staged)'] / native.kernelMs).toFixed(2)}× native`);
  }
  return lines.join('\n');
}
