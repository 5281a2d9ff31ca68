import { ValueError } from '../core/errors.js';
import { noGrad } from '../autodiff/grad-mode.js';
import { argmax } from '../ops/argmax.js';
import { cast } from '../ops/cast.js';
import { greaterEqual } from '../ops/compare.js';
import { reshape } from '../ops/reshape.js';
import { softmax } from '../ops/softmax.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkDim, type InitOptions } from './init.js';
import { Linear, type LinearOptions } from './linear.js';
import { Module } from './module.js';

export type FeedForwardOptions = InitOptions & Pick<LinearOptions, 'bias'>;

/**
 * The project brief's model: `inLayer` -> ReLU -> `nHidLayers` × (hidden Linear -> ReLU)
 * -> `outLayer` -> output activation.
 *
 * With `outDim = 1` (the brief's binary classifier) the output is sigmoid(z), shape [B, 1]:
 * the probability of class 1, for `LogLoss`. With `outDim > 1` it is softmax(z) over the
 * last axis, shape [B, outDim]: one probability per class, which `LogLoss` also takes
 * (with class indices as targets). For a loss on logits instead (`CrossEntropyLoss`,
 * `BCEWithLogitsLoss`), build the layers with `Sequential`.
 */
export class FeedForward extends Module {
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly outDim: number;
  inLayer: Linear;
  hidLayers: Linear[];
  outLayer: Linear;

  constructor(inputDim: number, hiddenDim: number, outDim = 1, nHidLayers = 0, options: FeedForwardOptions = {}) {
    super();
    this.inputDim = checkDim('FeedForward', 'inputDim', inputDim);
    this.hiddenDim = checkDim('FeedForward', 'hiddenDim', hiddenDim);
    this.outDim = checkDim('FeedForward', 'outDim', outDim);
    if (typeof nHidLayers !== 'number' || !Number.isInteger(nHidLayers) || nHidLayers < 0) {
      throw new ValueError('FeedForward', `nHidLayers must be a non-negative integer, got ${String(nHidLayers)}`);
    }
    this.inLayer = new Linear(inputDim, hiddenDim, options);
    this.hidLayers = Array.from({ length: nHidLayers }, () => new Linear(hiddenDim, hiddenDim, options));
    this.outLayer = new Linear(hiddenDim, outDim, options);
  }

  /** Class probabilities: [B, 1] (sigmoid) for outDim 1, [B, outDim] (softmax) otherwise. */
  forward(x: Tensor): Tensor {
    let h = this.inLayer.forwardWithActivation(x, 'relu');
    for (const layer of this.hidLayers) h = layer.forwardWithActivation(h, 'relu');
    return this.outDim === 1 ? this.outLayer.forwardWithActivation(h, 'sigmoid') : softmax(this.outLayer.forward(h), -1);
  }

  /**
   * Predicted labels as int32 of shape [B] (a scalar for a single [inputDim] example):
   * 1 where the probability is >= 0.5 for outDim 1, the most probable class otherwise.
   * Runs without tracking, whatever the mode.
   */
  predict(x: Tensor): Tensor {
    return noGrad(() => {
      const p = this.forward(x);
      if (this.outDim > 1) return argmax(p, -1);
      return cast(reshape(greaterEqual(p, 0.5), p.shape.slice(0, -1)), 'int32');
    });
  }

  protected override extraRepr(): string {
    const head = this.outDim === 1 ? 'sigmoid' : 'softmax';
    return `inputDim=${this.inputDim}, hiddenDim=${this.hiddenDim}, outDim=${this.outDim}, nHidLayers=${this.hidLayers.length}, output=${head}`;
  }
}
