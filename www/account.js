// The account view: score on its bands, breakdown, levers (and a combined
// plan when no single change reaches the next band), actions given the
// account's history, history with alerts, and the last change explained.
// Measures are named by their labels everywhere.
import { $, h, clear, paint, fmt1, money } from './dom.js';
import { gauge, historyChart, zones } from './charts.js';
import { ask } from './client.js';
import { on } from './state.js';

export function setupAccount() {
  on('show', ({ view, arg, wait }) => view === 'account' && wait(renderAccount(arg)));
}

async function renderAccount(id) {
  const data = id === null ? null : await ask('account', { id });
  $('#account-hint').hidden = Boolean(data);
  $('#account-body').hidden = !data;
  if (!data) {
    $('#h-account').textContent = 'Account';
    $('#h-account').removeAttribute('title');
    $('#account-hint').textContent = id === null ? 'Open an account from the portfolio.' : `No account “${id}” in this portfolio.`;
    return;
  }
  const { card, labels, bands } = data;
  const label = (m) => labels[m] ?? m;
  const bandLabel = (b) => bands.find((x) => x.id === b)?.label ?? b;
  const name = card.name ?? card.accountId;
  $('#h-account').textContent = name;
  $('#h-account').title = name;
  const zs = zones(bands.slice(0, -1), data.edges);
  $('#acc-score').textContent = fmt1(card.score);
  const band = $('#acc-band');
  band.textContent = card.band.label;
  band.dataset.band = card.band.id;
  paint(band, card.band.color);
  const low = card.lowCoverage ? ' · low data: read with care' : '';
  $('#acc-meta').textContent = `${card.accountId} · ${card.segment ?? 'no segment'} · value ${money(card.value)} · coverage ${(100 * card.coverage).toFixed(0)} %${low}`;
  clear($('#acc-gauge')).append(gauge(card.score, zs));
  const notes = [];
  if (card.coveragePenalty) notes.push(`${card.coveragePenalty > 0 ? 'Lowered' : 'Raised'} ${fmt1(Math.abs(card.coveragePenalty))} points toward 50 for missing data (breakdown score ${fmt1(card.uncappedScore)}).`);
  if (card.caps.length) notes.push(`Capped at ${card.caps[0].max}: ${card.caps.map((c) => c.reason).join('; ')} (uncapped ${fmt1(card.uncappedScore)}).`);
  for (const d of card.sentimentDisagrees ?? []) notes.push(`The CSM's ${label(d.measureId)} (${d.sentiment.toFixed(0)} of 100) is ${d.gap < 0 ? 'more worried than' : 'more confident than'} the score: ${Math.abs(d.gap).toFixed(0)} points apart. Ask what they see.`);
  for (const o of card.overrides ?? []) notes.push(`Override (${o.kind} ${fmt1(o.value)}): ${o.reason}${o.before === o.after ? ' (held, did not change the score)' : `, ${fmt1(o.before)} → ${fmt1(o.after)}`}.`);
  if (card.stale?.length) notes.push(`Stale: ${card.stale.map(label).join(', ')} (older than the model allows; ask for a fresh value).`);
  $('#acc-caps').textContent = notes.join(' ');

  const tbody = clear($('#acc-breakdown tbody'));
  for (const cat of card.categories) {
    tbody.append(h('tr', { class: 'category' },
      h('th', { 'data-label': 'Category' }, cat.label), h('th', { 'data-label': 'Score' }, cat.score === null ? '—' : `${fmt1(cat.score)} / 100`),
      h('th', { class: 'num', 'data-label': 'Contribution' }, fmt1(cat.contribution)), h('th', { class: 'num', 'data-label': 'Missed' }, fmt1(cat.pointsMissed)), h('th', {})));
    for (const m of cat.measures) {
      const got = h('span', { class: 'bar got' });
      got.style.width = `${2 * m.contribution}px`;
      const missed = h('span', { class: 'bar missed' });
      missed.style.width = `${2 * m.pointsMissed}px`;
      const value = m.value === null ? `missing (${m.status})` : show(m.value);
      const note = m.note ? h('div', { class: 'csm-note muted' }, `“${m.note.comment ?? m.note.reason ?? ''}”`, [m.note.author, m.note.at].filter(Boolean).length ? ` — ${[m.note.author, m.note.at].filter(Boolean).join(', ')}` : '', m.note.reason && m.note.comment ? ` (${m.note.reason})` : '') : '';
      tbody.append(h('tr', { 'data-measure': m.id },
        h('td', { 'data-label': 'Measure' }, m.label, m.source === 'csm' ? h('span', { class: 'muted', title: 'A person\'s judgement, kept apart from the data' }, ' · CSM') : ''),
        h('td', { 'data-label': 'Value', class: 'wrap' }, value, m.decayedWeight !== null && m.decayedWeight !== undefined ? h('span', { class: 'muted' }, ` · ${m.ageDays.toFixed(0)} days old, counts ${(100 * m.decayedWeight).toFixed(0)} %`) : '', note),
        h('td', { class: 'num contribution', 'data-label': 'Contribution' }, fmt1(m.contribution)),
        h('td', { class: 'num missed', 'data-label': 'Missed' }, fmt1(m.pointsMissed)),
        h('td', { 'data-label': 'Bar', 'aria-hidden': 'true' }, h('span', { class: 'bars' }, got, missed))));
    }
  }
  const levers = clear($('#acc-levers'));
  for (const l of card.levers) {
    const now = card.categories.flatMap((c) => c.measures).find((m) => m.id === l.measureId)?.value;
    const path = l.toNextBand
      ? ` → ${bandLabel(l.toNextBand.band)} ${towards(now, l.toNextBand.value, l.toNextBand.strict)} ${show(l.toNextBand.value)}`
      : ' (alone, not enough for the next band)';
    levers.append(h('li', { 'data-measure': l.measureId }, h('strong', {}, label(l.measureId)), ` could add ${l.pointsMissed.toFixed(1)} points`, path));
  }
  if (card.levers.length === 0) levers.append(h('li', { class: 'muted' }, card.score === null ? 'No score yet: add data for the measures in the breakdown.' : 'Nothing left to gain.'));
  const plan = clear($('#acc-plan'));
  if (data.plan) {
    plan.append(h('h3', {}, `Combined plan to reach ${bandLabel(data.plan.band)} (${fmt1(data.plan.score)})`),
      h('ol', { id: 'acc-plan-steps' }, ...data.plan.changes.map((c) => h('li', { 'data-measure': c.measureId }, `${label(c.measureId)}: ${show(c.from)} → ${c.strict ? `${towards(c.from, c.to, true)} ` : ''}${show(c.to)}`))));
  } else if (card.score !== null && !card.levers.some((l) => l.toNextBand) && card.band.id !== bands[bands.length - 2]?.id) {
    plan.append(h('p', { class: 'muted' }, 'No set of changes reaches the next band.'));
  }

  const actions = clear($('#acc-actions'));
  for (const a of data.actions) actions.append(h('li', {}, h('strong', {}, `${a.urgency}: `), a.label));
  if (data.actions.length === 0) actions.append(h('li', { class: 'muted' }, 'No playbook applies.'));
  const hist = clear($('#acc-history'));
  if (data.points.length > 0) hist.append(historyChart(data.points, zs, data.alerts));
  else hist.append(h('p', { class: 'muted' }, 'No history for this account.'));
  const list = clear($('#acc-alerts'));
  for (const a of data.alerts) list.append(h('li', {}, h('strong', {}, `${a.at} ${a.kind}: `), a.message));
  renderChange(data.change, label);
}

function renderChange(change, label) {
  const box = clear($('#acc-change'));
  if (!change.explanation) {
    box.append(h('p', { class: 'muted' }, change.note));
    return;
  }
  const e = change.explanation;
  box.append(h('p', {}, `From ${change.from} to ${change.to}: ${e.total >= 0 ? '+' : ''}${e.total.toFixed(1)} points.`));
  const ul = h('ul', {});
  for (const m of e.measures.filter((x) => Math.abs(x.effect) >= 0.05)) {
    ul.append(h('li', {}, `${label(m.measureId)}: ${show(m.before)} → ${show(m.after)}, ${m.effect >= 0 ? '+' : ''}${m.effect.toFixed(1)}`));
  }
  for (const [k, v] of [['renormalisation (missing data)', e.renormalization], ['caps', e.caps], ['staleness', e.staleness], ['model change', e.modelChange]]) {
    if (Math.abs(v) >= 0.05) ul.append(h('li', {}, `${k}: ${v >= 0 ? '+' : ''}${v.toFixed(1)}`));
  }
  box.append(ul);
}

/** "at", or which side of a threshold a value must pass ("below 1", "above 80"). */
function towards(from, to, strict) {
  if (!strict) return 'at';
  if (typeof from === 'number' && typeof to === 'number' && to !== from) return to < from ? 'below' : 'above';
  return 'beyond';
}

function show(v) {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}
