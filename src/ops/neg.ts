import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const negOp = defineOp<void>({
  name: 'neg',
  elementwise: true,
  forward: ([x]) => mapUnary('neg', (v) => -v, x, true),
  jvp: (_, [dx]) => neg(dx!),
  vjp: (_, g) => [neg(g)],
});

/** -x, elementwise. d(-x) = -dx; cotangent -g. */
export function neg(x: TensorLike): Tensor {
  return negOp([asTensor('neg', x)], undefined);
}
