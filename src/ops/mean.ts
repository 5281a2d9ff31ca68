import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './div.js';
import { sum } from './sum.js';
import { asTensor, type TensorLike } from './util.js';

/**
 * Mean over `axis` (all axes when omitted). A composite: sum(x, axis) / count, so its
 * derivative d mean = mean(dx) comes from sum and div.
 */
export function mean(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = asTensor('mean', x);
  const axes = normalizeAxes('mean', axis, t.ndim);
  const count = axes.reduce((n, a) => n * t.shape[a], 1);
  return div(sum(t, axes, keepdims), count);
}
