// The CSM's voice in the package (issue 16, item 2): the columnar
// scorecards carry `source`, `note` and `sentimentDisagrees` exactly as
// `score` does; notes travel through JSON; the alert fires. Numbers as in
// tests/csm.rs: score = (3 × logins/10 + (sentiment − 1)/9) / 4 × 100.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthModel } from '../../pkg/index.node.mjs';

const doc = {
  version: 1, id: 'csm',
  bands: [
    { id: 'risk', label: 'At risk', color: '#d55e00', from: 0 },
    { id: 'ok', label: 'OK', color: '#e69f00', from: 50 },
    { id: 'opportunity', label: 'Opportunity', color: '#009e73', above: 80 },
  ],
  categories: [
    { id: 'usage', weight: 3, measures: [{ id: 'logins', weight: 1, rule: { type: 'scale', min: 0, max: 10 } }] },
    { id: 'relationship', weight: 1, measures: [{ id: 'sentiment', label: 'CSM sentiment', weight: 1, source: 'csm', rule: { type: 'scale', min: 1, max: 10 } }] },
  ],
  playbooks: [{ id: 'ask-csm', label: 'Ask the CSM what they see', urgency: 'high', when: { alerts: ['sentimentDisagrees'] } }],
};
const note = { author: 'ana', at: '2026-11-01', comment: 'Champion left in October', reason: 'champion_left' };

test('columnar and JSON scorecards agree on source, notes and disagreements', () => {
  const model = new HealthModel(doc);
  const accounts = [
    { id: 'worried', values: { logins: 10, sentiment: 1 } },
    { id: 'agree', values: { logins: 9, sentiment: 10 } },
    { id: 'noted', values: { logins: 10, sentiment: 1 }, notes: { sentiment: note } },
    { id: 'silent', values: { logins: 10 } },
  ];
  const { scorecards } = model.scoreMany(accounts);
  const [worried, agree, noted, silent] = scorecards;
  assert.equal(worried.score, 75);
  assert.deepEqual(worried.sentimentDisagrees, [{ measureId: 'sentiment', sentiment: 0, score: 75, gap: -75 }]);
  assert.deepEqual(agree.sentimentDisagrees, []);
  assert.deepEqual(silent.sentimentDisagrees, []);
  assert.deepEqual(worried.categories[1].measures[0].source, 'csm');
  assert.deepEqual(worried.categories[0].measures[0].source, 'data');
  assert.equal(worried.categories[1].measures[0].note, null);
  assert.deepEqual(noted.categories[1].measures[0].note, note);
  for (const [i, account] of accounts.entries()) {
    assert.deepEqual(JSON.parse(JSON.stringify(scorecards[i])), model.score(account), accounts[i].id);
  }
  model.free();
});

test('the disagreement alert fires once, with its playbook; bad notes are coded errors', () => {
  const model = new HealthModel(doc);
  const at = (d, logins, sentiment) => model.score({ id: 'a', values: { logins, sentiment } }, { at: d });
  const alerts = model.alerts([at('2026-10-01', 9, 10), at('2026-10-08', 10, 1), at('2026-10-15', 10, 1)]).filter((a) => a.kind === 'sentimentDisagrees');
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].at, '2026-10-08');
  assert.equal(alerts[0].measureId, 'sentiment');
  assert.equal(alerts[0].change, -75);
  assert.deepEqual(alerts[0].actions.map((x) => x.id), ['ask-csm']);
  assert.throws(() => model.score({ id: 'x', values: {}, notes: { sentiment: { at: 'yesterday' } } }), (e) => e.code === 'invalid_date' && e.path === 'notes.sentiment.at');
  assert.throws(() => model.score({ id: 'x', values: {}, notes: { sentimnet: {} } }), (e) => e.code === 'unknown_measure' && e.path === 'notes.sentimnet');
  assert.equal(model.score({ id: 'x', values: { logins: 5 } }).score, 100 * 1.5 / 3);
  model.free();
});
