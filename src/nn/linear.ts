import { ShapeError, fmtShape } from '../core/errors.js';
import { cast } from '../ops/cast.js';
import { linear, type LinearActivation } from '../ops/linear.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkDim, initBias, initWeight, type InitOptions } from './init.js';
import { Module } from './module.js';

export interface LinearOptions extends InitOptions {
  /** Add a learned bias row (default true). */
  bias?: boolean;
}

/**
 * The project brief's LinearLayer: `x·W + b` with W of shape [inDim, outDim] and b of
 * shape [1, outDim] (note: W is stored input-major, the transpose of PyTorch's layout).
 * `x` is [B, inDim] (or [inDim] for one example, giving [outDim]; extra leading axes
 * are batches). The default init draws W and b from N(0, 1), as the brief does.
 * An input of another dtype is cast to the layer's (as Keras layers do), so a float32
 * model computes in float32 whatever the data's dtype.
 */
export class Linear extends Module {
  readonly inDim: number;
  readonly outDim: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inDim: number, outDim: number, options: LinearOptions = {}) {
    super();
    this.inDim = checkDim('Linear', 'inDim', inDim);
    this.outDim = checkDim('Linear', 'outDim', outDim);
    this.weight = initWeight('Linear', inDim, outDim, options);
    this.bias = options.bias === false ? null : initBias('Linear', outDim, options);
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithActivation(x, null);
  }

  /**
   * activation(x·W + b) for x [..., inDim] (relu, sigmoid or tanh; null for none): the same
   * values as the activation applied to `forward(x)`, with the activation run in the same
   * kernel call as the product (see tg.linear). FeedForward uses it.
   */
  forwardWithActivation(x: Tensor, activation: LinearActivation | null): Tensor {
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inDim) {
      throw new ShapeError('Linear', `expected an input whose last dimension is ${this.inDim} (shape [B, ${this.inDim}]), got shape ${fmtShape(x.shape)}`);
    }
    const input = x.dtype === this.weight.dtype ? x : cast(x, this.weight.dtype);
    return linear(input, this.weight, this.bias, activation);
  }

  protected override extraRepr(): string {
    return `inDim=${this.inDim}, outDim=${this.outDim}, bias=${this.bias !== null}, dtype=${this.weight.dtype}`;
  }
}
