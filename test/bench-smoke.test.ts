/**
 * The benchmark orchestrator's pure helpers (bench/lib.mjs) on fixed inputs: statistics,
 * ratios, target evaluation, the loss cross-check and the printed tables. Nothing is timed
 * and no peer is started here; `npm run bench` does that.
 */
import { describe, expect, it } from 'vitest';
import {
  RESULT_COLUMNS,
  TARGETS,
  checkLosses,
  evaluateTargets,
  formatMarkdown,
  formatMs,
  formatRatio,
  formatTable,
  gflops,
  median,
  ratios,
  roundOrder,
  summarize,
  tableRows,
  targetRows,
  type Result,
} from '../bench/lib.mjs';

const RESULTS: Result[] = [
  { workload: 'brief-f64', lib: 'tensorgrad', variant: 'js', label: 'tensorgrad js', median: 40, min: 38, max: 45, n: 5 },
  { workload: 'brief-f64', lib: 'tensorgrad', variant: 'wasm', label: 'tensorgrad wasm', median: 30, min: 29, max: 33, n: 5 },
  { workload: 'brief-f64', lib: 'torch', variant: 'f64', label: 'PyTorch', median: 12, min: 11, max: 14, n: 5 },
  { workload: 'brief-forward', lib: 'tensorgrad', variant: 'js-forward', median: 300, min: 300, max: 300, n: 1 },
  { workload: 'brief-forward', lib: 'numpy', variant: 'design', median: 4000, min: 4000, max: 4000, n: 1 },
  { workload: 'mlp-step', lib: 'tensorgrad', variant: 'wasm', median: 5, n: 3, min: 4, max: 6 },
  { workload: 'mlp-step', lib: 'tfjs', variant: 'wasm', median: 35, n: 3, min: 30, max: 40 },
  { workload: 'mlp-step', lib: 'torch', variant: '1t', median: 1.5, n: 3, min: 1.4, max: 1.6 },
  { workload: 'matmul', lib: 'tensorgrad', variant: 'wasm', median: 50, n: 3, min: 49, max: 55 },
  { workload: 'matmul', lib: 'tfjs', variant: 'wasm', median: 50, n: 3, min: 48, max: 52 },
  { workload: 'train-cli', lib: 'tensorgrad', variant: 'cli', median: 420, n: 3, min: 400, max: 450 },
];

describe('bench helpers', () => {
  it('median and summary', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(summarize([5, NaN, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(summarize([]).n).toBe(0);
  });

  it('formats durations, ratios and GFLOP/s', () => {
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(12.345)).toBe('12.3 ms');
    expect(formatMs(0.5)).toBe('500 µs');
    expect(formatMs(NaN)).toBe('n/a');
    expect(formatRatio(0.4567)).toBe('0.457x');
    expect(gflops(2 * 1024 ** 3, 50)).toBeCloseTo(42.95, 2);
  });

  it('takes the fastest tensorgrad variant for the ratios', () => {
    const r = ratios(RESULTS);
    const brief = r.find((x) => x.workload === 'brief-f64')!;
    expect(brief).toMatchObject({ peer: 'torch/f64', tensorgrad: 'tensorgrad/wasm' });
    expect(brief.ratio).toBeCloseTo(2.5);
    expect(r.filter((x) => x.workload === 'mlp-step').map((x) => x.peer)).toEqual(['tfjs/wasm', 'torch/1t']);
  });

  it('evaluates the targets: met, missed by how much, reported, not measured', () => {
    const t = Object.fromEntries(evaluateTargets(RESULTS).map((x) => [x.id, x]));
    expect(t['reverse-f64']).toMatchObject({ status: 'missed', tensorgrad: 'tensorgrad/wasm' });
    expect(t['reverse-f64'].missedBy).toBeCloseTo(5); // 2.5x the time against <= 0.5x
    expect(t.forward.status).toBe('met'); // 300 / 4000 = 0.075
    expect(t['mlp-step'].status).toBe('met'); // 5 / 35 = 0.14
    expect(t['mlp-step-torch']).toMatchObject({ status: 'info' });
    expect(t['mlp-step-torch'].measured).toBeCloseTo(5 / 1.5);
    expect(t.matmul.status).toBe('missed'); // 1.0x the GFLOP/s against >= 1.5x
    expect(t.matmul.missedBy).toBeCloseTo(1.5);
    expect(t['train-cli'].status).toBe('met');
    const none = evaluateTargets(RESULTS.filter((r) => r.lib !== 'torch'));
    expect(none.find((x) => x.id === 'reverse-f64')!.status).toBe('not measured');
    expect(TARGETS.map((x) => x.id)).toEqual(['reverse-f64', 'forward', 'mlp-step', 'mlp-step-torch', 'matmul', 'train-cli']);
  });

  it('cross-checks float64 losses against the references only', () => {
    const entries = [
      { lib: 'tensorgrad', name: 'tg js', dtype: 'float64', loss: 0.19101005676845614 },
      { lib: 'torch', name: 'torch', dtype: 'float64', loss: 0.1910100567684562 },
      { lib: 'jax', name: 'jax', dtype: 'float64', loss: 0.191014537 },
      { lib: 'tensorgrad', name: 'tg f32', dtype: 'float32', loss: 0.1910 },
    ];
    const refs = checkLosses(entries, 1e-9, ['torch']);
    expect(refs.ok).toBe(true);
    expect(refs.rows).toHaveLength(1);
    const all = checkLosses(entries, 1e-9);
    expect(all.ok).toBe(false);
    expect(all.rows.filter((r) => !r.ok).map((r) => r.reference)).toEqual(['jax']);
    expect(checkLosses([{ lib: 'tensorgrad', name: 'tg', dtype: 'float64', loss: NaN }, entries[1]]).ok).toBe(false);
  });

  it('prints aligned text and Markdown tables', () => {
    const rows = tableRows(RESULTS);
    expect(rows[0]).toMatchObject({ workload: 'brief-f64', impl: 'tensorgrad js', medianText: '40.0 ms', spreadText: '38.0 ms - 45.0 ms', n: 5 });
    expect(rows.find((r) => r.impl === 'tensorgrad wasm')!.ratioText).toBe('(best tensorgrad)');
    expect(rows.find((r) => r.impl === 'PyTorch')!.ratioText).toBe('2.50x');
    expect(rows.find((r) => r.workload === 'matmul')!.medianText).toBe('50.0 ms (42.9 GFLOP/s)');
    const text = formatTable(rows, RESULT_COLUMNS).split('\n');
    expect(text[0]).toMatch(/^workload\s+implementation\s+median/);
    // right-aligned: every median ends where the header's 'median' ends
    const end = text[0].indexOf('median') + 'median'.length;
    for (const line of text.slice(2)) expect(line.slice(0, end)).toMatch(/\S$/);
    expect(text[1]).toMatch(/^-+ {2}-+/);
    const md = formatMarkdown(rows, RESULT_COLUMNS).split('\n');
    expect(md[1]).toBe('| --- | --- | ---: | ---: | ---: | ---: |');
    expect(md).toHaveLength(rows.length + 2);
    const trows = targetRows(evaluateTargets(RESULTS));
    expect(trows.find((r) => r.id === 'matmul')!.statusText).toBe('MISSED (1.50x short)');
  });

  it('rotates the library order between rounds', () => {
    expect(roundOrder(['a', 'b', 'c'], 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(['a', 'b', 'c'], 1)).toEqual(['b', 'c', 'a']);
    expect(roundOrder(['a', 'b', 'c'], 5)).toEqual(['c', 'a', 'b']);
    expect(roundOrder([], 3)).toEqual([]);
  });
});
