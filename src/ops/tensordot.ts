import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxis } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { matmul } from './matmul.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { asTensor, type TensorLike } from './util.js';

/** Which axes tensordot contracts: N (last N of a with first N of b) or two lists. */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];

/**
 * Tensor contraction with NumPy's semantics: sums the products over `axes` of a paired
 * with `axes` of b; the result has a's free axes then b's. `tensordot(a, b, 1)` contracts
 * the last axis of a with the first of b: the brief's matrix product.
 * A composite (transpose, reshape, matmul), so d(a·b) = da·b + a·db comes from matmul.
 */
export function tensordot(a: TensorLike, b: TensorLike, axes: TensordotAxes = 2): Tensor {
  const ta = asTensor('tensordot', a);
  const tb = asTensor('tensordot', b);
  let axA: number[];
  let axB: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > ta.ndim || axes > tb.ndim) {
      throw new ValueError('tensordot', `axes=${axes} does not fit operands of shapes ${fmtShape(ta.shape)} and ${fmtShape(tb.shape)}`);
    }
    axA = Array.from({ length: axes }, (_, i) => ta.ndim - axes + i);
    axB = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) throw new ValueError('tensordot', 'axes must be a number or a pair [axesOfA, axesOfB]');
    const list = (v: number | readonly number[]) => (typeof v === 'number' ? [v] : [...v]);
    axA = list(axes[0]).map((x) => normalizeAxis('tensordot', x, ta.ndim));
    axB = list(axes[1]).map((x) => normalizeAxis('tensordot', x, tb.ndim));
    if (axA.length !== axB.length) throw new ValueError('tensordot', `got ${axA.length} axes for a but ${axB.length} for b`);
  }
  axA.forEach((x, i) => {
    if (ta.shape[x] !== tb.shape[axB[i]]) {
      throw new ShapeError(
        'tensordot',
        `${fmtShape(ta.shape)} and ${fmtShape(tb.shape)}: contracted axis ${x} of a has size ${ta.shape[x]} but axis ${axB[i]} of b has size ${tb.shape[axB[i]]}`,
      );
    }
  });
  const freeA = ta.shape.map((_, i) => i).filter((i) => !axA.includes(i));
  const freeB = tb.shape.map((_, i) => i).filter((i) => !axB.includes(i));
  const k = axA.reduce((n, x) => n * ta.shape[x], 1);
  const fa = freeA.map((i) => ta.shape[i]);
  const fb = freeB.map((i) => tb.shape[i]);
  const ma = reshape(transpose(ta, [...freeA, ...axA]), [fa.reduce((n, d) => n * d, 1), k]);
  const mb = reshape(transpose(tb, [...axB, ...freeB]), [k, fb.reduce((n, d) => n * d, 1)]);
  return reshape(matmul(ma, mb), [...fa, ...fb]);
}
