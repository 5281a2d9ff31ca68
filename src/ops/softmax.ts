import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { log } from './log.js';
import { max } from './max.js';
import { sub } from './sub.js';
import { add } from './add.js';
import { sum } from './sum.js';
import { where } from './where.js';
import { equal } from './compare.js';
import { abs } from './abs.js';
import { reshape } from './reshape.js';
import { asTensor, type TensorLike } from './util.js';

/**
 * The per-slice maximum along `axis` (kept), detached: subtracting it keeps exp from
 * overflowing and changes neither the value nor the derivative of softmax-type functions.
 * Infinite maxima are replaced by 0 so that all -Infinity slices stay finite-safe.
 */
function stableShift(x: Tensor, axis: number): Tensor {
  const m = max(x.detach(), axis, true);
  return where(equal(abs(m), Infinity), 0, m);
}

/**
 * softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along `axis` (default last), computed as
 * e^{x - max} / Σ e^{x - max} so that large inputs do not overflow.
 * A composite: d softmax = s ⊙ (dx - Σ s ⊙ dx) follows from exp, sum and div.
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor('softmax', x);
  const ax = normalizeAxis('softmax', axis, t.ndim);
  const e = exp(sub(t, stableShift(t, ax)));
  return div(e, sum(e, ax, true));
}

/**
 * log softmax(x) = x - log Σ_j e^{x_j} along `axis` (default last), stable for large |x|:
 * (x - max) - log Σ e^{x - max}. A composite: d logSoftmax = dx - Σ softmax ⊙ dx.
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor('logSoftmax', x);
  const ax = normalizeAxis('logSoftmax', axis, t.ndim);
  const shifted = sub(t, stableShift(t, ax));
  return sub(shifted, log(sum(exp(shifted), ax, true)));
}

/**
 * log Σ e^x over `axis` (all axes when omitted), stable for large |x|.
 * A composite: d logsumexp = Σ softmax(x) ⊙ dx.
 */
export function logsumexp(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = asTensor('logsumexp', x);
  const m = max(t.detach(), axis, true);
  const shift = where(equal(abs(m), Infinity), 0, m);
  const out = add(log(sum(exp(sub(t, shift)), axis, true)), shift);
  if (keepdims) return out;
  const keptShape = out.shape;
  const axes = axis === undefined || axis === null ? t.shape.map((_, i) => i) : (typeof axis === 'number' ? [axis] : [...axis]).map((a) => normalizeAxis('logsumexp', a, t.ndim));
  return reshape(out, keptShape.filter((_, i) => !axes.includes(i)));
}
