// Every option is checked: a misspelt one is an error with its path, never
// silently ignored (issue 16, item 3: "an unknown override key in a scoring
// option is ignored silently").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HealthModel } from '../../pkg/index.node.mjs';

const model = new HealthModel(JSON.parse(readFileSync(new URL('../../samples/model.json', import.meta.url), 'utf8')));
const account = { id: 'a', values: { activeSeats: 50, nps: 7, csmSentiment: 4 } };
const card = model.score(account);
const unknown = (fn, path) => assert.throws(fn, (e) => e.code === 'unknown_field' && e.path === path, path);

test('options read by the core and options read in JS: an unknown key is unknown_field at its path', () => {
  unknown(() => model.score(account, { override: 1 }), 'override');
  unknown(() => model.scoreMany([account], { override: 1 }), 'override');
  unknown(() => model.scoreMany([account], { columnar: true, override: 1 }), 'override');
  unknown(() => model.prioritise([card], { objectiv: 'growth' }), 'options.objectiv');
  unknown(() => model.priorityOrder([card], { objectiv: 'growth' }), 'options.objectiv');
  unknown(() => model.update(card, {}, null, { histori: [] }), 'options.histori');
  unknown(() => model.scoreColumns({ activeSeats: new Float64Array([50]) }, { breakdwn: true }), 'options.breakdwn');
  unknown(() => model.columnView(1).score({ breakdwn: true }), 'options.breakdwn');
  unknown(() => model.rowToAccount({ id: 'a' }, { idColumn: 'id', foo: 1 }), 'foo');
  unknown(() => model.backtest('a,b\n1,1\n2,0', { outcome: { column: 'b', churnedWhen: '1' }, foo: 1 }), 'foo');
  // "did you mean" for a near miss.
  assert.throws(() => model.prioritise([card], { objectiv: 'growth' }), (e) => /did you mean `objective`/.test(e.help));
  // The next good call still works, and known options still do.
  assert.equal(model.prioritise([card], { objective: 'growth', limit: 1 }).length <= 1, true);
  assert.equal(model.update(card, { nps: 8 }, null, { history: [] }).scorecard.accountId, 'a');
  assert.ok(model.scoreColumns({ activeSeats: new Float64Array([50]) }, { breakdown: true }).categories);
});
