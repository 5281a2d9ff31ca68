/** Live line charts of training and test curves per epoch (uPlot). */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const TRAIN_COLOR = '#4f46e5';
export const TEST_COLOR = '#ea580c';

export interface CurveChart {
  /** Appends one epoch's train and test values and redraws. */
  push(epoch: number, train: number, test: number): void;
  reset(): void;
}

/**
 * A chart of two curves over epochs that fills `host`'s width and follows its resizes.
 * `range` fixes the y axis (e.g. [0, 1] for accuracy); otherwise it fits the data.
 */
export function curveChart(host: HTMLElement, yLabel: string, opts: { range?: (min: number, max: number) => [number, number]; digits?: number } = {}): CurveChart {
  const data: [number[], number[], number[]] = [[], [], []];
  const fmt = (_u: uPlot, v: number | null) => (v == null || !Number.isFinite(v) ? '–' : v.toFixed(opts.digits ?? 4));
  const size = () => ({ width: Math.max(200, host.clientWidth), height: 220 });
  const plot = new uPlot(
    {
      ...size(),
      scales: {
        x: { time: false },
        y: opts.range ? { range: (_u, min, max) => opts.range!(min, max) } : {},
      },
      axes: [
        { label: 'epoch', stroke: '#475569', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' } },
        { label: yLabel, stroke: '#475569', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' }, size: 56 },
      ],
      series: [
        { label: 'epoch', value: (_u, v) => (v == null ? '–' : String(v)) },
        { label: 'train', stroke: TRAIN_COLOR, width: 2, value: fmt, points: { show: false } },
        { label: 'test', stroke: TEST_COLOR, width: 2, dash: [6, 4], value: fmt, points: { show: false } },
      ],
      cursor: { drag: { x: false, y: false } },
    },
    data,
    host,
  );
  new ResizeObserver(() => plot.setSize(size())).observe(host);
  return {
    push(epoch, train, test) {
      data[0].push(epoch);
      data[1].push(train);
      data[2].push(test);
      plot.setData(data);
      // show the latest values in the legend until the pointer picks another epoch
      plot.setLegend({ idx: data[0].length - 1 });
    },
    reset() {
      for (const column of data) column.length = 0;
      plot.setData(data);
    },
  };
}
