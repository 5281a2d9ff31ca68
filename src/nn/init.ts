import { checkDType, isFloat, type DType } from '../core/dtype.js';
import { DTypeError, ValueError } from '../core/errors.js';
import type { Generator } from '../core/random.js';
import { cast } from '../ops/cast.js';
import { mul } from '../ops/mul.js';
import { sub } from '../ops/sub.js';
import { rand, randn, zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * How a layer draws its initial weights:
 * - `'normal'`: N(0, 1) for weight and bias, the project brief's LinearLayer;
 * - `'xavier'`: Glorot uniform, U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), bias 0
 *   (keeps activation variance steady through tanh/sigmoid layers);
 * - `'he'`: He normal, N(0, 2 / fanIn), bias 0 (the same for ReLU layers).
 */
export type InitScheme = 'normal' | 'xavier' | 'he';

export interface InitOptions {
  /** Weight initialization (default `'normal'`, the brief's). */
  init?: InitScheme;
  /** Parameter dtype (default float64). */
  dtype?: DType;
  /** Draw from this generator instead of the global one (see `tg.manualSeed`). */
  generator?: Generator;
}

/** Checks the dtype option of a layer: a float dtype. */
export function layerDType(op: string, dtype: DType | undefined): DType {
  const d = dtype === undefined ? 'float64' : checkDType(op, dtype);
  if (!isFloat(d)) throw new DTypeError(op, `parameters must be float32 or float64, got ${d}`);
  return d;
}

/** Checks a layer size: a positive integer. */
export function checkDim(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(op, `${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** A weight matrix [fanIn, fanOut] drawn by `scheme`, requiring gradients. */
export function initWeight(op: string, fanIn: number, fanOut: number, opts: InitOptions): Tensor {
  const dtype = layerDType(op, opts.dtype);
  const scheme = opts.init ?? 'normal';
  const { generator } = opts;
  const shape = [fanIn, fanOut];
  let w: Tensor;
  switch (scheme) {
    case 'normal':
      return randn(shape, { dtype, generator, requiresGrad: true });
    case 'xavier': {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      w = sub(mul(rand(shape, { dtype: 'float64', generator }), 2 * a), a);
      break;
    }
    case 'he':
      w = mul(randn(shape, { dtype: 'float64', generator }), Math.sqrt(2 / fanIn));
      break;
    default:
      throw new ValueError(op, `unknown init ${JSON.stringify(scheme)}; expected 'normal', 'xavier' or 'he'`);
  }
  // a fresh leaf: the draws were computed untracked, so cast's result has no history
  return cast(w, dtype).detach().requiresGrad_(true);
}

/** A bias row [1, fanOut]: N(0, 1) for the brief's `'normal'` init, zeros otherwise. */
export function initBias(op: string, fanOut: number, opts: InitOptions): Tensor {
  const dtype = layerDType(op, opts.dtype);
  if ((opts.init ?? 'normal') === 'normal') return randn([1, fanOut], { dtype, generator: opts.generator, requiresGrad: true });
  return zeros([1, fanOut], { dtype, requiresGrad: true });
}
