import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { fusedRule, mapBinary, operands, sumPresent, type FusedFn, type TensorLike } from './util.js';

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

/**
 * a - b·s for a number s (an optimizer's p - lr·g): one kernel when nothing records
 * derivatives, else sub and mul, with the same values (in float32, s and b·s round to
 * float32 as the separate ops round them). d = da - s·db.
 */
export function subScaled(a: Tensor, b: Tensor, s: number): Tensor {
  const s32 = Math.fround(s);
  const fn: FusedFn = { f64: (x, y) => x - y * s, f32: (x, y) => Math.fround(x - Math.fround(y * s32)) };
  return fusedRule('subScaled', fn, a, b, () => sub(a, mul(b, s)), [s]);
}
