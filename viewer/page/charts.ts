/** Training charts from metrics.jsonl records: one small SVG line chart per metric, against the env step. */
import type { MetricsResponse } from '../types.ts';

type Record_ = MetricsResponse['records'][number];

const PRIORITY = ['charts/episodic_return', 'eval/mean_return', 'losses/td_loss', 'losses/loss', 'losses/value_loss', 'losses/policy_loss', 'charts/epsilon', 'losses/entropy', 'charts/entropy', 'charts/sps'];
const SKIP = new Set(['step', 'time']);
const SVG = 'http://www.w3.org/2000/svg';

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  return v.toPrecision(3);
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Metric keys in display order: the usual ones first, then the rest alphabetically. */
export function metricKeys(records: Record_[]): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (!SKIP.has(k)) keys.add(k);
  const first = PRIORITY.filter((k) => keys.has(k));
  const rest = [...keys].filter((k) => !PRIORITY.includes(k)).sort();
  return [...first, ...rest];
}

function chart(key: string, pts: Array<[number, number]>): HTMLElement {
  const W = 300;
  const H = 130;
  const L = 44;
  const B = 18;
  const box = document.createElement('div');
  box.className = 'chart';
  box.dataset.metric = key;
  const title = document.createElement('div');
  title.className = 'title';
  const last = pts[pts.length - 1];
  title.textContent = `${key}  (last ${fmt(last[1])} at step ${last[0]})`;
  box.appendChild(title);
  const svg = el('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}` });
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y1 += 1;
    y0 -= 1;
  }
  const sx = (x: number): number => L + ((x - x0) / (x1 - x0)) * (W - L - 6);
  const sy = (y: number): number => 6 + (1 - (y - y0) / (y1 - y0)) * (H - B - 6);
  svg.appendChild(el('rect', { x: L, y: 6, width: W - L - 6, height: H - B - 6, fill: '#16181d', stroke: '#2c313a' }));
  const text = (x: number, y: number, s: string, anchor: string): void => {
    const t = el('text', { x, y, fill: '#8a93a3', 'font-size': 10, 'text-anchor': anchor });
    t.textContent = s;
    svg.appendChild(t);
  };
  text(L - 4, 14, fmt(y1), 'end');
  text(L - 4, H - B, fmt(y0), 'end');
  text(L, H - 4, fmt(x0), 'start');
  text(W - 6, H - 4, fmt(x1), 'end');
  if (y0 < 0 && y1 > 0) svg.appendChild(el('line', { x1: L, x2: W - 6, y1: sy(0), y2: sy(0), stroke: '#3a404b', 'stroke-dasharray': '3 3' }));
  // Down-sample to at most ~600 points (min and max of each bucket, so spikes stay visible).
  let shown = pts;
  if (pts.length > 600) {
    const per = Math.ceil(pts.length / 300);
    shown = [];
    for (let i = 0; i < pts.length; i += per) {
      const chunk = pts.slice(i, i + per);
      let lo = chunk[0];
      let hi = chunk[0];
      for (const p of chunk) {
        if (p[1] < lo[1]) lo = p;
        if (p[1] > hi[1]) hi = p;
      }
      shown.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]));
    }
  }
  const d = shown.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
  const color = key.startsWith('eval/') ? '#f5b942' : key.startsWith('losses/') ? '#ff7a7a' : '#4aa3ff';
  svg.appendChild(el('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.5 }));
  if (shown.length <= 40) for (const [x, y] of shown) svg.appendChild(el('circle', { cx: sx(x), cy: sy(y), r: 2, fill: color }));
  box.appendChild(svg);
  return box;
}

/** Replaces the container's charts with ones for `records`. */
export function renderCharts(container: HTMLElement, records: Record_[], error?: string): void {
  container.replaceChildren();
  if (error) {
    const e = document.createElement('div');
    e.className = 'chart';
    e.style.color = '#ffb3b3';
    e.textContent = `metrics: ${error}`;
    container.appendChild(e);
  }
  for (const key of metricKeys(records)) {
    const pts: Array<[number, number]> = [];
    for (const r of records) {
      const v = r[key];
      if (typeof v === 'number' && Number.isFinite(v)) pts.push([r.step, v]);
    }
    if (pts.length > 0) container.appendChild(chart(key, pts));
  }
}
