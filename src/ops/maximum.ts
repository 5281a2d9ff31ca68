import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { extremumWeights } from './minimum.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';
import { mul } from './mul.js';

const maximumOp = defineOp<void>({
  name: 'maximum',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('maximum', (x, y) => (x > y || x !== x ? x : y), a, b),
  jvp: ({ inputs: [a, b] }, [da, db]) => {
    const [wa, wb] = extremumWeights(a, b, 'max');
    return sumPresent(da && mul(da, wa), db && mul(db, wb));
  },
  vjp: ({ inputs: [a, b] }, g, needs) => {
    const [wa, wb] = extremumWeights(a, b, 'max');
    return [needs[0] ? mul(g, wa) : null, needs[1] ? mul(g, wb) : null];
  },
});

/**
 * The larger of a and b, elementwise with broadcasting (NaN if either is NaN).
 * d max(a, b) = da where a > b, db where b > a, (da + db)/2 at ties.
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return maximumOp(operands('maximum', a, b), undefined);
}
