// End-to-end: a model with an override and a coverage penalty, saved in the
// editor, shows both where a CS lead looks: the account view says which
// override held and how many points the penalty moved; the table marks
// low-coverage accounts with the library's flag. The accounts to look at and
// their numbers come from the package in Node with the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { json, open, view } from './harness.mjs';
import { HealthModel } from '../../pkg/index.node.mjs';

test('an override and the coverage penalty are shown in the account view', async () => {
  const doc = json('samples/model.json');
  doc.coveragePenalty = 0.5;
  doc.overrides = [{ when: { any: [{ measure: 'nps', op: '>=', value: 9 }] }, floor: 60, reason: 'Promoter on record' }];
  const accounts = json('samples/portfolio.json').accounts;
  const model = new HealthModel(doc);
  const { scorecards, summary } = model.scoreMany(accounts, { ignoreUnknown: true });
  const raised = scorecards.find((c) => c?.overrides.length === 1 && c.overrides[0].after > c.overrides[0].before);
  const penalised = scorecards.find((c) => c && c.coveragePenalty > 0 && c.overrides.length === 0);
  assert.ok(raised && penalised, 'the sample has an account each way');
  model.free();

  const { page, ctx, problems } = await open();
  await view(page, 'model');
  await page.waitForSelector('#model-errors li.ok');
  await page.fill('#model-json', JSON.stringify(doc, null, 2));
  await page.waitForSelector('#model-errors li.ok');
  await page.click('#save-model');
  await page.waitForFunction(() => /Saved/.test(document.querySelector('#draft-note').textContent));

  const fmt1 = (x) => x.toFixed(1);
  await page.goto(page.url().replace(/#.*$/, `#/account/${raised.accountId}`));
  await page.waitForFunction((id) => document.body.dataset.shown === `account:${id}`, raised.accountId);
  const note = await page.textContent('#acc-caps');
  const o = raised.overrides[0];
  assert.ok(note.includes(`Override (floor 60.0): Promoter on record, ${fmt1(o.before)} → ${fmt1(o.after)}.`), note);
  assert.equal(await page.textContent('#acc-score'), fmt1(raised.score));

  await page.goto(page.url().replace(/#.*$/, `#/account/${penalised.accountId}`));
  await page.waitForFunction((id) => document.body.dataset.shown === `account:${id}`, penalised.accountId);
  assert.ok((await page.textContent('#acc-caps')).includes(`Lowered ${fmt1(penalised.coveragePenalty)} points toward 50 for missing data`));
  assert.match(await page.textContent('#acc-meta'), penalised.lowCoverage ? /low data/ : /coverage \d+ %$/);

  // The portfolio's note counts the library's low-coverage flags.
  await view(page, 'portfolio');
  const notes = await page.textContent('#portfolio-notes');
  if (summary.lowCoverage > 0) assert.match(notes, new RegExp(`${summary.lowCoverage} scored accounts? ha(s|ve) less than 80 % of the model's data`));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the CSM\'s comment and a disagreement are shown in the account view', async () => {
  const doc = json('samples/model.json');
  const accounts = json('samples/portfolio.json').accounts;
  const model = new HealthModel(doc);
  const { scorecards } = model.scoreMany(accounts, { ignoreUnknown: true });
  const noted = scorecards.find((c) => c?.categories.some((cat) => cat.measures.some((m) => m.note)) && c.sentimentDisagrees.length > 0)
    ?? scorecards.find((c) => c?.categories.some((cat) => cat.measures.some((m) => m.note)));
  assert.ok(noted, 'the sample has a noted account');
  const disagree = scorecards.filter((c) => c?.sentimentDisagrees.length > 0).length;
  model.free();

  const { page, ctx, problems } = await open({ path: `/#/account/${noted.accountId}` });
  await page.waitForFunction((id) => document.body.dataset.shown === `account:${id}`, noted.accountId);
  const row = await page.textContent('#acc-breakdown tr[data-measure="csmSentiment"]');
  assert.match(row, /CSM sentiment \(1-5\) · CSM/);
  assert.match(row, /“Our champion left; the new VP questions the renewal\.” — Dana Ruiz \(CSM\), 2026-\d\d(-\d\d)? \(champion_left\)/);
  if (noted.sentimentDisagrees.length > 0) assert.match(await page.textContent('#acc-caps'), /The CSM's CSM sentiment \(1-5\) \(\d+ of 100\) is more (worried|confident) than the score/);
  await view(page, 'portfolio');
  if (disagree > 0) assert.match(await page.textContent('#portfolio-notes'), new RegExp(`On ${disagree} accounts? the CSM's judgement and the score disagree`));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('account groups: the portfolio shows each parent\'s rolled-up health, the account costing it most and the lever', async () => {
  const doc = json('samples/model.json');
  const accounts = json('samples/portfolio.json').accounts;
  const model = new HealthModel(doc);
  const { scorecards } = model.scoreMany(accounts, { ignoreUnknown: true });
  const parents = Object.fromEntries(accounts.filter((a) => a.fields?.parent).map((a) => [a.id, a.fields.parent]));
  const groups = model.rollup(scorecards, { parents });
  model.free();
  assert.deepEqual(groups.map((g) => g.accountId), ['Globex Holdings', 'Northwind Group']);

  const { page, ctx, problems } = await open();
  await page.waitForSelector('#groups:not([hidden])');
  for (const g of groups) {
    const row = await page.textContent(`#groups-table tr[data-group="${g.accountId}"]`);
    assert.ok(row.includes(g.score.toFixed(1)), `${g.accountId}: ${row}`);
    assert.ok(row.includes(g.band.label));
    assert.ok(row.includes(`${g.children[0].accountId} (${g.children[0].pointsMissed.toFixed(1)} points)`), row);
  }
  // The costliest account opens from the group's row.
  await page.click(`#groups-table tr[data-group="${groups[0].accountId}"] a`);
  await page.waitForFunction((id) => document.body.dataset.shown === `account:${id}`, groups[0].children[0].accountId);
  assert.deepEqual(problems, []);
  await ctx.close();
});
