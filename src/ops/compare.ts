import { promoteTypes } from '../core/dtype.js';
import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import type { BinaryFn } from '../backend/index.js';
import { mapBinary, operands, type TensorLike } from './util.js';

/**
 * The six comparisons, defined together because they differ only in their predicate.
 * They are not differentiable (their derivative is zero almost everywhere, so nothing is
 * tracked through them) and return 1 where the comparison holds and 0 elsewhere, in the
 * operands' promoted dtype, so that a mask multiplies straight into arithmetic.
 */
function comparison(name: string, fn: BinaryFn): (a: TensorLike, b: TensorLike) => Tensor {
  const op = defineOp<void>({
    name,
    forward: ([a, b]) => mapBinary(name, fn, a, b, promoteTypes(a.dtype, b.dtype)),
  });
  return (a, b) => op(operands(name, a, b), undefined);
}

/** 1 where a == b, else 0 (broadcasting). Not differentiable. */
export const equal = comparison('equal', (a, b) => (a === b ? 1 : 0));
/** 1 where a != b, else 0 (broadcasting). Not differentiable. */
export const notEqual = comparison('notEqual', (a, b) => (a !== b ? 1 : 0));
/** 1 where a < b, else 0 (broadcasting). Not differentiable. */
export const less = comparison('less', (a, b) => (a < b ? 1 : 0));
/** 1 where a <= b, else 0 (broadcasting). Not differentiable. */
export const lessEqual = comparison('lessEqual', (a, b) => (a <= b ? 1 : 0));
/** 1 where a > b, else 0 (broadcasting). Not differentiable. */
export const greater = comparison('greater', (a, b) => (a > b ? 1 : 0));
/** 1 where a >= b, else 0 (broadcasting). Not differentiable. */
export const greaterEqual = comparison('greaterEqual', (a, b) => (a >= b ? 1 : 0));
