import { ValueError } from '../core/errors.js';
import type { Generator } from '../core/random.js';
import { div } from '../ops/div.js';
import { greaterEqual } from '../ops/compare.js';
import { mul } from '../ops/mul.js';
import { rand } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

export interface DropoutOptions {
  /** Draw the masks from this generator (default: the global one, see `tg.manualSeed`). */
  generator?: Generator;
}

/**
 * In training mode, zeroes each entry with probability `p` and scales the rest by
 * 1 / (1 - p), so that the expected value is unchanged ("inverted dropout", as PyTorch);
 * in eval mode, the identity.
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError('Dropout', `p must be a probability in [0, 1], got ${String(p)}`);
    this.p = p;
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = greaterEqual(rand(x.shape, { dtype: x.dtype === 'float32' ? 'float32' : 'float64', generator: this.generator }), this.p);
    if (this.p === 1) return mul(x, keep);
    return div(mul(x, keep), 1 - this.p);
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}
