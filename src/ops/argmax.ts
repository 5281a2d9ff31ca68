import { ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxis } from '../core/shape.js';
import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ArgReduceKind } from '../backend/index.js';
import { reshape } from './reshape.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface ArgAttrs {
  readonly axis: number;
  readonly keepdims: boolean;
}

/** argmax and argmin: the same op but for the comparison. Not differentiable (integer output). */
function argReduction(kind: ArgReduceKind) {
  const op = defineOp<ArgAttrs>({
    name: kind,
    forward: ([x], { axis, keepdims }) => {
      if (x.shape[axis] === 0) throw new ValueError(kind, `cannot take the ${kind} of an empty axis (shape ${fmtShape(x.shape)})`);
      const shape = x.shape.flatMap((d, i) => (i === axis ? (keepdims ? [1] : []) : [d]));
      return wrap(x.backend.argReduce(kind, x.storage, x.shape, axis), shape, 'int32', x);
    },
  });
  return (x: TensorLike, axis?: number | null, keepdims = false): Tensor => {
    const t = asTensor(kind, x);
    if (axis === undefined || axis === null) {
      if (t.size === 0) throw new ValueError(kind, `cannot take the ${kind} of an empty tensor (shape ${fmtShape(t.shape)})`);
      const flat = op([reshape(t.detach(), [t.size])], { axis: 0, keepdims: false });
      return keepdims ? reshape(flat, t.shape.map(() => 1)) : flat;
    }
    return op([t], { axis: normalizeAxis(kind, axis, t.ndim), keepdims });
  };
}

/** Index (int32) of the largest value along `axis`, or in the flattened tensor when omitted; the first NaN wins. */
export const argmax = argReduction('argmax');
/** Index (int32) of the smallest value along `axis`, or in the flattened tensor when omitted; the first NaN wins. */
export const argmin = argReduction('argmin');
