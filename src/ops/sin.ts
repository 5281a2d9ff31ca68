import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { cos } from './cos.js';
import { mul } from './mul.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const sinOp = defineOp<void>({
  name: 'sin',
  elementwise: true,
  forward: ([x]) => mapUnary('sin', Math.sin, x),
  jvp: ({ inputs: [x] }, [dx]) => mul(dx!, cos(x)),
  vjp: ({ inputs: [x] }, g) => [mul(g, cos(x))],
});

/**
 * Sine, elementwise. d sin(x) = cos(x)·dx.
 */
export function sin(x: TensorLike): Tensor {
  return sinOp([asTensor('sin', x)], undefined);
}
