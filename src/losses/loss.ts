import { ValueError } from '../core/errors.js';
import { mean } from '../ops/mean.js';
import { sum } from '../ops/sum.js';
import { Tensor } from '../tensor/tensor.js';

/** How per-example losses become the result: their mean (default), their sum, or all of them. */
export type Reduction = 'mean' | 'sum' | 'none';

export interface LossOptions {
  /** 'mean' (default) and 'sum' give a scalar; 'none' gives the per-example losses. */
  reduction?: Reduction;
}

/**
 * Base of the losses: `loss.forward(prediction, target)` returns a scalar tensor (with the
 * default reduction) whose `backward()` fills the parameters' gradients.
 */
export abstract class Loss {
  readonly reduction: Reduction;

  constructor(options: LossOptions = {}) {
    const { reduction = 'mean' } = options;
    if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
      throw new ValueError(this.constructor.name, `unknown reduction ${JSON.stringify(reduction)}; expected 'mean', 'sum' or 'none'`);
    }
    this.reduction = reduction;
  }

  /** The loss of `prediction` against `target`. */
  abstract forward(prediction: Tensor, target: Tensor): Tensor;

  /** Applies the reduction to per-example (or per-element) losses. */
  protected reduce(losses: Tensor): Tensor {
    if (this.reduction === 'none') return losses;
    return this.reduction === 'sum' ? sum(losses) : mean(losses);
  }

  toString(): string {
    return `${this.constructor.name}(reduction=${this.reduction})`;
  }
}

/** Checks that both arguments of a loss are tensors. */
export function checkTensors(op: string, prediction: unknown, target: unknown): void {
  if (!(prediction instanceof Tensor)) throw new ValueError(op, `the prediction must be a Tensor, got ${describe(prediction)}`);
  if (!(target instanceof Tensor)) throw new ValueError(op, `the target must be a Tensor, got ${describe(target)}`);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array (wrap it with tg.tensor)';
  return typeof x;
}
