import { floatResult } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { noGrad } from '../autodiff/grad-mode.js';
import { cast } from '../ops/cast.js';
import { div } from '../ops/div.js';
import { max } from '../ops/max.js';
import { mean } from '../ops/mean.js';
import { min } from '../ops/min.js';
import { mul } from '../ops/mul.js';
import { sqrt } from '../ops/sqrt.js';
import { sub } from '../ops/sub.js';
import { add } from '../ops/add.js';
import { fromValues } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Base of the scalers: `fit(x)` learns statistics from training features [n, f],
 * `transform(x)` applies them (to training and test data alike), `fitTransform(x)` does
 * both. Results are float (int32 features become float64); inputs are never changed.
 */
export abstract class Scaler {
  /** Subtracted from the features (per feature, or a scalar); null before fit. */
  offset: Tensor | null = null;
  /** The features are divided by this after the offset; null before fit. */
  scale: Tensor | null = null;

  /** Learns the statistics of `x` [n, f]; returns this. */
  fit(x: Tensor): this {
    const t = this.check('fit', x, false);
    const [offset, scale] = noGrad(() => this.statistics(cast(t.detach(), floatResult(t.dtype))));
    this.offset = offset;
    this.scale = scale;
    return this;
  }

  /** (x - offset) / scale with the statistics learned by `fit`. */
  transform(x: Tensor): Tensor {
    const t = this.check('transform', x, true);
    const f = cast(t, floatResult(t.dtype));
    return div(sub(f, cast(this.offset!, f.dtype)), cast(this.scale!, f.dtype));
  }

  /** `fit(x)` then `transform(x)`. */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Undoes `transform`: x·scale + offset. */
  inverseTransform(x: Tensor): Tensor {
    const t = this.check('inverseTransform', x, true);
    const f = cast(t, floatResult(t.dtype));
    return add(mul(f, cast(this.scale!, f.dtype)), cast(this.offset!, f.dtype));
  }

  /** Offset and scale of float features `x` [n, f]. */
  protected abstract statistics(x: Tensor): [Tensor, Tensor];

  /** Whether the statistics are per feature (shape [f]) or one scalar. */
  protected perFeature = true;

  private check(method: string, x: unknown, fitted: boolean): Tensor {
    const op = `${this.constructor.name}.${method}`;
    if (!(x instanceof Tensor)) throw new ValueError(op, `expected a Tensor of features [n, f], got ${x === null ? 'null' : typeof x}`);
    if (x.ndim !== 2) throw new ShapeError(op, `expected features of shape [n, f], got ${fmtShape(x.shape)}`);
    if (!fitted) {
      if (x.shape[0] === 0) throw new ValueError(op, 'cannot fit on zero examples');
      return x;
    }
    if (this.offset === null || this.scale === null) throw new ValueError(op, 'the scaler is not fitted: call fit(xTrain) first');
    if (this.perFeature && x.shape[1] !== this.offset.shape[0]) {
      throw new ShapeError(op, `the scaler was fitted on ${this.offset.shape[0]} features but x has shape ${fmtShape(x.shape)}`);
    }
    return x;
  }
}

/** Replaces zeros (constant features) by ones, so that they are left unscaled. */
function nonZero(t: Tensor): Tensor {
  const v = Float64Array.from(t.dataSync(), (s) => (s === 0 ? 1 : s));
  return fromValues(v, t.shape, t.dtype);
}

/**
 * The project brief's scaling, x / x.max(): every feature divided by the single largest
 * value of the training features (NumPy's `x.max()` over all entries), so the result is
 * at most 1. Offset 0.
 */
export class MaxScaler extends Scaler {
  constructor() {
    super();
    this.perFeature = false;
  }

  protected statistics(x: Tensor): [Tensor, Tensor] {
    const m = max(x);
    const v = m.item();
    if (!Number.isFinite(v) || v === 0) throw new ValueError('MaxScaler.fit', `the largest value is ${v}; cannot divide by it`);
    return [fromValues([0], [], x.dtype), m];
  }
}

/**
 * Per feature, (x - min) / (max - min), mapping the training range onto [0, 1]
 * (then onto `featureRange`). Constant features are shifted to the low end, not scaled.
 */
export class MinMaxScaler extends Scaler {
  readonly featureRange: readonly [number, number];

  constructor(options: { featureRange?: readonly [number, number] } = {}) {
    super();
    const { featureRange = [0, 1] } = options;
    if (!Array.isArray(featureRange) || featureRange.length !== 2 || !(featureRange[0] < featureRange[1])) {
      throw new ValueError('MinMaxScaler', `featureRange must be [low, high] with low < high, got ${String(featureRange)}`);
    }
    this.featureRange = [featureRange[0], featureRange[1]];
  }

  protected statistics(x: Tensor): [Tensor, Tensor] {
    const [lo, hi] = this.featureRange;
    const xmin = min(x, 0);
    const span = nonZero(sub(max(x, 0), xmin));
    // (x - xmin) / span · (hi - lo) + lo  ==  (x - offset) / scale
    const scale = div(span, hi - lo);
    return [sub(xmin, mul(scale, lo)), scale];
  }
}

/**
 * Per feature, (x - mean) / std with the population standard deviation (ddof 0, as
 * scikit-learn's StandardScaler). Features with zero variance are centred, not scaled.
 */
export class StandardScaler extends Scaler {
  protected statistics(x: Tensor): [Tensor, Tensor] {
    const mu = mean(x, 0);
    const d = sub(x, mu);
    const std = sqrt(mean(mul(d, d), 0));
    return [mu, nonZero(std)];
  }
}
