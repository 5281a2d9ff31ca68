import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { scatterSliceOp } from './scatter-slice.js';
import { wrap } from './util.js';

export interface WindowAttrs {
  /** Start index on every axis. */
  readonly begin: readonly number[];
  /** Step on every axis (negative walks backwards). */
  readonly step: readonly number[];
  /** Shape of the window (for slice: the result; for scatterSlice: the big tensor). */
  readonly shape: readonly number[];
}

/** Prepends the tangent's direction axis to a window. */
export function withDirections(attrs: WindowAttrs, directions: number): WindowAttrs {
  return { begin: [0, ...attrs.begin], step: [1, ...attrs.step], shape: [directions, ...attrs.shape] };
}

/**
 * Strided window of x: out[i] = x[begin + i·step] on every axis (the primitive behind
 * indexing and slicing; use `index` for NumPy-style specs).
 * d slice(x) = slice(dx); the cotangent is scattered back into zeros of x's shape.
 */
export const sliceOp: OpApply<WindowAttrs> = defineOp<WindowAttrs>({
  name: 'slice',
  layout: true,
  forward: ([x], { begin, step, shape }) => wrap(x.backend.slice(x.storage, x.shape, begin, step, shape), shape, x.dtype, x),
  jvp: ({ attrs }, [dx]) => sliceOp([dx!], withDirections(attrs, dx!.shape[0])),
  vjp: ({ inputs: [x], attrs }, g) => [scatterSliceOp([g], { begin: attrs.begin, step: attrs.step, shape: x.shape })],
});
