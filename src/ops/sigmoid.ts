import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** 1 / (1 + e^-x) without overflowing e^-x for very negative x. */
function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
import { asTensor, mapUnary, type TensorLike } from './util.js';

const sigmoidOp = defineOp<void>({
  name: 'sigmoid',
  elementwise: true,
  forward: ([x]) => mapUnary('sigmoid', stableSigmoid, x),
  jvp: ({ out }, [dx]) => mul(dx!, mul(out, sub(1, out))),
  vjp: ({ out }, g) => [mul(g, mul(out, sub(1, out)))],
});

/**
 * The logistic function σ(x) = 1 / (1 + e^-x), elementwise, computed without overflow
 * for large |x|. dσ(x) = σ(x)(1 - σ(x))·dx.
 */
export function sigmoid(x: TensorLike): Tensor {
  return sigmoidOp([asTensor('sigmoid', x)], undefined);
}
