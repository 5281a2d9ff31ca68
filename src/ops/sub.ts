import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { neg } from './neg.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

const subOp = defineOp<void>({
  name: 'sub',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('sub', (x, y) => x - y, a, b),
  jvp: (_, [da, db]) => sumPresent(da, db && neg(db)),
  vjp: (_, g, needs) => [g, needs[1] ? neg(g) : null],
});

/**
 * a - b, elementwise with broadcasting (`tg.sub(1, p)` is the brief's `1 - p`).
 * d(a - b) = da - db; cotangents g and -g.
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return subOp(operands('sub', a, b), undefined);
}
