import { logsumexp } from '../ops/softmax.js';
import { mul } from '../ops/mul.js';
import { stack } from '../ops/shape-ops.js';
import { sub } from '../ops/sub.js';
import { zerosLike } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Loss, checkTensors } from './loss.js';
import { checkRange, columnPair } from './targets.js';

/**
 * Binary cross-entropy on logits z (before the sigmoid): per example
 * log(1 + e^z) - z·y, which equals max(z, 0) - z·y + log1p(e^-|z|) and never overflows.
 * `prediction` and `target` are [B] or [B, 1]; targets are 0/1 (or soft labels in [0, 1]).
 *
 * NOTE: log(1 + e^z) is computed as logsumexp([0, z]) rather than with max and |z|: the
 * value is the same, but the derivative then comes out as sigmoid(z) - y everywhere,
 * z = 0 included (the max/abs form has kinks there whose subgradient 0 would give -y).
 */
export class BCEWithLogitsLoss extends Loss {
  forward(prediction: Tensor, target: Tensor): Tensor {
    checkTensors('BCEWithLogitsLoss', prediction, target);
    const [z, y] = columnPair('BCEWithLogitsLoss', prediction, target);
    checkRange('BCEWithLogitsLoss', 'targets', y, 0, 1);
    const softplus = logsumexp(stack([zerosLike(z), z], -1), -1);
    return this.reduce(sub(softplus, mul(z, y)));
  }
}
