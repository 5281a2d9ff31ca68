import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './add.js';
import { div } from './div.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const log1pOp = defineOp<void>({
  name: 'log1p',
  elementwise: true,
  forward: ([x]) => mapUnary('log1p', Math.log1p, x),
  jvp: ({ inputs: [x] }, [dx]) => div(dx!, add(x, 1)),
  vjp: ({ inputs: [x] }, g) => [div(g, add(x, 1))],
});

/**
 * log(1 + x), elementwise, accurate for small x. d log1p(x) = dx / (1 + x).
 */
export function log1p(x: TensorLike): Tensor {
  return log1pOp([asTensor('log1p', x)], undefined);
}
