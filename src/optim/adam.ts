import { ValueError } from '../core/errors.js';
import { add } from '../ops/add.js';
import { div } from '../ops/div.js';
import { maximum } from '../ops/maximum.js';
import { mul } from '../ops/mul.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import type { Tensor } from '../tensor/tensor.js';
import { Optimizer, checkHyper, type ParamsOrModule } from './optimizer.js';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

interface Moments {
  m: Tensor;
  v: Tensor;
  vMax: Tensor | null;
  /** Steps taken for this parameter (a parameter may first get a gradient late). */
  t: number;
}

/**
 * Adam (Kingma & Ba) with PyTorch's semantics and defaults. Per parameter, with
 * g = grad (+ weightDecay·p): m ← β1·m + (1 - β1)·g, v ← β2·v + (1 - β2)·g²,
 * p ← p - lr · (m / (1 - β1^t)) / (sqrt(v / (1 - β2^t)) + eps).
 */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private readonly moments = new Map<number, Moments>();

  constructor(paramsOrModule: ParamsOrModule, options: AdamOptions = {}) {
    const op = new.target.name;
    if (options === null || typeof options !== 'object') throw new ValueError(op, 'options must be an object');
    super(paramsOrModule, options.lr ?? 1e-3);
    const { betas = [0.9, 0.999], eps = 1e-8, weightDecay = this.decoupled ? 1e-2 : 0, amsgrad = false } = options;
    if (!Array.isArray(betas) || betas.length !== 2) throw new ValueError(op, `betas must be a pair [beta1, beta2], got ${String(betas)}`);
    this.betas = [checkHyper(op, 'betas[0]', betas[0], 0, 1), checkHyper(op, 'betas[1]', betas[1], 0, 1)];
    this.eps = checkHyper(op, 'eps', eps, 0);
    this.weightDecay = checkHyper(op, 'weightDecay', weightDecay, 0);
    this.amsgrad = amsgrad;
  }

  /** Whether weight decay is decoupled from the gradient (AdamW) or added to it (Adam). */
  protected get decoupled(): boolean {
    return false;
  }

  protected override stateTensors(): Tensor[] {
    return [...this.moments.values()].flatMap(({ m, v, vMax }) => (vMax ? [m, v, vMax] : [m, v]));
  }

  protected update(p: Tensor, grad: Tensor, i: number): Tensor {
    const [b1, b2] = this.betas;
    let param = p;
    let g = grad;
    if (this.weightDecay !== 0) {
      if (this.decoupled) param = mul(p, 1 - this.lr * this.weightDecay);
      else g = add(g, mul(p, this.weightDecay));
    }
    const prev = this.moments.get(i);
    const t = (prev?.t ?? 0) + 1;
    const m = prev ? add(mul(prev.m, b1), mul(g, 1 - b1)) : mul(g, 1 - b1);
    const v = prev ? add(mul(prev.v, b2), mul(mul(g, g), 1 - b2)) : mul(mul(g, g), 1 - b2);
    const vMax = this.amsgrad ? (prev?.vMax ? maximum(prev.vMax, v) : v) : null;
    this.moments.set(i, { m, v, vMax, t });
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const denom = add(div(sqrt(vMax ?? v), Math.sqrt(bc2)), this.eps);
    return sub(param, mul(div(m, denom), this.lr / bc1));
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, p ← p·(1 - lr·weightDecay)
 * before the Adam step; PyTorch's defaults (weightDecay 1e-2).
 */
export class AdamW extends Adam {
  protected override get decoupled(): boolean {
    return true;
  }
}
