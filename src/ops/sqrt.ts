import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { asTensor, mapUnary, type TensorLike } from './util.js';

const sqrtOp = defineOp<void>({
  name: 'sqrt',
  elementwise: true,
  forward: ([x]) => mapUnary('sqrt', Math.sqrt, x),
  jvp: ({ out }, [dx]) => div(dx!, mul(out, 2)),
  vjp: ({ out }, g) => [div(g, mul(out, 2))],
});

/**
 * Square root, elementwise. d sqrt(x) = dx / (2 sqrt(x)) (infinite at 0).
 */
export function sqrt(x: TensorLike): Tensor {
  return sqrtOp([asTensor('sqrt', x)], undefined);
}
