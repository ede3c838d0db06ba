// The portfolio view: band distribution, KPIs and the accounts table.
import { $, h, clear, paint, chip, fmt1, money, pct, download } from './dom.js';
import { sparkline } from './charts.js';
import { toCsv } from './csv.js';
import { state, show } from './app.js';

const PAGE = 50;
let page = 0;

export function setupPortfolio() {
  for (const id of ['#filter-band', '#filter-segment', '#order']) {
    $(id).addEventListener('change', () => {
      page = 0;
      renderTable();
    });
  }
  $('#prev').addEventListener('click', () => { page = Math.max(0, page - 1); renderTable(); });
  $('#next').addEventListener('click', () => { page += 1; renderTable(); });
  $('#export-csv').addEventListener('click', exportCsv);
}

export function renderPortfolio() {
  const { summary } = state;
  const bands = [...state.model.bands, { id: 'insufficient_data', label: 'Insufficient data', color: '#8c8c8c' }];
  $('#kpi-count').textContent = String(summary.count);
  $('#kpi-mean').textContent = fmt1(summary.mean);
  $('#kpi-value').textContent = money(Object.values(summary.bands).reduce((a, b) => a + b.value, 0));
  const bar = clear($('#band-bar'));
  const legend = clear($('#band-legend'));
  for (const b of bands) {
    const s = summary.bands[b.id] ?? { count: 0, share: 0, value: 0 };
    if (s.count > 0) {
      const seg = paint(h('div', { title: `${b.label}: ${s.count}` }, s.share > 0.06 ? `${b.label} ${s.count}` : String(s.count)), b.color);
      seg.style.flexGrow = String(s.count);
      bar.append(seg);
    }
    legend.append(h('tr', { 'data-band': b.id },
      h('td', {}, paint(h('span', { class: 'swatch' }), b.color), b.label),
      h('td', { class: 'count', 'data-count': s.count }, `${s.count} accounts`),
      h('td', {}, pct(s.share)),
      h('td', {}, `value ${money(s.value)}`)));
  }
  const bandSel = $('#filter-band');
  const keepBand = bandSel.value;
  clear(bandSel).append(h('option', { value: '' }, 'all'), ...bands.map((b) => h('option', { value: b.id }, b.label)));
  bandSel.value = keepBand;
  const segSel = $('#filter-segment');
  const keepSeg = segSel.value;
  const segments = [...new Set(state.accounts.map((a) => a.segment).filter(Boolean))].sort();
  clear(segSel).append(h('option', { value: '' }, 'all'), ...segments.map((s) => h('option', { value: s }, s)));
  segSel.value = segments.includes(keepSeg) ? keepSeg : '';
  renderTable();
}

function rows() {
  const band = $('#filter-band').value;
  const segment = $('#filter-segment').value;
  const order = $('#order').value;
  let cards = state.cards.filter(Boolean).filter((c) => (!band || c.band.id === band) && (!segment || c.segment === segment));
  if (order === 'retention' || order === 'growth') {
    const withTrend = cards.map((c) => ({ ...c, trend: trendOf(c.accountId) }));
    return state.model.prioritise(withTrend, { objective: order });
  }
  const by = {
    score: (a, b) => (a.score ?? -1) - (b.score ?? -1),
    value: (a, b) => (b.value ?? 0) - (a.value ?? 0),
    name: (a, b) => (a.name ?? a.accountId).localeCompare(b.name ?? b.accountId),
  }[order];
  return [...cards].sort(by);
}

const trends = new Map();
export function trendOf(accountId) {
  const line = state.lines.get(accountId);
  if (!line || line.length < 2) return null;
  const key = `${state.model.hash}:${accountId}`;
  if (!trends.has(key)) trends.set(key, state.model.trend(line.filter((p) => p.score !== null).map((p) => ({ at: p.at, score: p.score }))));
  return trends.get(key);
}

function renderTable() {
  const list = rows();
  const pages = Math.max(1, Math.ceil(list.length / PAGE));
  page = Math.min(page, pages - 1);
  const tbody = clear($('#accounts tbody'));
  const bandById = new Map([...state.model.bands, { id: 'insufficient_data', label: 'Insufficient data', color: '#8c8c8c' }].map((b) => [b.id, b]));
  for (const c of list.slice(page * PAGE, (page + 1) * PAGE)) {
    const t = trendOf(c.accountId);
    const arrow = !t || !t.direction ? '' : { up: '▲ rising', down: '▼ falling', flat: '▶ flat' }[t.direction];
    const lever = c.levers[0];
    const tr = h('tr', { tabindex: 0, 'data-account': c.accountId },
      h('td', {}, c.name ?? c.accountId),
      h('td', { class: 'num score' }, fmt1(c.score)),
      h('td', {}, paint(chip(bandById.get(c.band.id) ?? c.band), c.band.color)),
      h('td', {}, sparkline(state.lines.get(c.accountId) ?? []), ' ', h('span', { class: 'muted' }, arrow)),
      h('td', { class: 'num' }, money(c.value)),
      h('td', {}, lever ? `${lever.measureId} (+${lever.pointsMissed.toFixed(1)})` : ''),
      h('td', {}, c.actions[0]?.label ?? ''));
    const open = () => { state.selected = c.accountId; show('account'); };
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
    tbody.append(tr);
  }
  $('#page-info').textContent = `${list.length} accounts · page ${page + 1} of ${pages}`;
  $('#prev').disabled = page === 0;
  $('#next').disabled = page >= pages - 1;
}

function exportCsv() {
  const rowsOut = state.cards.filter(Boolean).map((c) => [c.accountId, c.name ?? '', c.segment ?? '', c.value ?? '', c.score === null ? '' : c.score.toFixed(2), c.band.id, c.levers[0]?.measureId ?? '']);
  download('scores.csv', toCsv(['id', 'name', 'segment', 'value', 'score', 'band', 'topLever'], rowsOut), 'text/csv');
}
