// Hardening, round two (issue 17): one answer whatever the path, text that
// round-trips, a code on every error, and the small holes an adversarial
// pass found. Each test holds the input that showed the problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as pkg from '../../pkg/index.node.mjs';

const { HealthModel, HealthModelSet, HealthScoreError, errorCodes, wasmMemoryBytes } = pkg;
const root = new URL('../../', import.meta.url);
const json = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const kpi = pkg.presets['composite-kpi'];
const sample = json('samples/model.json');

/** What `score` says for one account: `{ score, band }` or `{ code, path }`. */
function plain(model, account) {
  try {
    const c = model.score(account);
    return { score: c.score ?? NaN, band: c.band.id };
  } catch (e) {
    assert.ok(e instanceof HealthScoreError, `a raw ${e?.name ?? typeof e} escaped: ${e?.message ?? e}`);
    return { code: e.code, path: e.path };
  }
}

/** What a batch says for account i, in the same shape. */
function fromBatch(model, batch, i) {
  const err = batch.errors.filter((e) => e.index === i);
  // (a batch error's path starts with the account's index)
  if (err.length > 0) return { code: err[0].code, path: err[0].path.replace(/^\[\d+\]\.?/, '') };
  if (batch.scorecards) {
    const c = batch.scorecards[i];
    return { score: c.score ?? NaN, band: c.band.id };
  }
  const ids = model.bands.map((b) => b.id);
  return { score: batch.scores[i], band: batch.bands[i] < ids.length ? ids[batch.bands[i]] : 'insufficient_data' };
}

/** Every path of scoreMany gives what score gives, account by account. */
function agree(model, accounts) {
  const want = accounts.map((a) => plain(model, a));
  const paths = {
    objects: () => model.scoreMany(accounts),
    'objects, generic packer': () => model.scoreMany(accounts, { codegen: false }),
    columnar: () => model.scoreMany(accounts, { columnar: true }),
    'columnar, generic packer': () => model.scoreMany(accounts, { columnar: true, codegen: false }),
  };
  for (const [name, run] of Object.entries(paths)) {
    let batch;
    try {
      batch = run();
    } catch (e) {
      assert.fail(`${name}: the whole batch threw ${e?.name} ${e?.code ?? ''}: ${e?.message}`);
    }
    accounts.forEach((_, i) => assert.deepEqual(fromBatch(model, batch, i), want[i], `${name}, account ${i}`));
  }
  return want;
}

/** Makes the module's memory grow (a large column batch on another model). */
function growMemory() {
  const other = new HealthModel(kpi);
  const before = wasmMemoryBytes();
  const n = 1 << 20;
  other.scoreColumns({ operations: new Float64Array(n).fill(3), commercial: new Float64Array(n).fill(3), engagement: new Float64Array(n).fill(3) });
  other.free();
  return wasmMemoryBytes() > before;
}

test('the columnar and plain paths agree on hostile accounts', () => {
  const model = new HealthModel(kpi);
  const good = { operations: 4, commercial: 3, engagement: 5 };
  let grew = false;
  const accounts = [
    { id: 'good', values: good },
    { id: 'bigint', values: { ...good, operations: 4n } },
    { id: 'symbol', values: { ...good, commercial: Symbol('x') } },
    { id: 'map', values: new Map(Object.entries(good)) },
    { id: 'inherited', values: Object.assign(Object.create({ operations: 4 }), { commercial: 3, engagement: 5 }) },
    Object.assign(Object.create({ values: good }), { id: 'inherits-values' }),
    { id: 'throws-null', values: { ...good, get engagement() { throw null; } } },
    { id: 'throws', values: { ...good, get engagement() { throw new Error('nope'); } } },
    { id: 'grows', values: { operations: 4, commercial: 3, get engagement() { grew = growMemory() || grew; return 5; } } },
    { id: 'after-growth', values: { operations: 1, commercial: 2, engagement: 3 } },
    { id: 'array', values: [4, 3, 5] },
    { id: 'class', values: new (class V { constructor() { Object.assign(this, good); } })() },
    { id: 'null-proto', values: Object.assign(Object.create(null), good) },
    { id: 'nul-name', name: '\u0000Acme', values: good },
    { id: '\ud83d', values: good },
    { id: 'lone-name', name: 'Acme \udc00', values: good },
    { id: 'lone-segment', segment: 'smb\ud800', values: good },
    { toJSON: () => undefined },
  ];
  const want = agree(model, accounts);
  assert.ok(grew, 'the getter made the memory grow (the test shows what it means to)');
  // What the plain path says, by hand (72.5 is the composite-kpi worked example).
  assert.deepEqual(want[0], { score: 72.5, band: 'watch' });
  assert.deepEqual(want[1], { code: 'wrong_type', path: 'values.operations' });
  assert.deepEqual(want[2], { code: 'wrong_type', path: 'values.commercial' });
  assert.deepEqual(want[3], { code: 'wrong_type', path: 'values' });
  // Only own properties are data: an inherited value is missing.
  assert.equal(want[4].score, plain(model, { id: 'x', values: { commercial: 3, engagement: 5 } }).score);
  // An inherited `values` is not the account's: no values, too little data.
  assert.deepEqual(want[5], { score: NaN, band: 'insufficient_data' });
  assert.deepEqual(want[6], { code: 'wrong_type', path: '' });
  assert.deepEqual(want[7], { code: 'wrong_type', path: '' });
  assert.deepEqual(want[8], want[0]);
  assert.equal(want[10].code, 'wrong_type');
  assert.deepEqual(want[11], want[0]);
  assert.deepEqual(want[12], want[0]);
  assert.deepEqual(want[13], want[0]);
  assert.deepEqual(want[14], { code: 'invalid_text', path: 'id' });
  assert.deepEqual(want[15], { code: 'invalid_text', path: 'name' });
});

test('the paths agree on hostile accounts of a model with flags and match rules', () => {
  const model = new HealthModel(sample);
  const base = json('samples/portfolio.json').accounts.slice(0, 3);
  const accounts = [
    ...base,
    { ...base[0], id: 'flag-bigint', values: { ...base[0].values, p1Open: 1n } },
    { ...base[0], id: 'match-symbol', values: { ...base[0].values, contract: Symbol('x') } },
    { ...base[0], id: 'match-lone', values: { ...base[0].values, contract: 'Two year\ud800' } },
    { ...base[0], id: 'match-inherited', values: Object.assign(Object.create({ contract: 'Two year' }), { ...base[0].values, contract: undefined }) },
  ];
  const want = agree(model, accounts);
  assert.deepEqual(want[5], { code: 'invalid_text', path: 'values.contract' });
});

test('a lone surrogate refuses only the account or snapshot that holds it', () => {
  const model = new HealthModel(kpi);
  const values = { operations: 4, commercial: 3, engagement: 5 };
  const batch = model.scoreMany([{ id: 'a', values }, { id: 'b\ud83d', values }, { id: 'c', values }]);
  assert.equal(batch.scorecards[0].score, 72.5);
  assert.equal(batch.scorecards[1], null);
  assert.equal(batch.scorecards[2].score, 72.5);
  assert.deepEqual(batch.errors.map((e) => [e.index, e.code, e.path]), [[1, 'invalid_text', '[1].id']]);
  const replay = model.replay([
    { accountId: 'a', at: '2026-01-01', values },
    { accountId: 'a\udfff', at: '2026-01-02', values },
    { accountId: 'a', at: '2026-01-03', values },
  ]);
  assert.equal(replay.points.length, 2);
  assert.deepEqual(replay.errors.map((e) => [e.index, e.code, e.path]), [[1, 'invalid_text', '[1].accountId']]);
  const set = new HealthModelSet({ version: 1, id: 'one', models: [{ default: true, model: kpi }] });
  const many = set.scoreMany([{ id: 'a', values: { ...values, operations: NaN } }, { id: 'b\ud800', values }, { id: 'c', values }]);
  assert.equal(many.scorecards[2].score, 72.5);
  assert.deepEqual(many.errors.map((e) => [e.index, e.code, e.path]), [[0, 'not_finite', '[0].values.operations'], [1, 'invalid_text', '[1].id']]);
});

test('a lone surrogate in a model is refused at its path, as an object or as text', () => {
  for (const doc of [{ ...kpi, name: 'KPI \ud800' }, JSON.stringify({ ...kpi, name: 'KPI \ud800' })]) {
    assert.throws(() => new HealthModel(doc), (e) => e instanceof HealthScoreError && e.code === 'invalid_text' && e.path === 'name');
  }
  // The same text, with the character whole, is a model.
  assert.equal(new HealthModel({ ...kpi, name: 'KPI \ud83d\ude00' }).toJSON().name, 'KPI \ud83d\ude00');
});

test('text starting with U+0000 round-trips through toJSON', () => {
  const model = new HealthModel({ ...kpi, name: '\u0000KPI', description: '\u0000\u0000x' });
  const doc = model.toJSON();
  assert.equal(doc.name, '\u0000KPI');
  assert.equal(doc.description, '\u0000\u0000x');
  for (const again of [new HealthModel(doc), new HealthModel(JSON.stringify(doc))]) {
    assert.equal(again.hash, model.hash);
    assert.equal(again.toJSON().name, '\u0000KPI');
  }
  // A NaN is still refused, and a string that spells a mark is text.
  assert.throws(() => new HealthModel({ ...kpi, name: NaN }), (e) => e.code === 'wrong_type' || e.code === 'not_finite');
  assert.equal(new HealthModel({ ...kpi, name: '\u0000NaN' }).toJSON().name, '\u0000NaN');
  const card = model.score({ id: 'a', name: '\u0000NaN', values: { operations: 4, commercial: 3, engagement: 5 } });
  assert.equal(card.name, '\u0000NaN');
  const batch = model.scoreMany([{ id: 'a', name: '\u0000NaN', values: { operations: 4, commercial: 3, engagement: 5 } }]);
  assert.equal(batch.scorecards[0].name, '\u0000NaN');
});

test('what the input throws, a detached column and use after free are coded errors', () => {
  const model = new HealthModel(kpi);
  const codeOf = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof HealthScoreError, `raw ${e?.name ?? typeof e}: ${e?.message ?? e}`);
      return e.code;
    }
    return 'no error';
  };
  assert.equal(codeOf(() => model.score({ id: 'a', get values() { throw null; } })), 'wrong_type');
  assert.equal(codeOf(() => model.score({ id: 'a', get values() { throw undefined; } })), 'wrong_type');
  assert.equal(codeOf(() => model.scoreMany([{ id: 'a', get values() { throw null; } }])), 'no error');
  const col = new Float64Array(4).fill(3);
  structuredClone(col.buffer, { transfer: [col.buffer] });
  assert.equal(col.length, 0, 'the buffer is detached');
  assert.equal(codeOf(() => model.scoreColumns({ operations: col, commercial: new Float64Array(4), engagement: new Float64Array(4) })), 'column_length');
  // Alone, it reads as 0 rows, but its buffer cannot be read: a coded error.
  assert.equal(codeOf(() => model.scoreColumns({ operations: col })), 'wrong_type');
  const gone = new HealthModel(kpi);
  gone.free();
  assert.equal(codeOf(() => gone.score({ id: 'a', values: {} })), 'freed');
  assert.equal(codeOf(() => gone.hash), 'freed');
  // The next good call works.
  assert.equal(model.score({ id: 'a', values: { operations: 4, commercial: 3, engagement: 5 } }).score, 72.5);
});

test('errorCodes() lists every code in the source', () => {
  const listed = new Set(Object.keys(errorCodes()));
  const found = new Map();
  const scan = (dir, patterns) => {
    for (const entry of readdirSync(new URL(dir, root), { withFileTypes: true })) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory()) {
        scan(`${path}/`, patterns);
        continue;
      }
      if (!/\.(rs|mjs)$/.test(entry.name)) continue;
      const text = readFileSync(new URL(path, root), 'utf8');
      for (const re of patterns) for (const m of text.matchAll(re)) if (!found.has(m[1])) found.set(m[1], path);
    }
  };
  // Errors are made with Error::new, pushed onto a reader's problems, or
  // refused through a helper; in JS with error('code', …).
  scan('src/', [/\b(?:Error::new|push|refuse)\(\s*"([a-z][a-z_]*)"/g]);
  scan('js/', [/\berror\(\s*'([a-z][a-z_]*)'/g, /\b(?:problem|fail)\(\s*\d+,\s*'([a-z][a-z_]*)'/g, /\[\s*\d{3},\s*'([a-z][a-z_]*)'/g]);
  assert.ok(found.size > 60, `found ${found.size} codes: the patterns still match the source`);
  for (const [code, where] of found) assert.ok(listed.has(code), `${code} (${where}) is not in errorCodes()`);
  assert.ok(listed.has('unknown_band'));
});

test('small holes: limits past 32 bits, offsets past a day, duplicate snapshots', () => {
  const model = new HealthModel(kpi);
  const cards = model.scoreMany([1, 2, 3].map((k) => ({ id: `a${k}`, values: { operations: k, commercial: 3, engagement: 5 } }))).scorecards;
  for (const limit of [2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1]) assert.equal(model.prioritise(cards, { limit }).length, 3, `limit ${limit}`);
  assert.equal(model.prioritise(cards, { limit: 2 }).length, 2);
  assert.throws(() => model.score({ id: 'a', values: { operations: 4 } }, { at: '2026-01-01T00:00:00+25:00' }), (e) => e.code === 'invalid_value' || e.code === 'invalid_date');
  assert.equal(model.score({ id: 'a', values: { operations: 4 } }, { at: '2026-01-01T00:00:00+23:59' }).at !== undefined, true);
  const values = { operations: 4, commercial: 3, engagement: 5 };
  const replay = model.replay([
    { accountId: 'a', at: '2026-01-01', values },
    { accountId: 'a', at: '2026-01-01T00:00:00Z', values: { ...values, operations: 1 } },
    { accountId: 'b', at: '2026-01-01', values },
  ]);
  assert.deepEqual(replay.points.map((p) => [p.accountId, p.score]), [['a', 72.5], ['b', 72.5]]);
  assert.deepEqual(replay.errors.map((e) => [e.index, e.code, e.path]), [[1, 'duplicate_date', '[1].at']]);
});

test('invalid JSON text gets help that fits what is wrong', () => {
  const helpOf = (text) => {
    try {
      new HealthModel(text);
    } catch (e) {
      assert.equal(e.code, 'invalid_json');
      return e.help;
    }
    assert.fail('no error');
  };
  assert.match(helpOf('{\n  "version": 1,\n}'), /line 3 column 1: a trailing comma/);
  assert.match(helpOf('{ "version": 1'), /ends too early/);
  assert.match(helpOf('['.repeat(200) + ']'.repeat(200)), /nesting deeper than 128/);
});

test('property: random hostile accounts get one answer on every path', () => {
  let seed = 17;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const model = new HealthModel(sample);
  const accounts = json('samples/portfolio.json').accounts;
  const hostile = [
    () => 4n, () => Symbol('s'), () => NaN, () => -Infinity, () => new Map(), () => new Set([1]), () => [1], () => ({}),
    () => 'Two year', () => 'Two year\ud800', () => '\u0000x', () => true, () => null, () => undefined, () => 1e308, () => -0,
    () => Object.create({ inherited: 1 }), () => new Date(0), () => () => 1,
  ];
  const cases = [];
  for (let i = 0; i < 3000; i++) {
    const base = accounts[i % accounts.length];
    const values = { ...base.values };
    const keys = Object.keys(values);
    const kind = rnd();
    let account;
    if (kind < 0.3) {
      account = { ...base, id: `a${i}` };
    } else if (kind < 0.75) {
      values[pick(keys)] = pick(hostile)();
      account = { ...base, id: `a${i}`, values };
    } else if (kind < 0.8) {
      account = { ...base, id: `a${i}`, values: Object.assign(Object.create({ [pick(keys)]: 1 }), values) };
    } else if (kind < 0.85) {
      account = { ...base, id: `a${i}`, values: new Map(Object.entries(values)) };
    } else if (kind < 0.9) {
      const key = pick(keys);
      const v = values[key];
      delete values[key];
      // (decided once: the same account read twice reads the same)
      const thrown = rnd() < 0.5 ? [pick([null, 1, new Error('x')])] : null;
      Object.defineProperty(values, key, { enumerable: true, get: () => { if (thrown) throw thrown[0]; return v; } });
      account = { ...base, id: `a${i}`, values };
    } else if (kind < 0.95) {
      account = { ...base, id: pick([`a${i}`, `a${i}\udc00`, '', ' ', 7, 2 ** 60, null]), name: pick(['\u0000n', 'n\ud800', 5, null]) };
    } else {
      account = pick([null, 1, 'x', [], { id: `a${i}` }, { id: `a${i}`, values: null }]);
    }
    cases.push(account);
  }
  const want = agree(model, cases);
  const kinds = new Set(want.map((w) => w.code ?? 'scored'));
  assert.ok(kinds.size >= 6, `a mix of answers: ${[...kinds]}`);
});

test('limits() gives the documented limits, and inputs over them are refused up front', () => {
  const l = pkg.limits();
  assert.deepEqual(l, {
    maxAccounts: 2_000_000, maxColumnCells: 2 ** 26, maxTableCells: 20_000_000, maxTableColumns: 1_000,
    maxBands: 100, maxMeasures: 10_000, maxRuleEntries: 10_000, maxSetModels: 1_000, maxHistory: 100_000,
    // (issue 27)
    maxSeriesPoints: 10_000, maxAccountBytes: 4 << 20, maxModelBytes: 16 << 20, maxOverrideConditions: 1_000,
    maxConditions: 20_000, maxOverrideCandidates: 100, maxPlanChanges: 10, maxRollupLevers: 10,
    maxRollupChildren: 1_000, maxRollupDepth: 100, maxNoteChars: 2_000,
  });
  const bands = Array.from({ length: l.maxBands + 1 }, (_, i) => ({ id: `b${i}`, color: '#777777', from: i / 2 }));
  assert.throws(() => new HealthModel({ ...kpi, bands }), (e) => e.code === 'too_large' && e.path === 'bands' && e.help.includes('100 bands'));
  const history = Array.from({ length: l.maxHistory + 1 }, (_, i) => ({ at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), score: 50 }));
  const model = new HealthModel(kpi);
  assert.throws(() => model.alerts(history), (e) => e.code === 'too_large' && e.help.includes('100000 snapshots'));
  assert.equal(model.alerts(history.slice(0, 1000)).length >= 0, true);
});
