import { ValueError } from '../core/errors.js';
import { add } from '../ops/add.js';
import { mul } from '../ops/mul.js';
import { subScaled } from '../ops/sub.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkHyper, type ParamsOrModule } from './optimizer.js';

export interface SGDOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0: plain gradient descent, the project brief's Optimizer). */
  momentum?: number;
  /** Dampening of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics. With g = grad + weightDecay·p:
 * without momentum p ← p - lr·g; with momentum the buffer is b ← g on the first step,
 * then b ← momentum·b + (1 - dampening)·g, and p ← p - lr·b, or p ← p - lr·(g + momentum·b)
 * with Nesterov.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly buffers = new Map<number, Tensor>();

  constructor(paramsOrModule: ParamsOrModule, options: SGDOptions) {
    if (options === null || typeof options !== 'object') throw new ValueError('SGD', 'options { lr } are required');
    super(paramsOrModule, options.lr);
    const { momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
    this.momentum = checkHyper('SGD', 'momentum', momentum, 0);
    this.dampening = checkHyper('SGD', 'dampening', dampening, 0);
    this.weightDecay = checkHyper('SGD', 'weightDecay', weightDecay, 0);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new ValueError('SGD', `Nesterov momentum needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`);
    }
    this.nesterov = nesterov;
  }

  protected override stateTensors(): Tensor[] {
    return [...this.buffers.values()];
  }

  protected update(p: Tensor, grad: Tensor, i: number): Tensor {
    let g = this.weightDecay === 0 ? grad : add(grad, mul(p, this.weightDecay));
    if (this.momentum !== 0) {
      const prev = this.buffers.get(i);
      const buf = prev === undefined ? g : add(mul(prev, this.momentum), this.dampening === 0 ? g : mul(g, 1 - this.dampening));
      this.buffers.set(i, buf);
      g = this.nesterov ? add(g, mul(buf, this.momentum)) : buf;
    }
    return subScaled(p, g, this.lr);
  }
}
