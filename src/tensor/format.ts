import type { Tensor } from './tensor.js';

const EDGE = 3;
const SUMMARIZE_ABOVE = 1000;

/**
 * Renders a tensor as `tensor([[1, 2], [3, 4]], shape=[2, 2], dtype=float64)`, with
 * aligned columns, and with `...` in the middle of long axes for tensors of more than a
 * thousand elements.
 */
export function formatTensor(t: Tensor): string {
  const data = t.backend.read(t.storage);
  const shape = t.shape;
  const summarize = t.size > SUMMARIZE_ABOVE;
  const isInt = t.dtype === 'int32';
  const shown: number[] = [];
  const collect = (dim: number, offset: number, stride: number[]): void => {
    if (dim === shape.length) {
      shown.push(data[offset]);
      return;
    }
    for (const i of indices(shape[dim], summarize)) if (i >= 0) collect(dim + 1, offset + i * stride[dim], stride);
  };
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  collect(0, 0, strides);
  const allInt = isInt || shown.every((v) => !Number.isFinite(v) || Number.isInteger(v));
  const useExp = !allInt && shown.some((v) => Number.isFinite(v) && v !== 0 && (Math.abs(v) >= 1e8 || Math.abs(v) < 1e-4));
  const fmt = (v: number): string => {
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (isInt) return String(v);
    if (allInt) return `${v}.`;
    return useExp ? v.toExponential(4) : v.toFixed(4);
  };
  const width = Math.max(1, ...shown.map((v) => fmt(v).length));
  const render = (dim: number, offset: number, indent: string): string => {
    if (dim === shape.length) return fmt(data[offset]).padStart(width);
    const parts = indices(shape[dim], summarize).map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * strides[dim], indent + ' ')));
    if (dim === shape.length - 1) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(shape.length - dim - 1) + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, '       ');
  const extras = [`shape=[${shape.join(', ')}]`, `dtype=${t.dtype}`];
  if (t.requiresGrad) extras.push(t.isLeaf ? 'requiresGrad=true' : `requiresGrad=true, gradFn=${t.creator}`);
  return `tensor(${body}, ${extras.join(', ')})`;
}

function indices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}
