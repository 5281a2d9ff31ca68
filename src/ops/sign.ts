import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const signOp = defineOp<void>({
  name: 'sign',
  forward: ([x]) => mapUnary('sign', (v) => (v > 0 ? 1 : v < 0 ? -1 : v), x, true),
});

/** -1, 0 or 1 by the sign of x (NaN stays NaN). Not differentiable: its derivative is 0 almost everywhere. */
export function sign(x: TensorLike): Tensor {
  return signOp([asTensor('sign', x)], undefined);
}
