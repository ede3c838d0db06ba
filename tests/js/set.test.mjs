// HealthModelSet: the summary counts the bands of every model of the set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModelSet } from '../../pkg/index.node.mjs';

const composite = (id, bands) => ({
  version: 1, id, bands,
  categories: [
    { id: 'operational', weight: 50, measures: [{ id: 'ops', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
    { id: 'commercial', weight: 30, measures: [{ id: 'com', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
    { id: 'engagement', weight: 20, measures: [{ id: 'eng', weight: 1, rule: { type: 'scale', min: 1, max: 5 } }] },
  ],
});
const three = [
  { id: 'action', label: 'Action needed', color: '#c0392b', from: 0 },
  { id: 'watch', label: 'Watch', color: '#e6a700', from: 50 },
  { id: 'healthy', label: 'Healthy', color: '#2e8b57', above: 80 },
];
const two = [
  { id: 'at-risk', label: 'At risk', color: '#d55e00', from: 0 },
  { id: 'fine', label: 'Fine', color: '#009e73', from: 60 },
];

test('a model set\'s summary counts every model\'s bands: no account vanishes from the counts', () => {
  const set = new HealthModelSet({
    version: 1, id: 's',
    models: [
      { when: { segments: ['enterprise'] }, model: composite('enterprise', two) },
      { default: true, model: composite('rest', three) },
    ],
  });
  const all = (x) => ({ ops: x, com: x, eng: x });
  const { summary, scorecards } = set.scoreMany([
    { id: 'e1', segment: 'enterprise', value: 10, values: all(5) }, // 100: fine
    { id: 'e2', segment: 'enterprise', value: 20, values: all(1) }, // 0: at-risk
    { id: 's1', segment: 'smb', value: 30, values: all(5) }, // 100: healthy
    { id: 's2', segment: 'smb', values: {} }, // insufficient data
  ]);
  assert.deepEqual(scorecards.map((c) => c.band.id), ['fine', 'at-risk', 'healthy', 'insufficient_data']);
  assert.equal(summary.count, 4);
  const counts = Object.fromEntries(Object.entries(summary.bands).map(([id, b]) => [id, b.count]));
  assert.deepEqual(counts, { action: 0, watch: 0, healthy: 1, 'at-risk': 1, fine: 1, insufficient_data: 1 });
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), summary.count);
  assert.equal(summary.bands.fine.value, 10);
  assert.equal(summary.bands['at-risk'].share, 0.25);
});
