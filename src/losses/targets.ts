import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { cast } from '../ops/cast.js';
import { reshape } from '../ops/reshape.js';
import { fromValues } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/** True for [B] and [B, 1]: the shapes of one value per example. */
function isColumn(shape: readonly number[]): boolean {
  return shape.length === 1 || (shape.length === 2 && shape[1] === 1);
}

/**
 * Brings a one-value-per-example prediction and its target to [B] each (the target in the
 * prediction's dtype). Both may be [B] or [B, 1]; anything else is a ShapeError. Flattening
 * first avoids the silent [B, 1] - [B] -> [B, B] broadcast.
 */
export function columnPair(op: string, prediction: Tensor, target: Tensor): [Tensor, Tensor] {
  if (!isColumn(prediction.shape)) {
    throw new ShapeError(op, `expected a prediction of shape [B] or [B, 1], got ${fmtShape(prediction.shape)}`);
  }
  const b = prediction.shape[0];
  if (!isColumn(target.shape) || target.shape[0] !== b) {
    throw new ShapeError(op, `prediction of shape ${fmtShape(prediction.shape)} needs a target of shape [${b}] or [${b}, 1], got ${fmtShape(target.shape)}`);
  }
  const p = prediction.ndim === 1 ? prediction : reshape(prediction, [b]);
  const y = target.ndim === 1 ? target : reshape(target, [b]);
  return [p, cast(y, prediction.dtype)];
}

/** Checks that every value lies in [lo, hi] (NaN passes: it shows up in the loss). */
export function checkRange(op: string, what: string, t: Tensor, lo: number, hi: number, hint = ''): void {
  const data = t.backend.read(t.storage);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo || v > hi) {
      throw new ValueError(op, `${what} must lie in [${lo}, ${hi}], but entry ${i} is ${v}${hint}`);
    }
  }
}

/**
 * Class indices [B] (or [B, 1]) as a one-hot matrix [B, numClasses] of `dtype`. Indices
 * may be int32 or integer-valued floats in [0, numClasses).
 */
export function oneHot(op: string, target: Tensor, batch: number, numClasses: number, dtype: Tensor['dtype']): Tensor {
  if (!isColumn(target.shape) || target.shape[0] !== batch) {
    throw new ShapeError(op, `expected class indices of shape [${batch}] (one per row of the [${batch}, ${numClasses}] prediction), got ${fmtShape(target.shape)}`);
  }
  const labels = target.backend.read(target.storage);
  const values = new Float64Array(batch * numClasses);
  for (let i = 0; i < batch; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new ValueError(op, `target ${i} is ${c}, not a class index in [0, ${numClasses - 1}]`);
    }
    values[i * numClasses + c] = 1;
  }
  return fromValues(values, [batch, numClasses], dtype);
}
