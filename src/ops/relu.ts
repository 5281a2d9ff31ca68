import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { greater } from './compare.js';
import { mul } from './mul.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const reluOp = defineOp<void>({
  name: 'relu',
  elementwise: true,
  forward: ([x]) => mapUnary('relu', (v) => (v > 0 ? v : v !== v ? v : 0), x),
  jvp: ({ inputs: [x] }, [dx]) => mul(dx!, greater(x, 0)),
  vjp: ({ inputs: [x] }, g) => [mul(g, greater(x, 0))],
});

/**
 * max(x, 0), elementwise (NaN stays NaN). d relu(x) = dx where x > 0, else 0: the derivative at 0 is
 * taken as 0, as in PyTorch, JAX and TensorFlow.
 */
export function relu(x: TensorLike): Tensor {
  return reluOp([asTensor('relu', x)], undefined);
}
