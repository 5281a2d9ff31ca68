import { ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './reshape.js';
import { sliceOp } from './slice.js';
import { asTensor, type TensorLike } from './util.js';

/** A range of one axis, as Python's `start:stop:step` (each part optional). */
export interface Range {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/**
 * One entry of an index: an integer (negative counts from the end; the axis is dropped),
 * a range (an object or a string such as `'1:5:2'`, `'::-1'`, `':'`), `'...'` for all
 * remaining axes, or `null` for a new axis of size 1.
 */
export type IndexSpec = number | string | Range | null;

function parseRange(text: string): Range {
  const parts = text.split(':').map((p) => p.trim());
  if (parts.length > 3) throw new ValueError('index', `bad range ${JSON.stringify(text)}: at most start:stop:step`);
  const num = (p: string | undefined): number | null => {
    if (p === undefined || p === '') return null;
    const v = Number(p);
    if (!Number.isInteger(v)) throw new ValueError('index', `bad range ${JSON.stringify(text)}: ${JSON.stringify(p)} is not an integer`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/** Splits `'0, 1:3, ...'` into entries; any other spec passes through. */
function expandSpecs(specs: readonly IndexSpec[]): IndexSpec[] {
  const out: IndexSpec[] = [];
  for (const s of specs) {
    if (typeof s === 'string' && s.includes(',')) out.push(...s.split(',').map((p) => parseEntry(p.trim())));
    else out.push(typeof s === 'string' ? parseEntry(s.trim()) : s);
  }
  return out;
}

function parseEntry(p: string): IndexSpec {
  if (p === '...' || p.includes(':')) return p === '...' ? p : parseRange(p);
  if (p === 'None' || p === 'null') return null;
  const v = Number(p);
  if (p === '' || !Number.isInteger(v)) throw new ValueError('index', `bad index entry ${JSON.stringify(p)}`);
  return v;
}

/** Python's slice.indices: begin, step and count of a range over an axis of length n. */
function rangeWindow(r: Range, n: number, axis: number): [number, number, number] {
  const step = r.step ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new ValueError('index', `step on axis ${axis} must be a non-zero integer, got ${step}`);
  const clampIdx = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let start: number;
  let stop: number;
  if (step > 0) {
    start = r.start == null ? 0 : clampIdx(r.start < 0 ? r.start + n : r.start, 0, n);
    stop = r.stop == null ? n : clampIdx(r.stop < 0 ? r.stop + n : r.stop, 0, n);
  } else {
    start = r.start == null ? n - 1 : clampIdx(r.start < 0 ? r.start + n : r.start, -1, n - 1);
    stop = r.stop == null ? -1 : clampIdx(r.stop < 0 ? r.stop + n : r.stop, -1, n - 1);
  }
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return [count === 0 ? 0 : start, step, count];
}

/**
 * NumPy-style basic indexing, the brief's `__getitem__`: `index(x, 0, '1:3')`,
 * `index(x, '..., ::-1')`, `index(x, { start: 1, step: 2 })`, `index(x, null, 0)`.
 * Integers drop their axis; ranges keep it; omitted trailing axes are taken whole.
 * A composite of the strided slice primitive and reshape, so it is differentiable:
 * the cotangent is scattered back into zeros of x's shape.
 */
export function index(x: TensorLike, ...specs: IndexSpec[]): Tensor {
  const t = asTensor('index', x);
  let entries = expandSpecs(specs);
  const ellipses = entries.filter((e) => e === '...').length;
  if (ellipses > 1) throw new ValueError('index', 'an index can have only one ellipsis (...)');
  const consuming = entries.filter((e) => e !== null && e !== '...').length;
  if (consuming > t.ndim) {
    throw new ValueError('index', `too many indices (${consuming}) for a tensor of shape ${fmtShape(t.shape)}`);
  }
  if (ellipses === 1) {
    const at = entries.indexOf('...');
    entries = [...entries.slice(0, at), ...new Array<IndexSpec>(t.ndim - consuming).fill(':'), ...entries.slice(at + 1)];
  }
  const begin: number[] = [];
  const step: number[] = [];
  const window: number[] = [];
  const outShape: number[] = [];
  let axis = 0;
  for (const e of entries) {
    if (e === null) {
      outShape.push(1);
      continue;
    }
    const n = t.shape[axis];
    if (typeof e === 'number') {
      if (!Number.isInteger(e)) throw new ValueError('index', `index ${e} on axis ${axis} is not an integer`);
      const i = e < 0 ? e + n : e;
      if (i < 0 || i >= n) {
        throw new ValueError('index', `index ${e} is out of range for axis ${axis} with size ${n} (shape ${fmtShape(t.shape)})`);
      }
      begin.push(i);
      step.push(1);
      window.push(1);
    } else {
      const r = typeof e === 'string' ? (e === ':' ? {} : parseRange(e)) : e;
      if (typeof r !== 'object') throw new ValueError('index', `bad index entry ${String(e)}`);
      const [b, s, c] = rangeWindow(r, n, axis);
      begin.push(b);
      step.push(s);
      window.push(c);
      outShape.push(c);
    }
    axis++;
  }
  for (; axis < t.ndim; axis++) {
    begin.push(0);
    step.push(1);
    window.push(t.shape[axis]);
    outShape.push(t.shape[axis]);
  }
  const whole = window.every((d, i) => d === t.shape[i] && step[i] === 1);
  const sliced = whole ? t : sliceOp([t], { begin, step, shape: window });
  return reshape(sliced, outShape);
}
