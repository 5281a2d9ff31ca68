import type { DType } from '../core/dtype.js';
import { backward, type BackwardOptions } from '../autodiff/backward.js';
import { jacobian, jacobians } from '../autodiff/jacobian.js';
import { Tensor } from '../tensor/tensor.js';
import { abs } from './abs.js';
import { add } from './add.js';
import { argmax, argmin } from './argmax.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { clamp } from './clamp.js';
import { equal, greater, greaterEqual, less, lessEqual, notEqual } from './compare.js';
import { cos } from './cos.js';
import { div } from './div.js';
import { exp } from './exp.js';
import { index, type IndexSpec } from './indexing.js';
import { log } from './log.js';
import { log1p } from './log1p.js';
import { matmul } from './matmul.js';
import { max } from './max.js';
import { maximum } from './maximum.js';
import { mean } from './mean.js';
import { min } from './min.js';
import { minimum } from './minimum.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { pow } from './pow.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { flatten, squeeze, unsqueeze } from './shape-ops.js';
import { sigmoid } from './sigmoid.js';
import { sign } from './sign.js';
import { sin } from './sin.js';
import { logSoftmax, logsumexp, softmax } from './softmax.js';
import { sqrt } from './sqrt.js';
import { sub } from './sub.js';
import { sum } from './sum.js';
import { tanh } from './tanh.js';
import { tensordot, type TensordotAxes } from './tensordot.js';
import { transpose } from './transpose.js';
import type { TensorLike } from './util.js';

type Axis = number | readonly number[] | null;

// The Tensor class lives below the ops layer; its op methods are added here, where the
// ops are, so that imports keep flowing one way.
declare module '../tensor/tensor.js' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
    logsumexp(axis?: Axis, keepdims?: boolean): Tensor;
    sum(axis?: Axis, keepdims?: boolean): Tensor;
    mean(axis?: Axis, keepdims?: boolean): Tensor;
    max(axis?: Axis, keepdims?: boolean): Tensor;
    min(axis?: Axis, keepdims?: boolean): Tensor;
    argmax(axis?: number | null, keepdims?: boolean): Tensor;
    argmin(axis?: number | null, keepdims?: boolean): Tensor;
    matmul(other: TensorLike): Tensor;
    tensordot(other: TensorLike, axes?: TensordotAxes): Tensor;
    transpose(perm?: readonly number[]): Tensor;
    /** The transpose (axes reversed). */
    readonly T: Tensor;
    reshape(shape: readonly number[]): Tensor;
    squeeze(axis?: number | readonly number[]): Tensor;
    unsqueeze(axis: number): Tensor;
    flatten(startAxis?: number, endAxis?: number): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    index(...specs: IndexSpec[]): Tensor;
    cast(dtype: DType): Tensor;
    clamp(lo: TensorLike | null, hi?: TensorLike | null): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    /** Accumulates gradients into `.grad` of the leaves (see tg.backward). */
    backward(gradient?: Tensor, options?: BackwardOptions): void;
    /** d this / d w, shape `[...this.shape, ...w.shape]`. */
    jacobian(w: Tensor): Tensor;
    /** Every Jacobian this tensor carries (forward mode) or can reach (reverse mode), keyed by leaf. */
    readonly jacobians: Map<Tensor, Tensor>;
  }
}

const methods: Record<string, (this: Tensor, ...args: never[]) => unknown> = {
  add(this: Tensor, o: TensorLike) { return add(this, o); },
  sub(this: Tensor, o: TensorLike) { return sub(this, o); },
  mul(this: Tensor, o: TensorLike) { return mul(this, o); },
  div(this: Tensor, o: TensorLike) { return div(this, o); },
  pow(this: Tensor, e: TensorLike) { return pow(this, e); },
  maximum(this: Tensor, o: TensorLike) { return maximum(this, o); },
  minimum(this: Tensor, o: TensorLike) { return minimum(this, o); },
  neg(this: Tensor) { return neg(this); },
  exp(this: Tensor) { return exp(this); },
  log(this: Tensor) { return log(this); },
  log1p(this: Tensor) { return log1p(this); },
  sqrt(this: Tensor) { return sqrt(this); },
  abs(this: Tensor) { return abs(this); },
  sign(this: Tensor) { return sign(this); },
  tanh(this: Tensor) { return tanh(this); },
  sigmoid(this: Tensor) { return sigmoid(this); },
  relu(this: Tensor) { return relu(this); },
  sin(this: Tensor) { return sin(this); },
  cos(this: Tensor) { return cos(this); },
  softmax(this: Tensor, axis?: number) { return softmax(this, axis); },
  logSoftmax(this: Tensor, axis?: number) { return logSoftmax(this, axis); },
  logsumexp(this: Tensor, axis?: Axis, k?: boolean) { return logsumexp(this, axis, k); },
  sum(this: Tensor, axis?: Axis, k?: boolean) { return sum(this, axis, k); },
  mean(this: Tensor, axis?: Axis, k?: boolean) { return mean(this, axis, k); },
  max(this: Tensor, axis?: Axis, k?: boolean) { return max(this, axis, k); },
  min(this: Tensor, axis?: Axis, k?: boolean) { return min(this, axis, k); },
  argmax(this: Tensor, axis?: number | null, k?: boolean) { return argmax(this, axis, k); },
  argmin(this: Tensor, axis?: number | null, k?: boolean) { return argmin(this, axis, k); },
  matmul(this: Tensor, o: TensorLike) { return matmul(this, o); },
  tensordot(this: Tensor, o: TensorLike, axes?: TensordotAxes) { return tensordot(this, o, axes); },
  transpose(this: Tensor, perm?: readonly number[]) { return transpose(this, perm); },
  reshape(this: Tensor, shape: readonly number[]) { return reshape(this, shape); },
  squeeze(this: Tensor, axis?: number | readonly number[]) { return squeeze(this, axis); },
  unsqueeze(this: Tensor, axis: number) { return unsqueeze(this, axis); },
  flatten(this: Tensor, s?: number, e?: number) { return flatten(this, s, e); },
  broadcastTo(this: Tensor, shape: readonly number[]) { return broadcastTo(this, shape); },
  index(this: Tensor, ...specs: IndexSpec[]) { return index(this, ...specs); },
  cast(this: Tensor, dtype: DType) { return cast(this, dtype); },
  clamp(this: Tensor, lo: TensorLike | null, hi?: TensorLike | null) { return clamp(this, lo, hi ?? null); },
  eq(this: Tensor, o: TensorLike) { return equal(this, o); },
  ne(this: Tensor, o: TensorLike) { return notEqual(this, o); },
  lt(this: Tensor, o: TensorLike) { return less(this, o); },
  le(this: Tensor, o: TensorLike) { return lessEqual(this, o); },
  gt(this: Tensor, o: TensorLike) { return greater(this, o); },
  ge(this: Tensor, o: TensorLike) { return greaterEqual(this, o); },
  backward(this: Tensor, gradient?: Tensor, options?: BackwardOptions) { backward(this, gradient, options); },
  jacobian(this: Tensor, w: Tensor) { return jacobian(this, w); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) { return transpose(this); },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, 'jacobians', {
  get(this: Tensor) { return jacobians(this); },
  configurable: true,
});
