/** The result panels: final metrics, the confusion matrix, and the Jacobian's bar list. */
import type { FinalReport, JacobianReport } from './protocol.js';

/** `h('td', { class: 'x' }, 'text', child)`: a DOM element with attributes and children. */
export function h(tag: string, attrs: Record<string, string | number | boolean> = {}, ...children: (Node | string)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children);
  return el;
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The final metrics as a two-column table. */
export function renderMetrics(host: HTMLElement, r: FinalReport, classes: number): void {
  const averaged = classes === 2 ? '' : ' (macro)';
  const rows: [string, string, string][] = [
    ['Test accuracy', pct(r.testAccuracy), 'test-accuracy'],
    ['Train accuracy', pct(r.trainAccuracy), 'train-accuracy'],
    [`Precision${averaged}`, r.precision.toFixed(3), 'precision'],
    [`Recall${averaged}`, r.recall.toFixed(3), 'recall'],
    [`F1${averaged}`, r.f1.toFixed(3), 'f1'],
  ];
  if (r.auc !== undefined) rows.push(['ROC AUC', r.auc.toFixed(3), 'auc']);
  rows.push(['Test log loss', r.testLoss.toFixed(4), 'test-loss'], ['Parameters', r.parameters.toLocaleString('en'), 'parameters'], ['Training time', seconds(r.ms), 'time']);
  host.replaceChildren(
    h('table', { class: 'metrics' }, h('tbody', {}, ...rows.map(([k, v, key]) => h('tr', { 'data-metric': key }, h('th', { scope: 'row' }, k), h('td', {}, v))))),
  );
}

/** Rows are true classes, columns predicted ones; a cell's shade is its share of the row. */
export function renderConfusion(host: HTMLElement, m: number[][], names: string[]): void {
  const short = (s: string) => (s.length > 12 ? `${s.slice(0, 11)}…` : s);
  const head = h('tr', {}, h('th', { class: 'corner' }, 'true ↓ / predicted →'), ...names.map((n) => h('th', { scope: 'col', title: n }, short(n))));
  const body = m.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return h(
      'tr',
      {},
      h('th', { scope: 'row', title: names[i] }, short(names[i])),
      ...row.map((v, j) => {
        const share = v / total;
        const cell = h('td', { class: i === j ? 'diag' : 'off', title: `${v} of ${total} "${names[i]}" predicted as "${names[j]}"` }, String(v));
        const [r, g, b] = i === j ? [79, 70, 229] : [234, 88, 12];
        cell.style.background = v ? `rgba(${r}, ${g}, ${b}, ${0.08 + 0.82 * share})` : '';
        if (share > 0.55) cell.style.color = '#fff';
        return cell;
      }),
    );
  });
  host.replaceChildren(h('table', { class: names.length > 5 ? 'confusion compact' : 'confusion' }, h('thead', {}, head), h('tbody', {}, ...body)));
}

/** +0.653, −0.0421, +3.1e-5: three significant digits and a sign. */
function signed(v: number): string {
  const a = Math.abs(v);
  const digits = a === 0 ? '0' : a >= 1e-3 && a < 1e4 ? String(Number(a.toPrecision(3))) : a.toExponential(1);
  return `${v < 0 ? '−' : '+'}${digits}`;
}

/** The most sensitive features first: a signed bar per feature, scaled to the largest. */
export function renderJacobian(host: HTMLElement, r: JacobianReport, featureNames: string[], showAll: boolean): void {
  const order = r.values.map((v, k) => [Math.abs(v), k] as const).sort((a, b) => b[0] - a[0]);
  const shown = showAll ? order : order.slice(0, 12);
  const largest = order[0]?.[0] || 1;
  const fmtFeature = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : String(+v.toFixed(3)));
  const rows = shown.map(([, k]) => {
    const v = r.values[k];
    const width = `${((50 * Math.abs(v)) / largest).toFixed(2)}%`;
    const bar = h('span', { class: `bar ${v >= 0 ? 'pos' : 'neg'}` });
    bar.style.width = width;
    return h(
      'li',
      { 'data-feature': featureNames[k] ?? `feature ${k}`, 'data-value': v },
      h('span', { class: 'name', title: featureNames[k] ?? '' }, featureNames[k] ?? `feature ${k}`, h('small', {}, ` = ${fmtFeature(r.features[k])}`)),
      h('span', { class: 'track' }, h('span', { class: 'axis' }), bar),
      h('span', { class: 'value' }, signed(v)),
    );
  });
  host.replaceChildren(h('ol', { class: 'bars' }, ...rows));
}

/** An 8×8 grey image (pixel values 0..16) or a signed map (red negative, blue positive). */
export function renderGrid8(canvas: HTMLCanvasElement, values: number[], signed: boolean): void {
  canvas.width = 8;
  canvas.height = 8;
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(8, 8);
  const largest = signed ? Math.max(...values.map(Math.abs)) || 1 : 16;
  values.forEach((v, i) => {
    let rgb: [number, number, number];
    if (signed) {
      const t = Math.min(1, Math.abs(v) / largest);
      // white to the bars' colours: indigo (79, 70, 229) for +, red (220, 38, 38) for −
      rgb = v >= 0 ? [255 - t * 176, 255 - t * 185, 255 - t * 26] : [255 - t * 35, 255 - t * 217, 255 - t * 217];
    } else {
      const t = Math.round(255 * (1 - Math.min(1, v / largest)));
      rgb = [t, t, t];
    }
    image.data.set([...rgb.map(Math.round), 255], 4 * i);
  });
  ctx.putImageData(image, 0, 0);
}
