// constants(): the core's facts, read by JS instead of written out again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel, constants } from '../../pkg/index.node.mjs';

const model = new HealthModel(JSON.parse(readFileSync(new URL('../../samples/model.json', import.meta.url), 'utf8')));

test('the band codes are the ones columnar results use', () => {
  const { bandCodes } = constants();
  const r = model.scoreMany([
    { id: 'empty', values: {} },
    { id: 'bad', values: { csmSentiment: 9 } },
    { id: 'ok', values: { activeSeats: 80, csmSentiment: 5, nps: 10, openTickets: 0, escalations: 0 } },
  ], { columnar: true });
  assert.equal(r.bands[0], bandCodes.insufficientData);
  assert.equal(r.bands[1], bandCodes.refused);
  assert.ok(r.bands[2] < model.bands.length);
  assert.deepEqual(bandCodes, { insufficientData: 255, refused: 254 });
});

test('the insufficient-data band is the one scorecards carry; the typing texts are the core\'s', () => {
  const c = constants();
  assert.deepEqual(c.insufficientData, model.score({ id: 'x', values: {} }).band);
  assert.ok(c.missingTexts.includes('na'));
  assert.ok(c.trueTexts.includes('yes') && c.falseTexts.includes('no'));
  // A missing text is treated as missing (the measure's missing policy applies: neutral for nps).
  const card = model.score({ id: 'x', values: { nps: c.missingTexts[0], activeSeats: 50 } });
  assert.equal(card.categories.flatMap((x) => x.measures).find((m) => m.id === 'nps').status, 'neutral');
  // A copy: changing it changes nothing.
  c.bandCodes.refused = 1;
  assert.equal(constants().bandCodes.refused, 254);
});

test('column paths are written as the core writes paths', () => {
  assert.throws(() => model.scoreColumns({ 'a b': new Float64Array(1) }), (e) => e.code === 'unknown_measure' && e.path === 'columns["a b"]');
  assert.throws(() => model.scoreColumns({ ab: new Float64Array(1) }), (e) => e.code === 'unknown_measure' && e.path === 'columns.ab');
});
