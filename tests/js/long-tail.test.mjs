// A match column with a long tail (issue 25: a region, industry or owner
// column): texts that are not the rule's keys score `otherwise` in the
// kernel, texts that mean "no value" are missing there too, and the
// scorecards equal score()'s field for field (the breakdown shows each text
// as given). Before, every such row left the kernel for the JSON path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';

const model = new HealthModel({
  version: 1, id: 'long-tail',
  bands: [
    { id: 'low', label: 'Low', color: '#d55e00', from: 0 },
    { id: 'high', label: 'High', color: '#009e73', from: 50 },
  ],
  categories: [{ id: 'c', weight: 1, measures: [
    { id: 'area', weight: 1, missingValues: ['(none)'], rule: { type: 'match', scores: { North: 1, South: 0.2, 'N/A': 0.9 }, otherwise: 0.5 } },
    { id: 'usage', weight: 1, rule: { type: 'scale', min: 0, max: 10 } },
  ] }],
});

/** 600 distinct texts, the rule's keys, and texts that mean no value (standard, the measure's own, blank, any case, padded). */
const area = (i) => ['North', 'South', 'N/A', 'NA', ' unknown ', '', '(none)', ' (none) ', 'null', `Area ${i % 600}`, `  Area ${i % 7}  `, 'Ünïcode ✓'][i % 12];

test('a long-tailed match column scores in the kernel, as score() does', () => {
  const accounts = Array.from({ length: 2400 }, (_, i) => ({ id: `a${i}`, values: { area: area(i * 7 + (i >> 4)), usage: i % 11 } }));
  const { scorecards, errors } = model.scoreMany(accounts);
  assert.deepEqual(errors, []);
  for (let i = 0; i < accounts.length; i++) {
    const card = scorecards[i];
    // Built from the kernel's columns: the breakdown is computed on first read.
    assert.equal(typeof Object.getOwnPropertyDescriptor(card, 'categories').get, 'function', `${JSON.stringify(accounts[i].values.area)} left the kernel`);
    assert.deepEqual(JSON.parse(JSON.stringify(card)), JSON.parse(JSON.stringify(model.score(accounts[i]))), JSON.stringify(accounts[i].values.area));
  }
  // Worked by hand (a match rule's scores normalised over 0.2..1):
  // "Area 5" scores otherwise, (0.5 − 0.2) / 0.8 = 0.375, usage 10 → 1:
  // (0.375 + 1) / 2 = 68.75; "N/A" is a key here (0.9 → 0.875), not "no
  // value": (0.875 + 0) / 2 = 43.75; "(none)" means no value: usage 4 alone → 40.
  const [x, y, z] = model.scoreMany([
    { id: 'x', values: { area: 'Area 5', usage: 10 } },
    { id: 'y', values: { area: 'N/A', usage: 0 } },
    { id: 'z', values: { area: ' (none) ', usage: 4 } },
  ]).scorecards;
  assert.equal(x.score, 68.75);
  assert.ok(Math.abs(y.score - 43.75) < 1e-9, String(y.score));
  assert.equal(z.score, 40);
  assert.equal(z.categories[0].measures[0].status, 'skipped');
  assert.equal(z.categories[0].measures[0].value, ' (none) ');
});

test('without otherwise an unknown text is still refused with its message', () => {
  const strict = new HealthModel({
    version: 1, id: 'strict',
    bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }],
    categories: [{ id: 'c', weight: 1, measures: [{ id: 'area', weight: 1, rule: { type: 'match', scores: { North: 1, South: 0 } } }] }],
  });
  const { scorecards, errors } = strict.scoreMany([{ id: 'a', values: { area: 'Elsewhere' } }, { id: 'b', values: { area: 'NA' } }]);
  assert.equal(scorecards[0], null);
  assert.equal(errors[0].code, 'unknown_value');
  assert.equal(errors[0].path, '[0].values.area');
  assert.equal(scorecards[1].score, null); // no value at all: insufficient data
});

test('a long run of spaces costs one pass, and a text of a mebibyte meets the account limit on both paths', () => {
  const spaced = { id: 's', values: { area: `x${' '.repeat(200_000)}x`, usage: 5 } };
  assert.deepEqual(JSON.parse(JSON.stringify(model.scoreMany([spaced]).scorecards[0])), JSON.parse(JSON.stringify(model.score(spaced))));
  const huge = { id: 'h', values: { area: 'x'.repeat(5 << 20), usage: 5 } };
  assert.throws(() => model.score(huge), (e) => e.code === 'too_large');
  const { scorecards, errors } = model.scoreMany([huge]);
  assert.equal(scorecards[0], null);
  assert.equal(errors[0].code, 'too_large');
});
