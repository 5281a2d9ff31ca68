import { broadcastStrides, type Shape } from '../../core/shape.js';

/**
 * Shape arithmetic that turns n-dimensional kernel calls into the few simple forms the wasm
 * kernels take: adjacent axes that every operand walks contiguously merge into one, and
 * axes of length 1 disappear, so `[128, 50] + [50]` becomes 128 rows of 50 with the bias
 * repeated, and equal shapes become one flat run.
 */

/** Strides (in elements) of an operand of `shape` read as if it had `outShape` (0 on broadcast axes). */
export const stridesFor = broadcastStrides;

export interface Folded {
  shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  strides: number[][];
}

/**
 * Drops axes of length 1 and merges axis d into d + 1 wherever every operand has
 * stride[d] == stride[d + 1] * shape[d + 1]. The element visited at each multi-index is
 * unchanged, so a kernel can walk the folded form instead.
 */
export function fold(shape: Shape, strides: readonly (readonly number[])[]): Folded {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    const mergeable = last >= 0 && strides.every((st, k) => outStrides[k][last] === st[d] * shape[d]);
    if (mergeable) {
      outShape[last] *= shape[d];
      strides.forEach((st, k) => (outStrides[k][last] = st[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((st, k) => outStrides[k].push(st[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `body` once per position of the leading axes of a folded form (all but the last
 * `inner` axes), with each operand's element offset at that position.
 */
export function forEachOuter(f: Folded, inner: number, body: (offsets: number[]) => void): void {
  const outer = f.shape.length - inner;
  const offsets = f.strides.map(() => 0);
  if (outer <= 0) {
    body(offsets);
    return;
  }
  const idx = new Array<number>(outer).fill(0);
  for (;;) {
    body(offsets);
    let d = outer - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      f.strides.forEach((st, k) => (offsets[k] += st[d]));
      if (idx[d] < f.shape[d]) break;
      f.strides.forEach((st, k) => (offsets[k] -= st[d] * f.shape[d]));
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * A reduction over `axes` as [outer, n, inner] (reduce the middle), or null when the
 * reduced axes, after dropping length-1 axes, do not form one contiguous run.
 */
export function reductionBlocks(shape: Shape, axes: readonly number[]): { outer: number; n: number; inner: number } | null {
  let outer = 1;
  let n = 1;
  let inner = 1;
  // 0: before the reduced run, 1: inside it, 2: after it
  let phase = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const reduced = axes.includes(d);
    if (reduced) {
      if (phase === 2) return null;
      phase = 1;
      n *= shape[d];
    } else if (phase === 0) {
      outer *= shape[d];
    } else {
      phase = 2;
      inner *= shape[d];
    }
  }
  return { outer, n, inner };
}
