import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { equal, greater, less } from './compare.js';
import { add } from './add.js';
import { mul } from './mul.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

/** Weights of a and b in d max(a, b) (or min): 1 for the winner, 1/2 each at a tie. */
export function extremumWeights(a: Tensor, b: Tensor, kind: 'max' | 'min'): [Tensor, Tensor] {
  const aWins = kind === 'max' ? greater(a, b) : less(a, b);
  const bWins = kind === 'max' ? greater(b, a) : less(b, a);
  const tie = mul(equal(a, b), 0.5);
  return [add(aWins, tie), add(bWins, tie)];
}

const minimumOp = defineOp<void>({
  name: 'minimum',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('minimum', (x, y) => (x < y || x !== x ? x : y), a, b),
  jvp: ({ inputs: [a, b] }, [da, db]) => {
    const [wa, wb] = extremumWeights(a, b, 'min');
    return sumPresent(da && mul(da, wa), db && mul(db, wb));
  },
  vjp: ({ inputs: [a, b] }, g, needs) => {
    const [wa, wb] = extremumWeights(a, b, 'min');
    return [needs[0] ? mul(g, wa) : null, needs[1] ? mul(g, wb) : null];
  },
});

/**
 * The smaller of a and b, elementwise with broadcasting (NaN if either is NaN).
 * d min(a, b) = da where a < b, db where b < a, (da + db)/2 at ties.
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return minimumOp(operands('minimum', a, b), undefined);
}
