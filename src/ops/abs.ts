import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const absOp = defineOp<void>({
  name: 'abs',
  elementwise: true,
  forward: ([x]) => mapUnary('abs', Math.abs, x),
  jvp: ({ inputs: [x] }, [dx]) => mul(dx!, sign(x)),
  vjp: ({ inputs: [x] }, g) => [mul(g, sign(x))],
});

/**
 * |x|, elementwise. d|x| = sign(x)·dx, taken as 0 at x = 0 (as in PyTorch and JAX).
 */
export function abs(x: TensorLike): Tensor {
  return absOp([asTensor('abs', x)], undefined);
}
