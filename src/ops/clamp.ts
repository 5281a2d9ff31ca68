import type { Tensor } from '../tensor/tensor.js';
import { maximum } from './maximum.js';
import { minimum } from './minimum.js';
import { asTensor, type TensorLike } from './util.js';

/**
 * Limits x to [lo, hi] (either bound may be omitted with null). A composite of maximum
 * and minimum: the derivative is dx inside the interval and 0 outside.
 */
export function clamp(x: TensorLike, lo: TensorLike | null, hi: TensorLike | null = null): Tensor {
  let t = asTensor('clamp', x);
  if (lo !== null) t = maximum(t, lo);
  if (hi !== null) t = minimum(t, hi);
  return t;
}
