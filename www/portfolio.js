// The portfolio view: band distribution, KPIs and the accounts table. The
// engine filters, orders and pages; this module only draws one page.
import { $, h, clear, paint, chip, fmt1, money, pct, download } from './dom.js';
import { sparkline } from './charts.js';
import { ask } from './client.js';
import { on, pref, setPref, banner } from './state.js';
import { accountHref } from './router.js';

const PAGE = 50;
let page = 0;
let drawn = 0; // the latest request wins

export function setupPortfolio() {
  $('#order').value = pref('order', 'score');
  for (const id of ['#filter-band', '#filter-segment', '#order']) {
    $(id).addEventListener('change', () => {
      page = 0;
      setPref('order', $('#order').value);
      renderTable();
    });
  }
  $('#prev').addEventListener('click', () => { page = Math.max(0, page - 1); renderTable(); });
  $('#next').addEventListener('click', () => { page += 1; renderTable(); });
  $('#export-csv').addEventListener('click', exportCsv);
  on('overview', (o) => {
    page = 0;
    renderPortfolio(o);
  });
  on('show', ({ view, wait }) => view === 'portfolio' && wait(renderTable()));
}

function renderPortfolio(o) {
  const { summary } = o;
  $('#kpi-count').textContent = String(summary.count);
  $('#kpi-mean').textContent = fmt1(summary.mean);
  $('#kpi-value').textContent = money(summary.totalValue);
  $('#kpi-value').title = summary.totalValue === null ? 'no account has a value (no value column was imported)' : '';
  const notes = [];
  if (o.refused > 0) notes.push(`${o.refused} of ${o.accounts} accounts were refused by this model (first: ${o.refusedExamples[0].path} ${o.refusedExamples[0].code}: ${o.refusedExamples[0].message}); they are kept, unscored and not in the table, and come back under a model that can score them.`);
  if (o.summary.count > 0 && o.insufficient > o.summary.count / 2) notes.push(`${o.insufficient} of ${o.summary.count} accounts have insufficient data under this model: the portfolio's columns are mostly not its measures. Import the accounts with this model's measures (Import), or go back to the previous model (Model, Undo last save).`);
  if (o.refusedSnapshots > 0) notes.push(`${o.refusedSnapshots} stored history snapshots could not be scored by this model and are left out of trends and alerts.`);
  if (o.lowCoverage > 0) notes.push(`${o.lowCoverage} scored account${o.lowCoverage === 1 ? ' has' : 's have'} less than ${Math.round(100 * o.lowCoverageBelow)} % of the model's data (marked "low data"): read ${o.lowCoverage === 1 ? 'its score' : 'their scores'} with care.`);
  if (o.disagree > 0) notes.push(`On ${o.disagree} account${o.disagree === 1 ? '' : 's'} the CSM's judgement and the score disagree (see each account's notes).`);
  $('#portfolio-notes').textContent = notes.join(' ');
  const bar = clear($('#band-bar'));
  const legend = clear($('#band-legend'));
  for (const b of o.bands) {
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
      h('td', {}, o.summary.totalValue === null ? '' : `value ${money(s.value)}`)));
  }
  $('#groups').hidden = o.groups.length === 0;
  const groups = clear($('#groups-table tbody'));
  for (const g of o.groups) {
    groups.append(h('tr', { 'data-group': g.id },
      h('td', { 'data-label': 'Group' }, g.id),
      h('td', { class: 'num', 'data-label': 'Score' }, fmt1(g.score)),
      h('td', { 'data-label': 'Band' }, paint(h('span', { class: 'swatch' }), g.band.color), g.band.label),
      h('td', { class: 'num', 'data-label': 'Accounts' }, String(g.children)),
      h('td', { 'data-label': 'Costs most' }, g.costliest ? h('a', { href: `#/account/${encodeURIComponent(g.costliest.id)}` }, g.costliest.id) : '—', g.costliest ? ` (${fmt1(g.costliest.points)} points)` : ''),
      h('td', { 'data-label': 'Best lever' }, g.lever ? `${g.lever.id}: ${g.lever.measure} +${fmt1(g.lever.points)}` : '—')));
  }
  const bandSel = $('#filter-band');
  const keepBand = bandSel.value;
  clear(bandSel).append(h('option', { value: '' }, 'all'), ...o.bands.map((b) => h('option', { value: b.id }, b.label)));
  bandSel.value = o.bands.some((b) => b.id === keepBand) ? keepBand : '';
  const segSel = $('#filter-segment');
  const keepSeg = segSel.value;
  clear(segSel).append(h('option', { value: '' }, 'all'), ...o.segments.map((s) => h('option', { value: s }, s)));
  segSel.value = o.segments.includes(keepSeg) ? keepSeg : '';
  if (!$('#view-portfolio').hidden) renderTable();
}

const query = () => ({ band: $('#filter-band').value, segment: $('#filter-segment').value, order: $('#order').value });

/** Draws the table; a failure is said in the banner. */
function renderTable() {
  return drawTable().catch((e) => banner(`The table could not be drawn (${e.code ?? 'error'}): ${e.message}`));
}

async function drawTable() {
  const mine = ++drawn;
  const q = query();
  const { total, offset, rows } = await ask('rows', { ...q, offset: page * PAGE, limit: PAGE });
  if (mine !== drawn) return;
  const pages = Math.max(1, Math.ceil(total / PAGE));
  page = offset / PAGE; // the engine's page: the last one when the list got shorter
  const tbody = clear($('#accounts tbody'));
  for (const r of rows) {
    const arrow = r.trend ? { up: '▲ rising', down: '▼ falling', flat: '▶ flat' }[r.trend] : '';
    const name = r.name ?? r.accountId;
    tbody.append(h('tr', { 'data-account': r.accountId },
      h('td', { 'data-label': 'Account', class: 'name' }, h('a', { href: accountHref(r.accountId), title: name }, name)),
      h('td', { 'data-label': 'Score', class: 'num score' }, fmt1(r.score), r.lowCoverage ? h('span', { class: 'muted', title: `coverage ${(100 * r.coverage).toFixed(0)} %` }, ' (low data)') : ''),
      h('td', { 'data-label': 'Band' }, paint(chip(r.band), r.band.color)),
      h('td', { 'data-label': 'Trend' }, sparkline(r.line.map((score) => ({ score }))), ' ', h('span', { class: 'muted' }, arrow)),
      h('td', { 'data-label': 'Value', class: 'num' }, money(r.value)),
      h('td', { 'data-label': 'Top lever' }, r.lever ? `${r.lever.label} (+${r.lever.points.toFixed(1)})` : ''),
      h('td', { 'data-label': 'Action' }, r.action ?? '')));
  }
  $('#page-info').textContent = `${total} accounts · page ${page + 1} of ${pages}`;
  // A pager button that gets disabled while focused hands focus to the other one.
  const focused = document.activeElement;
  $('#prev').disabled = page === 0;
  $('#next').disabled = page >= pages - 1;
  if (focused?.disabled) (focused.id === 'next' ? $('#prev') : $('#next')).focus();
  // What is on screen, for tests and benchmarks: order|band|segment|page.
  $('#accounts').dataset.drawn = `${q.order}|${q.band}|${q.segment}|${page}`;
}

async function exportCsv() {
  const button = $('#export-csv');
  button.disabled = true;
  try {
    const text = await ask('exportCsv', query());
    download('scores.csv', text, 'text/csv');
  } catch (e) {
    banner(`The export failed (${e.code}): ${e.message}`);
  } finally {
    button.disabled = false;
  }
}
