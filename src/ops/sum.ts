import { normalizeAxes, reducedShape } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { kroneckerSum } from '../autodiff/kronecker-rules.js';
import { isKronecker } from '../autodiff/kronecker.js';
import type { Tensor } from '../tensor/tensor.js';
import { broadcastTo } from './broadcast-to.js';
import { reshape } from './reshape.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

export const sumOp: OpApply<ReduceAttrs> = defineOp<ReduceAttrs>({
  name: 'sum',
  forward: ([x], { axes, keepdims }) => {
    const shape = reducedShape(x.shape, axes, keepdims);
    return wrap(x.backend.reduce('sum', x.storage, x.shape, axes, x.dtype), shape, x.dtype, x);
  },
  // the tangent's leading direction axis shifts every axis by one
  jvp: ({ attrs: { axes, keepdims } }, [dx]) => sumOp([dx!], { axes: axes.map((a) => a + 1), keepdims }),
  structuredJvp: ({ attrs: { axes, keepdims } }, [dx]) => (isKronecker(dx) ? kroneckerSum(dx, axes, keepdims) : null),
  vjp: ({ inputs: [x], attrs: { axes } }, g) => [broadcastTo(reshape(g, reducedShape(x.shape, axes, true)), x.shape)],
});

/**
 * Sum over `axis` (a number, a list, or all axes when omitted), keeping reduced axes as
 * size 1 when `keepdims`.
 * d Σ x = Σ dx; the cotangent is broadcast back over the reduced axes.
 */
export function sum(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = asTensor('sum', x);
  return sumOp([t], { axes: normalizeAxes('sum', axis, t.ndim), keepdims });
}
