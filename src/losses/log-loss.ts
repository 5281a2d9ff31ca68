import { ShapeError, fmtShape } from '../core/errors.js';
import { binaryCrossEntropy } from '../ops/binary-cross-entropy.js';
import { clamp } from '../ops/clamp.js';
import { log } from '../ops/log.js';
import { mul } from '../ops/mul.js';
import { neg } from '../ops/neg.js';
import { sum } from '../ops/sum.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, checkTensors, type LossOptions } from './loss.js';
import { checkRange, columnPair, oneHot } from './targets.js';

export interface LogLossOptions extends LossOptions {
  /**
   * Probabilities are clamped to [eps, 1 - eps] before the log, so that a saturated
   * prediction gives a large finite loss instead of Infinity or NaN. Default 1e-12 for
   * float64 and 1e-7 for float32 (1 - 1e-12 would round to 1 in float32).
   */
  eps?: number;
}

/**
 * The project brief's LogLoss: binary cross-entropy on probabilities,
 * L = -(1/B) (yᵀ log p + (1 - y)ᵀ log(1 - p)).
 *
 * - Binary: `prediction` [B] or [B, 1] holds P(class 1) (a sigmoid output); `target` [B]
 *   or [B, 1] holds 0/1 labels (int32 or float; soft labels in [0, 1] work too).
 * - Multi-class: `prediction` [B, C] with C > 1 holds class probabilities (a softmax
 *   output) and `target` [B] holds class indices; L = -(1/B) Σ_i log p[i, y_i], the same
 *   formula with one-hot targets (as scikit-learn's `log_loss`).
 *
 * p is clamped to [eps, 1 - eps] (see `eps`); where the clamp is active the gradient is 0.
 */
export class LogLoss extends Loss {
  readonly eps: number | undefined;

  constructor(options: LogLossOptions = {}) {
    super(options);
    this.eps = options.eps;
  }

  forward(prediction: Tensor, target: Tensor): Tensor {
    checkTensors('LogLoss', prediction, target);
    const eps = this.eps ?? (prediction.dtype === 'float32' ? 1e-7 : 1e-12);
    const hint = ' (LogLoss takes probabilities; for logits use BCEWithLogitsLoss or CrossEntropyLoss)';
    checkRange('LogLoss', 'predicted probabilities', prediction, 0, 1, hint);
    if (prediction.ndim === 2 && prediction.shape[1] > 1) {
      const [b, c] = prediction.shape;
      const mask = oneHot('LogLoss', target, b, c, prediction.dtype);
      const p = clamp(prediction, eps, 1 - eps);
      return this.reduce(neg(sum(mul(mask, log(p)), -1)));
    }
    if (prediction.ndim > 2) {
      throw new ShapeError('LogLoss', `expected probabilities of shape [B], [B, 1] or [B, C], got ${fmtShape(prediction.shape)}`);
    }
    const [p0, y] = columnPair('LogLoss', prediction, target);
    checkRange('LogLoss', 'targets', y, 0, 1);
    return this.reduce(binaryCrossEntropy(p0, y, eps));
  }
}
