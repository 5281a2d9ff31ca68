import { floatResult, promoteTypes } from '../core/dtype.js';
import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { equal } from './compare.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { where } from './where.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

/** d/dx x^y = y·x^(y-1), taken as 0 where y = 0 (x^0 is constant; avoids 0·∞ at x = 0, as PyTorch and JAX do) */
const dBase = (x: Tensor, y: Tensor): Tensor => where(equal(y, 0), 0, mul(y, pow(x, sub(y, 1))));
/** d/dy x^y = x^y·log x, taken as 0 where x = 0 (the limit for y > 0, as in JAX and PyTorch) */
const dExponent = (x: Tensor, out: Tensor): Tensor => where(equal(x, 0), 0, mul(out, log(x)));

const powOp = defineOp<void>({
  name: 'pow',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('pow', Math.pow, a, b, floatResult(promoteTypes(a.dtype, b.dtype))),
  jvp: ({ inputs: [x, y], out }, [dx, dy]) => sumPresent(dx && mul(dx, dBase(x, y)), dy && mul(dy, dExponent(x, out))),
  vjp: ({ inputs: [x, y], out }, g, needs) => [
    needs[0] ? mul(g, dBase(x, y)) : null,
    needs[1] ? mul(g, dExponent(x, out)) : null,
  ],
});

/**
 * x ** exponent, elementwise with broadcasting; the exponent may be a number or a tensor.
 * d(x^y) = y·x^(y-1)·dx + x^y·log(x)·dy.
 */
export function pow(x: TensorLike, exponent: TensorLike): Tensor {
  return powOp(operands('pow', x, exponent), undefined);
}
