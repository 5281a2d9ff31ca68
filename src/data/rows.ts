import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { typedArrayFor } from '../core/dtype.js';
import type { Generator } from '../core/random.js';
import { sizeOf } from '../core/shape.js';
import { fromValues } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';

/** Checks that x and y are tensors with the same number of rows (at least one); returns it. */
export function checkXY(op: string, x: unknown, y: unknown): number {
  if (!(x instanceof Tensor)) throw new ValueError(op, `x must be a Tensor, got ${describe(x)}`);
  if (!(y instanceof Tensor)) throw new ValueError(op, `y must be a Tensor, got ${describe(y)}`);
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(op, `x and y need a leading example axis; got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new ShapeError(op, `x has ${x.shape[0]} examples (shape ${fmtShape(x.shape)}) but y has ${y.shape[0]} (shape ${fmtShape(y.shape)})`);
  }
  if (x.shape[0] === 0) throw new ValueError(op, 'x and y hold no examples');
  return x.shape[0];
}

/** Checks a batch size: a positive integer. */
export function checkBatchSize(op: string, batchSize: unknown): number {
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValueError(op, `batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  return batchSize;
}

/** The rows `indices` of t (along axis 0), as a new tensor of t's dtype; not tracked. */
export function takeRows(t: Tensor, indices: ArrayLike<number>): Tensor {
  const row = sizeOf(t.shape.slice(1));
  const src = t.backend.read(t.storage);
  const out = typedArrayFor(t.dtype, indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * row;
    out.set(src.subarray(from, from + row), i * row);
  }
  return fromValues(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from `g`. */
export function permutation(n: number, g: Generator): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = g.int(i + 1);
    const tmp = p[i];
    p[i] = p[j];
    p[j] = tmp;
  }
  return p;
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tg.tensor)';
  return typeof x;
}
