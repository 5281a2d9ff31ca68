import { ShapeError, ValueError, fmtShape } from './errors.js';

export type Shape = readonly number[];

/** Number of elements of a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that every dimension is a non-negative integer; returns a fresh copy. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new ValueError(op, `shape must be an array of non-negative integers, got ${String(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ValueError(op, `shape must hold non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  return [...(shape as number[])];
}

/** NumPy broadcasting of two shapes; throws naming the op and both shapes when they clash. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        op,
        `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together (dimension ${i}: ${da} vs ${db})`,
      );
    }
  }
  return out;
}

/** Broadcasts any number of shapes. */
export function broadcastAll(op: string, shapes: readonly Shape[]): number[] {
  let out: number[] = [];
  for (const s of shapes) out = broadcastShapes(op, out, s);
  return out;
}

/** True when `from` broadcasts to exactly `to`. */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + off]) return false;
  return true;
}

/** Maps a possibly negative axis into [0, ndim); throws naming the op when out of range. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis)) throw new ValueError(op, `axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim) {
    throw new ValueError(op, `axis ${axis} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'}`);
  }
  return a;
}

/**
 * Normalizes `axis` (undefined = all axes, a number, or a list) to a sorted list of distinct
 * non-negative axes.
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, ndim));
  const sorted = [...out].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new ValueError(op, `axis ${sorted[i]} is repeated in [${list.join(', ')}]`);
  }
  return sorted;
}

/** Shape after reducing `axes` (kept as 1 when keepdims). */
export function reducedShape(shape: Shape, axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(shape[i]);
  }
  return out;
}

/** Checks a permutation of [0, ndim). */
export function checkPerm(op: string, perm: readonly number[], ndim: number): number[] {
  if (perm.length !== ndim) {
    throw new ValueError(op, `permutation [${perm.join(', ')}] has ${perm.length} axes but the tensor has ${ndim}`);
  }
  const out = perm.map((p) => normalizeAxis(op, p, ndim));
  const seen = new Set(out);
  if (seen.size !== ndim) throw new ValueError(op, `[${perm.join(', ')}] is not a permutation of ${ndim} axes`);
  return out;
}

/** The inverse of a permutation. */
export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Strides (in elements) of an operand of `shape` read as if it had `outShape` (0 on broadcast axes). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const off = outShape.length - shape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[i + off] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** The dimensions of a batched matrix product of stored operands (flags read their last two axes swapped). */
export interface MatmulDims {
  M: number;
  K: number;
  N: number;
  aBatch: number[];
  bBatch: number[];
  /** The broadcast batch axes of the result. */
  batchShape: number[];
  batches: number;
}

/** M, K, N and the broadcast batch of A·B (shapes already checked by the op). */
export function matmulDims(aShape: Shape, bShape: Shape, transA: boolean, transB: boolean): MatmulDims {
  const ra = aShape.length;
  const rb = bShape.length;
  const M = transA ? aShape[ra - 1] : aShape[ra - 2];
  const K = transA ? aShape[ra - 2] : aShape[ra - 1];
  const N = transB ? bShape[rb - 2] : bShape[rb - 1];
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const nb = Math.max(aBatch.length, bBatch.length);
  const batchShape: number[] = [];
  for (let i = 0; i < nb; i++) {
    const da = i < nb - aBatch.length ? 1 : aBatch[i - (nb - aBatch.length)];
    const db = i < nb - bBatch.length ? 1 : bBatch[i - (nb - bBatch.length)];
    batchShape.push(Math.max(da, db));
  }
  return { M, K, N, aBatch, bBatch, batchShape, batches: sizeOf(batchShape) };
}

/**
 * Where a slice (`begin`, `step` and result shape `outShape` of a row-major `shape`) is one
 * contiguous run of the source: its first element's flat index, or -1 when it is not (or
 * is empty). Such a slice (a batch of rows, one row, one row of a matrix of a batch) can
 * share the source's data instead of being copied. It is one run when the last axes are
 * taken whole, the axis before them as a run with step 1, and every earlier axis as a
 * single index.
 */
export function contiguousSliceStart(shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): number {
  if (sizeOf(outShape) === 0) return -1;
  let d = shape.length - 1;
  while (d >= 0 && outShape[d] === shape[d] && begin[d] === 0 && (step[d] === 1 || shape[d] === 1)) d--;
  if (d >= 0 && (step[d] === 1 || outShape[d] === 1)) d--;
  for (; d >= 0; d--) if (outShape[d] !== 1) return -1;
  const strides = stridesOf(shape);
  return begin.reduce((acc, b, i) => acc + b * strides[i], 0);
}
