import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { sliceOp, withDirections, type WindowAttrs } from './slice.js';
import { wrap } from './util.js';

/**
 * Zeros of `shape` with x written into the strided window begin + i·step: the adjoint of
 * slice (its vjp), itself linear.
 * d scatterSlice(x) = scatterSlice(dx); the cotangent is sliced back out.
 */
export const scatterSliceOp: OpApply<WindowAttrs> = defineOp<WindowAttrs>({
  name: 'scatterSlice',
  layout: true,
  forward: ([x], { begin, step, shape }) => wrap(x.backend.scatterSlice(x.storage, x.shape, begin, step, shape), shape, x.dtype, x),
  jvp: ({ attrs }, [dx]) => scatterSliceOp([dx!], withDirections(attrs, dx!.shape[0])),
  vjp: ({ inputs: [x], attrs }, g) => [sliceOp([g], { begin: attrs.begin, step: attrs.step, shape: x.shape })],
});
