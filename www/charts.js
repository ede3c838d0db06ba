// Plain SVG charts: sparkline, score gauge on the bands, history with band
// zones and alert markers, ROC curve.
import { s } from './dom.js';

/** Band zones [{ id, label, color, lo, hi }] from the model's bands and edges. */
export function zones(bands, edges) {
  return bands.map((b, i) => ({ ...b, lo: edges[i], hi: i + 1 < bands.length ? edges[i + 1] : 100 }));
}

export function sparkline(points, width = 90, height = 22) {
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'score trend' });
  const pts = points.filter((p) => p.score !== null && p.score !== undefined);
  if (pts.length < 2) return svg;
  const x = (i) => 2 + (i * (width - 4)) / (pts.length - 1);
  const y = (v) => height - 2 - (v / 100) * (height - 4);
  svg.append(s('polyline', { points: pts.map((p, i) => `${x(i)},${y(p.score)}`).join(' '), fill: 'none', stroke: '#0072b2', 'stroke-width': 1.5 }));
  const last = pts[pts.length - 1];
  svg.append(s('circle', { cx: x(pts.length - 1), cy: y(last.score), r: 2, fill: '#0072b2' }));
  return svg;
}

export function gauge(score, zs, width = 520) {
  const h = 44;
  const svg = s('svg', { width: '100%', height: h, viewBox: `0 0 ${width} ${h}`, role: 'img', 'aria-label': `score ${score === null ? 'none' : score.toFixed(1)} of 100` });
  const x = (v) => 10 + (v / 100) * (width - 20);
  for (const z of zs) {
    svg.append(s('rect', { x: x(z.lo), y: 8, width: Math.max(0, x(z.hi) - x(z.lo)), height: 16, fill: z.color, opacity: 0.85 }));
    svg.append(s('text', { x: x(z.lo) + 3, y: 38 }, z.label));
  }
  if (score !== null && score !== undefined) {
    svg.append(s('polygon', { points: `${x(score) - 6},2 ${x(score) + 6},2 ${x(score)},12`, fill: '#000' }));
    svg.append(s('line', { x1: x(score), x2: x(score), y1: 8, y2: 24, stroke: '#000', 'stroke-width': 2 }));
  }
  return svg;
}

export function historyChart(points, zs, alerts, width = 720, height = 200) {
  const pad = { l: 34, r: 10, t: 10, b: 26 };
  const svg = s('svg', { width: '100%', height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'score history' });
  const pts = points.filter((p) => p.score !== null && p.score !== undefined);
  const times = pts.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t) => pad.l + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (width - pad.l - pad.r);
  const y = (v) => pad.t + (1 - v / 100) * (height - pad.t - pad.b);
  for (const z of zs) {
    svg.append(s('rect', { x: pad.l, y: y(z.hi), width: width - pad.l - pad.r, height: y(z.lo) - y(z.hi), fill: z.color, opacity: 0.18 }));
    svg.append(s('text', { x: width - pad.r - 4, y: y(z.hi) + 12, 'text-anchor': 'end' }, z.label));
  }
  for (const v of [0, 50, 100]) svg.append(s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  if (pts.length > 0) {
    svg.append(s('polyline', { points: pts.map((p, i) => `${x(times[i])},${y(p.score)}`).join(' '), fill: 'none', stroke: '#1d2330', 'stroke-width': 2 }));
    pts.forEach((p, i) => svg.append(s('circle', { cx: x(times[i]), cy: y(p.score), r: 3, fill: '#1d2330' }, s('title', {}, `${p.at}: ${p.score.toFixed(1)}`))));
    svg.append(s('text', { x: pad.l, y: height - 6 }, pts[0].at));
    svg.append(s('text', { x: width - pad.r, y: height - 6, 'text-anchor': 'end' }, pts[pts.length - 1].at));
  }
  for (const a of alerts) {
    const t = Date.parse(a.at);
    svg.append(s('path', { d: `M${x(t)},${y(a.score) - 14} l-6,-9 h12 z`, fill: '#d55e00', class: 'alert-marker' }, s('title', {}, `${a.kind}: ${a.message}`)));
  }
  return svg;
}

/** ROC curve of `points`, and optionally a second model's `other` (dashed) to compare. */
export function rocChart(points, size = 260, other = null) {
  const pad = 28;
  const svg = s('svg', { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: 'img', 'aria-label': 'ROC curve' });
  const x = (v) => pad + v * (size - pad - 8);
  const y = (v) => size - pad - v * (size - pad - 8);
  svg.append(s('rect', { x: x(0), y: y(1), width: x(1) - x(0), height: y(0) - y(1), fill: '#fff', stroke: '#ccc' }));
  svg.append(s('line', { x1: x(0), y1: y(0), x2: x(1), y2: y(1), stroke: '#bbb', 'stroke-dasharray': '4 3' }));
  if (other) svg.append(s('polyline', { points: other.map(([f, t]) => `${x(f)},${y(t)}`).join(' '), fill: 'none', stroke: '#d55e00', 'stroke-width': 2, 'stroke-dasharray': '5 3', class: 'other' }));
  svg.append(s('polyline', { points: points.map(([f, t]) => `${x(f)},${y(t)}`).join(' '), fill: 'none', stroke: '#0072b2', 'stroke-width': 2 }));
  svg.append(s('text', { x: size / 2, y: size - 6, 'text-anchor': 'middle' }, 'false positive rate'));
  svg.append(s('text', { x: 10, y: size / 2, transform: `rotate(-90 10 ${size / 2})`, 'text-anchor': 'middle' }, 'true positive rate'));
  return svg;
}
