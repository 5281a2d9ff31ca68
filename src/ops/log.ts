import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './div.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const logOp = defineOp<void>({
  name: 'log',
  elementwise: true,
  forward: ([x]) => mapUnary('log', Math.log, x),
  jvp: ({ inputs: [x] }, [dx]) => div(dx!, x),
  vjp: ({ inputs: [x] }, g) => [div(g, x)],
});

/**
 * Natural logarithm, elementwise; log(0) = -Infinity, log of a negative number is NaN.
 * d log(x) = dx / x.
 */
export function log(x: TensorLike): Tensor {
  return logOp([asTensor('log', x)], undefined);
}
