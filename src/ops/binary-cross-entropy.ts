import { defineOp } from '../autodiff/define-op.js';
import { getGradMode } from '../autodiff/grad-mode.js';
import { promoteTypes, type DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { clamp } from './clamp.js';
import { div } from './div.js';
import { log } from './log.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { mapBinary, mapUnary, operands, sumPresent, type TensorLike } from './util.js';

interface BceAttrs {
  readonly eps: number;
}

/**
 * The clamp's bounds [eps, 1 - eps] and the complement 1 - pc as the dtype holds them: in
 * float32 the bounds round to float32 (1 - 1e-7 is 1 - 2^-23 there, as `clamp` with float32
 * operands gives), and so does 1 - pc.
 */
class Bounds {
  readonly lo: number;
  readonly hi: number;
  readonly complement: (c: number) => number;

  constructor(eps: number, dtype: DType) {
    const f32 = dtype === 'float32';
    this.lo = f32 ? Math.fround(eps) : eps;
    this.hi = f32 ? Math.fround(1 - eps) : 1 - eps;
    this.complement = f32 ? (c) => Math.fround(1 - c) : (c) => 1 - c;
  }

  /** The bounds, for a native kernel (which must compute as the methods below do). */
  get params(): readonly number[] {
    return [this.lo, this.hi];
  }

  clamp(p: number): number {
    return p < this.lo ? this.lo : p > this.hi ? this.hi : p;
  }

  /** d clamp(p)/dp: 1 inside, 0 outside, 1/2 at a bound (as `clamp`, built from maximum and minimum). */
  slope(p: number): number {
    if (p > this.lo && p < this.hi) return 1;
    return p === this.lo || p === this.hi ? 0.5 : p !== p ? p : 0;
  }

  /** The loss of one example: -(y log pc + (1 - y) log(1 - pc)), pc = clamp(p). */
  value(p: number, y: number): number {
    const c = this.clamp(p);
    return -(y * Math.log(c) + (1 - y) * Math.log(this.complement(c)));
  }

  /** ∂loss/∂p = clamp'(p) ((1 - y)/(1 - pc) - y/pc). */
  slopeP(p: number, y: number): number {
    const c = this.clamp(p);
    return this.slope(p) * ((1 - y) / this.complement(c) - y / c);
  }

  /** ∂loss/∂y = log(1 - pc) - log(pc). */
  slopeY(p: number): number {
    const c = this.clamp(p);
    return Math.log(this.complement(c)) - Math.log(c);
  }
}

/**
 * The two partial derivatives as tensors. When nothing records derivatives each is one
 * kernel; otherwise the same formulas in differentiable ops (for createGraph and Hessians:
 * the clamp's slope is piecewise constant, so it enters as a constant factor).
 */
function slopes(p: Tensor, y: Tensor, eps: number, needP: boolean, needY: boolean): [Tensor | null, Tensor | null] {
  const dtype = promoteTypes(p.dtype, y.dtype);
  const bounds = new Bounds(eps, dtype);
  if (getGradMode() === 'none') {
    return [
      needP ? mapBinary('bceSlopeP', (a, b) => bounds.slopeP(a, b), p, y, dtype, bounds.params) : null,
      needY ? mapBinary('bceSlopeY', (a) => bounds.slopeY(a), p, y, dtype, bounds.params) : null,
    ];
  }
  const c = clamp(p, eps, 1 - eps);
  const slope = mapUnary('bceClampSlope', (a) => bounds.slope(a), p);
  return [
    needP ? mul(slope, sub(div(sub(1, y), sub(1, c)), div(y, c))) : null,
    needY ? sub(log(sub(1, c)), log(c)) : null,
  ];
}

const bceOp = defineOp<BceAttrs>({
  name: 'binaryCrossEntropy',
  elementwise: true,
  broadcasts: true,
  forward: ([p, y], { eps }) => {
    const dtype = promoteTypes(p.dtype, y.dtype);
    const bounds = new Bounds(eps, dtype);
    return mapBinary('binaryCrossEntropy', (a, b) => bounds.value(a, b), p, y, dtype, bounds.params);
  },
  jvp: ({ inputs: [p, y], attrs }, [dp, dy]) => {
    const [sp, sy] = slopes(p, y, attrs.eps, dp !== null, dy !== null);
    return sumPresent(dp && mul(dp, sp!), dy && mul(dy, sy!));
  },
  vjp: ({ inputs: [p, y], attrs }, g, needs) => {
    const [sp, sy] = slopes(p, y, attrs.eps, needs[0], needs[1]);
    return [sp && mul(g, sp), sy && mul(g, sy)];
  },
});

/**
 * Binary cross-entropy of probabilities `p` against targets `y` in [0, 1], elementwise with
 * broadcasting and without reduction: -(y log pc + (1 - y) log(1 - pc)), where
 * pc = clamp(p, eps, 1 - eps) keeps a saturated prediction finite.
 * ∂/∂p = clamp'(p)·((1 - y)/(1 - pc) - y/pc) (0 where the clamp is active), ∂/∂y = log(1 - pc) - log(pc).
 * One kernel forward and one per needed input backward, where the same formula written with
 * log, mul and sub takes a dozen (LogLoss uses it).
 */
export function binaryCrossEntropy(p: TensorLike, y: TensorLike, eps = 1e-12): Tensor {
  if (!(eps >= 0 && eps < 0.5)) throw new ValueError('binaryCrossEntropy', `eps must lie in [0, 0.5), got ${eps}`);
  return bceOp(operands('binaryCrossEntropy', p, y), { eps });
}
