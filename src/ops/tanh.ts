import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const tanhOp = defineOp<void>({
  name: 'tanh',
  elementwise: true,
  forward: ([x]) => mapUnary('tanh', Math.tanh, x),
  jvp: ({ out }, [dx]) => mul(dx!, sub(1, mul(out, out))),
  vjp: ({ out }, g) => [mul(g, sub(1, mul(out, out)))],
});

/**
 * Hyperbolic tangent, elementwise. d tanh(x) = (1 - tanh(x)²)·dx.
 */
export function tanh(x: TensorLike): Tensor {
  return tanhOp([asTensor('tanh', x)], undefined);
}
