// The account view: score on its bands, breakdown, levers, history with
// alerts, actions and the explanation of the last change.
import { $, h, clear, paint, fmt1, money } from './dom.js';
import { gauge, historyChart, zones } from './charts.js';
import { state } from './app.js';

function edges() {
  return state.doc.bands.map((b) => b.from ?? b.above ?? 0);
}

export function renderAccount() {
  const card = state.cards.find((c) => c && c.accountId === state.selected);
  $('#account-hint').hidden = Boolean(card);
  $('#account-body').hidden = !card;
  if (!card) return;
  const zs = zones(state.model.bands, edges());
  $('#acc-score').textContent = fmt1(card.score);
  const band = $('#acc-band');
  band.textContent = card.band.label;
  band.dataset.band = card.band.id;
  paint(band, card.band.color);
  $('#acc-meta').textContent = `${card.name ?? card.accountId} · ${card.segment ?? 'no segment'} · value ${money(card.value)} · coverage ${(100 * card.coverage).toFixed(0)} %`;
  clear($('#acc-gauge')).append(gauge(card.score, zs));
  $('#acc-caps').textContent = card.caps.length ? `Capped at ${card.caps[0].max}: ${card.caps.map((c) => c.reason).join('; ')} (uncapped ${fmt1(card.uncappedScore)})` : '';

  const tbody = clear($('#acc-breakdown tbody'));
  for (const cat of card.categories) {
    tbody.append(h('tr', { class: 'category' },
      h('th', {}, cat.label), h('th', {}, cat.score === null ? '—' : `${fmt1(cat.score)} / 100`),
      h('th', { class: 'num' }, fmt1(cat.contribution)), h('th', { class: 'num' }, fmt1(cat.pointsMissed)), h('th', {})));
    for (const m of cat.measures) {
      const got = h('span', { class: 'bar got' });
      got.style.width = `${2 * m.contribution}px`;
      const missed = h('span', { class: 'bar missed' });
      missed.style.width = `${2 * m.pointsMissed}px`;
      const value = m.value === null ? `missing (${m.status})` : String(m.value);
      tbody.append(h('tr', { 'data-measure': m.id },
        h('td', {}, m.label),
        h('td', {}, value, m.decayedWeight !== null && m.decayedWeight !== undefined ? h('span', { class: 'muted' }, ` · ${m.ageDays.toFixed(0)} days old, counts ${(100 * m.decayedWeight).toFixed(0)} %`) : ''),
        h('td', { class: 'num contribution' }, fmt1(m.contribution)),
        h('td', { class: 'num missed' }, fmt1(m.pointsMissed)),
        h('td', {}, got, missed)));
    }
  }
  const levers = clear($('#acc-levers'));
  for (const l of card.levers) {
    const path = l.toNextBand
      ? ` → ${bandLabel(l.toNextBand.band)} ${l.toNextBand.strict ? 'beyond' : 'at'} ${show(l.toNextBand.value)}`
      : ' (no single change reaches the next band)';
    levers.append(h('li', {}, h('strong', {}, l.measureId), ` could add ${l.pointsMissed.toFixed(1)} points`, path));
  }
  if (card.levers.length === 0) levers.append(h('li', { class: 'muted' }, 'Nothing left to gain.'));

  const line = state.lines.get(card.accountId) ?? [];
  const points = line.filter((p) => p.score !== null).map((p) => ({ at: p.at, score: p.score }));
  const alerts = points.length > 1 ? state.model.alerts(points) : [];
  const actions = clear($('#acc-actions'));
  const seen = new Set();
  // The scorecard's actions, and those of the alerts at the latest snapshot.
  const latest = points.length ? points[points.length - 1].at : null;
  for (const a of [...card.actions, ...alerts.filter((x) => x.at === latest).flatMap((x) => x.actions)]) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    actions.append(h('li', {}, h('strong', {}, `${a.urgency}: `), a.label));
  }
  if (seen.size === 0) actions.append(h('li', { class: 'muted' }, 'No playbook applies.'));
  const hist = clear($('#acc-history'));
  if (points.length > 0) hist.append(historyChart(points, zs, alerts));
  else hist.append(h('p', { class: 'muted' }, 'No history for this account.'));
  const list = clear($('#acc-alerts'));
  for (const a of alerts) list.append(h('li', {}, h('strong', {}, `${a.at} ${a.kind}: `), a.message));

  renderChange(card);
}

function renderChange(card) {
  const box = clear($('#acc-change'));
  const snaps = state.snapshots.filter((s) => s.accountId === card.accountId).sort((a, b) => a.at.localeCompare(b.at));
  if (snaps.length < 2) {
    box.append(h('p', { class: 'muted' }, 'Only one snapshot: nothing to compare.'));
    return;
  }
  const [prev, last] = snaps.slice(-2);
  try {
    const before = state.model.score({ id: card.accountId, values: prev.values }, { at: prev.at });
    const after = state.model.score({ id: card.accountId, values: last.values }, { at: last.at });
    if (before.score === null || after.score === null) {
      box.append(h('p', { class: 'muted' }, 'No score at one of the two snapshots.'));
      return;
    }
    const e = state.model.explainChange(before, after);
    box.append(h('p', {}, `From ${prev.at} to ${last.at}: ${e.total >= 0 ? '+' : ''}${e.total.toFixed(1)} points.`));
    const ul = h('ul', {});
    for (const m of e.measures.filter((x) => Math.abs(x.effect) >= 0.05)) {
      ul.append(h('li', {}, `${m.measureId}: ${show(m.before)} → ${show(m.after)}, ${m.effect >= 0 ? '+' : ''}${m.effect.toFixed(1)}`));
    }
    for (const [k, v] of [['renormalisation (missing data)', e.renormalization], ['caps', e.caps], ['staleness', e.staleness], ['model change', e.modelChange]]) {
      if (Math.abs(v) >= 0.05) ul.append(h('li', {}, `${k}: ${v >= 0 ? '+' : ''}${v.toFixed(1)}`));
    }
    box.append(ul);
  } catch (err) {
    box.append(h('p', { class: 'muted' }, `Cannot explain the change: ${err.message}`));
  }
}

function bandLabel(id) {
  return state.model.bands.find((b) => b.id === id)?.label ?? id;
}

function show(v) {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  return String(v);
}
