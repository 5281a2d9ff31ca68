import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

const mulOp = defineOp<void>({
  name: 'mul',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('mul', (x, y) => x * y, a, b),
  jvp: ({ inputs: [a, b] }, [da, db]) => sumPresent(da && mul(da, b), db && mul(a, db)),
  vjp: ({ inputs: [a, b] }, g, needs) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
});

/**
 * a * b, elementwise with broadcasting.
 * d(ab) = da·b + a·db; cotangents g·b and g·a.
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return mulOp(operands('mul', a, b), undefined);
}
