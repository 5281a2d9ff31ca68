import { ShapeError, fmtShape } from '../core/errors.js';
import { mul } from '../ops/mul.js';
import { neg } from '../ops/neg.js';
import { logSoftmax } from '../ops/softmax.js';
import { sum } from '../ops/sum.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, checkTensors } from './loss.js';
import { oneHot } from './targets.js';

/**
 * Multi-class cross-entropy from logits (PyTorch's `CrossEntropyLoss`): `prediction` is
 * [B, C] unnormalized scores, `target` is [B] class indices (int32 or integer floats);
 * per example -log softmax(z)[y] = logsumexp(z) - z[y], computed with the stable
 * logSoftmax and a one-hot mask.
 */
export class CrossEntropyLoss extends Loss {
  forward(prediction: Tensor, target: Tensor): Tensor {
    checkTensors('CrossEntropyLoss', prediction, target);
    if (prediction.ndim !== 2) {
      throw new ShapeError('CrossEntropyLoss', `expected logits of shape [B, C], got ${fmtShape(prediction.shape)}`);
    }
    const [b, c] = prediction.shape;
    const mask = oneHot('CrossEntropyLoss', target, b, c, prediction.dtype === 'int32' ? 'float64' : prediction.dtype);
    return this.reduce(neg(sum(mul(mask, logSoftmax(prediction, -1)), -1)));
  }
}
