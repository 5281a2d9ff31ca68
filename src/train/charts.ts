import asciichart from 'asciichart';
import type { History } from './fit.js';

/**
 * A small line chart of the per-epoch training loss for a terminal (asciichart), with
 * the validation loss as a second line when there is one.
 */
export function terminalLossChart(history: History, height = 8): string {
  if (history.loss.length === 0) return '';
  const series = history.valLoss.length === history.loss.length ? [history.loss, history.valLoss] : [history.loss];
  const chart = asciichart.plot(series, { height, format: (v: number) => v.toFixed(4).padStart(9) });
  const legend = series.length > 1 ? 'loss (first line) and validation loss by epoch' : 'loss by epoch';
  return `${chart}\n${' '.repeat(11)}${legend} (1..${history.loss.length})`;
}

/**
 * The loss curve as a standalone SVG document, drawn with Vega-Lite (loaded on demand, so
 * that programs that never plot do not pay for it).
 */
export async function lossCurveSVG(history: History, title = 'Training loss'): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const rows = history.loss.map((loss, i) => ({ epoch: i + 1, loss, series: 'train' }));
  history.valLoss.forEach((loss, i) => rows.push({ epoch: i + 1, loss, series: 'validation' }));
  const spec = vegaLite.compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 480,
    height: 280,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  }).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
