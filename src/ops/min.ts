import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { extremeReduction } from './max.js';
import { asTensor, type TensorLike } from './util.js';

const minOp = extremeReduction('min');

/**
 * Smallest value over `axis` (all axes when omitted), NaN if any value compared is NaN.
 * d min = dx at the position of the minimum; tied minima share it equally.
 */
export function min(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = asTensor('min', x);
  return minOp([t], { axes: normalizeAxes('min', axis, t.ndim), keepdims });
}
