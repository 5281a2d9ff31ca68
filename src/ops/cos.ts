import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sin } from './sin.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const cosOp = defineOp<void>({
  name: 'cos',
  elementwise: true,
  forward: ([x]) => mapUnary('cos', Math.cos, x),
  jvp: ({ inputs: [x] }, [dx]) => neg(mul(dx!, sin(x))),
  vjp: ({ inputs: [x] }, g) => [neg(mul(g, sin(x)))],
});

/**
 * Cosine, elementwise. d cos(x) = -sin(x)·dx.
 */
export function cos(x: TensorLike): Tensor {
  return cosOp([asTensor('cos', x)], undefined);
}
