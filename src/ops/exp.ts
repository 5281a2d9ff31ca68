import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const expOp = defineOp<void>({
  name: 'exp',
  elementwise: true,
  forward: ([x]) => mapUnary('exp', Math.exp, x),
  jvp: ({ out }, [dx]) => mul(dx!, out),
  vjp: ({ out }, g) => [mul(g, out)],
});

/**
 * e^x, elementwise. d exp(x) = exp(x)·dx.
 */
export function exp(x: TensorLike): Tensor {
  return expOp([asTensor('exp', x)], undefined);
}
