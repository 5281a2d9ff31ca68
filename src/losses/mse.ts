import { ShapeError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { cast } from '../ops/cast.js';
import { mul } from '../ops/mul.js';
import { reshape } from '../ops/reshape.js';
import { sub } from '../ops/sub.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, checkTensors } from './loss.js';

/**
 * Mean squared error, mean((prediction - target)²) over all elements. The shapes must be
 * equal, except that [B] and [B, 1] pair up (never broadcast to [B, B]).
 */
export class MSELoss extends Loss {
  forward(prediction: Tensor, target: Tensor): Tensor {
    checkTensors('MSELoss', prediction, target);
    let y = target;
    if (!shapesEqual(prediction.shape, target.shape)) {
      const pairs = prediction.size === target.size && prediction.shape[0] === target.shape[0] && Math.max(prediction.ndim, target.ndim) <= 2;
      if (!pairs) {
        throw new ShapeError('MSELoss', `prediction of shape ${fmtShape(prediction.shape)} and target of shape ${fmtShape(target.shape)} differ`);
      }
      y = reshape(target, prediction.shape);
    }
    const d = sub(prediction, cast(y, prediction.dtype === 'int32' ? 'float64' : prediction.dtype));
    return this.reduce(mul(d, d));
  }
}
