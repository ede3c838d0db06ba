// Type-checked with `tsc --noEmit -p tests/ts` against the shipped types:
// the document types come from the Rust types (pkg/types.d.ts).
import { HealthModel, HealthModelSet, HealthScoreError, presets, init, errorCodes, limits, constants } from 'customer-health';
import type { HealthEvent, WebhookDelivery, EdgeEnv } from 'customer-health/edge';
import { handle } from 'customer-health/edge';
import { verifyWebhook } from 'customer-health/webhook';
import { DEFAULTS, retryDelay } from 'customer-health/edge/settings';
import type {
  Model, Account, Scorecard, Batch, Lever, ErrorData, ColumnResult, ColumnBreakdown, ColumnView, Trend, Alert, Update, Explanation, Prioritised,
  Backtest, FitResult, Suggestion, AlertState, Plan, ModelSet, Rollup,
} from 'customer-health';

const model: Model = presets['composite-kpi'];
const custom: Model = {
  version: 1,
  id: 'mine',
  bands: [{ id: 'low', label: 'Low', color: '#d55e00', from: 0 }],
  categories: [
    { id: 'c', weight: 1, measures: [{ id: 'x', weight: 1, rule: { type: 'linear', points: [[0, 0], [10, 1]] } }] },
  ],
};

async function main(): Promise<void> {
  await init();
  const m = new HealthModel(model);
  const account: Account = { id: 'acme', segment: 'enterprise', value: 1000, values: { operations: 4, commercial: 3, engagement: 5 } };
  const card: Scorecard = m.score(account, { at: '2026-09-30' });
  const score: number | null | undefined = card.score;
  const bandId: string = card.band.id;
  const levers: Lever[] = m.levers(account);
  const batch: Batch = m.scoreMany([account]);
  const count: number = batch.summary.count;
  // Optional in the type: scorecards stored by earlier versions lack them.
  const honest: [boolean | undefined, number | undefined, string[] | undefined, number | undefined, number] = [card.lowCoverage, card.coveragePenalty, card.stale, batch.summary.lowCoverage, m.lowCoverageBelow];
  void honest;
  const noted: Account = { id: 'n', values: { engagement: 2 }, notes: { engagement: { author: 'ana', at: '2026-11-01', comment: 'Champion left', reason: 'champion_left' } } };
  const voice = m.score(noted).categories[0].measures[0];
  void [voice.note?.comment, voice.source, card.sentimentDisagrees?.[0]?.gap, voice.per?.divisor, voice.seriesPoints];
  const q: number[] = HealthModel.quantiles([1, null, 3], 3);
  const trendy: Account = { id: 't', values: { engagement: [{ at: '2026-10-01', value: 3 }] }, fields: { seats: 4 } };
  void [q, trendy];
  const groups: Rollup[] = m.rollup([card], { parents: { acme: 'acme-group' }, method: 'worst' });
  void groups[0]?.levers[0]?.accountId;
  const cols: ColumnResult = m.scoreColumns({ operations: new Float64Array([4]) });
  const first: number = cols.scores[0];
  const packed: ColumnResult = m.scoreMany([account], { columnar: true });
  const explained: ColumnBreakdown = m.scoreMany([account], { columnar: true, breakdown: true, codegen: false });
  const perCategory: Float64Array = explained.categories['operational'];
  const points: Float64Array = m.scoreColumns({ operations: new Float64Array([4]) }, { breakdown: true }).contributions['operations'];
  const stillCards: Batch = m.scoreMany([account], { columnar: false });
  const view: ColumnView = m.columnView(1);
  view.columns['operations'][0] = 4;
  const viewed: ColumnBreakdown = view.score({ breakdown: true });
  const setBatch: Batch = new HealthModelSet({ version: 1, id: 's', models: [{ default: true, model }] }).scoreMany([account]);
  void packed; void perCategory; void points; void stillCards; void viewed; void setBatch;
  const problems: ErrorData[] = HealthModel.validate(custom);
  const hash: string = m.hash;
  const codes: Record<string, string> = errorCodes();
  const maxHistory: number = limits().maxHistory;
  const refusedCode: number = constants().bandCodes.refused;
  const insufficientLabel: string = constants().insufficientData.label;
  void maxHistory;
  void refusedCode;
  void insufficientLabel;
  const trend: Trend | null = m.trend([{ at: '2026-01-01', score: 50 }, card]);
  const alerts: Alert[] = m.alerts([card]);
  const update: Update = m.update(card, { operations: 5 }, '2026-10-01', { history: [card] });
  const advanced: Update = m.advance(card, { id: 'a1', values: { operations: 6 }, fields: { seats: 3 } }, '2026-10-02', { history: [card] });
  void advanced;
  const state: AlertState | null | undefined = update.scorecard.alertState;
  const plan: Plan | null = m.plan({ id: 'p', values: { operations: 1 } });
  void plan?.changes[0]?.measureId;
  void state;
  const why: Explanation = m.explainChange(card, update.scorecard);
  const order: Prioritised[] = m.prioritise([card], { objective: 'growth', limit: 10 });
  const setDoc: ModelSet = { version: 1, id: 's', models: [{ when: { fields: [{ field: 'tenure', op: '<', value: 90 }] }, model }, { default: true, model }] };
  const set = new HealthModelSet(setDoc);
  const viaSet: Scorecard = set.score({ ...account, fields: { tenure: 30, plan: 'pro' } }, { asOf: '2026-10-01' });
  const setUpdate: Update = set.update(viaSet, { operations: 5 }, '2026-10-02', { history: [viaSet] });
  const setAlerts: Alert[] = set.alerts([viaSet, setUpdate.scorecard]);
  const setWhy: Explanation = set.explainChange(viaSet, setUpdate.scorecard);
  const setLevers: Lever[] = set.levers(account);
  void [setAlerts, setWhy, setLevers, set.trend([viaSet]), set.plan(account)];
  console.log(trend?.direction, alerts.length, why.total, order.length, viaSet.modelId);
  const rows = [{ operations: 4, commercial: 3, engagement: 5, churned: false }];
  const outcome = { column: 'churned', churnedWhen: true };
  const bt: Backtest = m.backtest(rows, { outcome, onProgress: (p) => p.phase !== 'never' });
  const fitted: FitResult = m.fit(rows, { outcome, testShare: 0.3, seed: 7 });
  const suggestion: Suggestion = HealthModel.suggest({ a: [1, 2], churned: [true, false] }, { outcome, skip: ['id'], aggregation: 'weighted' });
  const later: Promise<Suggestion> = HealthModel.suggestAsync('a,churned\n1,true\n', { outcome, signal: new AbortController().signal });
  const row = m.rowToAccount({ id: 'x', operations: '4', churned: 'no' }, { idColumn: 'id' });
  const wide: Scorecard = m.score(row.account as Account, { ignoreUnknown: true, at: '2026-10-01' });
  console.log(bt.auc, fitted.reversed.length, suggestion.model.id, later, row.ignored, wide.ignored);
  try {
    new HealthModel({ ...custom, version: 1 });
  } catch (e) {
    if (e instanceof HealthScoreError) {
      const where: string = e.path;
      const all: ErrorData[] = e.errors;
      console.log(where, all.length);
    }
  }
  console.log(score, bandId, levers.length, count, first, problems.length, hash, Object.keys(codes).length);
}

void main();

// @ts-expect-error: a rule type that does not exist is a type error too.
const wrong: Model = { ...custom, categories: [{ id: 'c', weight: 1, measures: [{ id: 'x', weight: 1, rule: { type: 'sigmoid' } }] }] };
void wrong;

// customer-health/edge: the types a worker and a webhook receiver use.
export async function receiver(body: string, header: string | null, secret: string): Promise<boolean> {
  const checked = await verifyWebhook(body, header, [secret], { toleranceSeconds: 300 });
  if (!checked.ok) void checked.reason;
  const settingsDefault: number = DEFAULTS.EDGE_MAX_TRIES + retryDelay(1, {}, 0.5);
  void settingsDefault;
  return checked.ok;
}

export function edgeTypes(env: EdgeEnv, delivery: WebhookDelivery): Promise<Response> {
  const event: HealthEvent = { id: 'e1', at: '2026-03-01T09:00:00Z', increments: { complaints: 1 }, fields: { seats: 12 }, value: 50000, notes: { nps: { author: 'csm', comment: 'renewal call went well' } } };
  void event;
  // @ts-expect-error: an event's value is a number.
  const wrongEvent: HealthEvent = { id: 'e2', at: '2026-03-01T09:00:00Z', value: 'lots' };
  void wrongEvent;
  void env.EDGE_OPERATOR_SECRET.length;
  void delivery.alert.kind;
  return handle(new Request('http://x/tenants/t/accounts/a'), env);
}
