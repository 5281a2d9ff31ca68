import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { kroneckerReshape } from '../autodiff/kronecker-rules.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface ReshapeAttrs {
  readonly shape: readonly number[];
}

const reshapeOp: OpApply<ReshapeAttrs> = defineOp<ReshapeAttrs>({
  name: 'reshape',
  // same values in the same order: the result shares the input's storage
  forward: ([x], { shape }) => wrap(x.storage, shape, x.dtype, x),
  jvp: ({ attrs: { shape } }, [dx]) => reshapeOp([dx!], { shape: [dx!.shape[0], ...shape] }),
  structuredJvp: ({ attrs: { shape } }, [dx]) => kroneckerReshape(dx, shape),
  vjp: ({ inputs: [x] }, g) => [reshapeOp([g], { shape: x.shape })],
});

/** Resolves one -1 entry and checks that the sizes agree. */
export function resolveShape(op: string, from: readonly number[], shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(op, `shape must be an array of integers, got ${String(shape)}`);
  const free = shape.filter((d) => d === -1).length;
  if (free > 1) throw new ValueError(op, `only one dimension can be -1, got ${fmtShape(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < -1) throw new ValueError(op, `dimensions must be non-negative integers or -1, got ${fmtShape(shape)}`);
  }
  const n = sizeOf(from);
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = [...shape];
  if (free === 1) {
    if (known === 0 || n % known !== 0) {
      throw new ShapeError(op, `cannot reshape ${fmtShape(from)} (${n} elements) into ${fmtShape(shape)}`);
    }
    out[out.indexOf(-1)] = n / known;
  }
  if (sizeOf(out) !== n) {
    throw new ShapeError(op, `cannot reshape ${fmtShape(from)} (${n} elements) into ${fmtShape(shape)} (${sizeOf(out)} elements)`);
  }
  return out;
}

/**
 * The same values, row-major, in a new shape (one entry may be -1 and is inferred).
 * Shares storage with x. d reshape(x) = reshape(dx); cotangent reshaped back.
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('reshape', x);
  return reshapeOp([t], { shape: resolveShape('reshape', t.shape, shape) });
}
