import { floatResult, promoteTypes } from '../core/dtype.js';
import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

const divOp = defineOp<void>({
  name: 'div',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('div', (x, y) => x / y, a, b, floatResult(promoteTypes(a.dtype, b.dtype))),
  // d(a/b) = da/b - (a/b)·db/b
  jvp: ({ inputs: [, b], out }, [da, db]) => sumPresent(da && div(da, b), db && neg(div(mul(out, db), b))),
  vjp: ({ inputs: [, b], out }, g, needs) => [needs[0] ? div(g, b) : null, needs[1] ? neg(div(mul(g, out), b)) : null],
});

/**
 * a / b, elementwise with broadcasting (true division: int32 operands give float64).
 * d(a/b) = da/b - (a/b²)·db; cotangents g/b and -g·a/b².
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return divOp(operands('div', a, b), undefined);
}
