import { reducedShape, shapesEqual, sizeOf } from '../core/shape.js';
import { ones } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import type { OpContext, OpSpec } from './define-op.js';
import { engineOps } from './engine-ops.js';
import { checkForwardSize } from './grad-mode.js';
import { Factor, type Multiplier } from './kronecker-factor.js';
import { KroneckerTangent, addTangents, isKronecker, type Tangent } from './kronecker.js';

/*
 * How ops act on structured (Kronecker) tangents: the generic rules the engine applies to
 * ops flagged `elementwise` or `layout`, and the op-specific ones (matmul, sum, transpose,
 * reshape, broadcastTo) that those ops' specs hand to the engine as `structuredJvp`.
 * Notation: a tangent T[k·N + n, ...s] = A[k, ...s]·B[n, ...s] of a value of shape S.
 */

const unitAxes = (n: number): number[] => new Array<number>(Math.max(n, 0)).fill(1);

/**
 * Σ over value axes `axes` of a factored tangent. Where one factor is constant along an
 * axis, the other is summed and the result stays factored; where both vary, the result is
 * dense: out[k, n, rest] = Σ_s A[k, rest, s]·B[n, rest, s], one batched matmul (for a
 * loss summed over the batch this is the contraction reverse mode computes).
 */
export function kroneckerSum(t: KroneckerTangent, axes: readonly number[], keepdims: boolean, op = 'sum'): Tangent {
  const { a, b } = t;
  const both = axes.filter((ax) => a.varies(ax) && b.varies(ax));
  const aOnly = axes.filter((ax) => a.varies(ax) && !b.varies(ax));
  const bOnly = axes.filter((ax) => !a.varies(ax) && b.varies(ax));
  // an axis along which neither factor varies adds up `size` equal terms
  const repeats = axes.filter((ax) => !a.varies(ax) && !b.varies(ax)).reduce((n, ax) => n * t.shape[ax], 1);
  let kt = t;
  if (aOnly.length > 0) kt = kt.withA(a.sum(aOnly));
  if (bOnly.length > 0 || repeats !== 1) kt = kt.withB((bOnly.length > 0 ? b.sum(bOnly) : b).times(repeats));
  if (both.length === 0) return kt.dropAxes(axes, keepdims);
  return contract(kt, axes, both, keepdims, op);
}

/** The dense sum over `axes` of a factored tangent whose factors both vary along `both` (and have size 1 on the other reduced axes). */
function contract(t: KroneckerTangent, axes: readonly number[], both: readonly number[], keepdims: boolean, op: string): Tensor {
  const ops = engineOps();
  const { k, n, shape } = t;
  const outShape = reducedShape(shape, axes, keepdims);
  checkForwardSize(op, outShape, [k, n], k * n, t.dtype);
  const rest = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const others = axes.filter((ax) => !both.includes(ax));
  const restShape = rest.map((i) => shape[i]);
  const R = sizeOf(restShape);
  const Q = sizeOf(both.map((i) => shape[i]));
  const plus1 = (xs: readonly number[]) => xs.map((i) => i + 1);
  // A -> [rest..., K, both...] -> [R, K, Q]; B -> [rest..., both..., N] -> [R, Q, N]
  const restA = rest.map((i) => t.a.shape[i + 1]);
  let a = ops.reshape(ops.transpose(t.a.tensor, [...plus1(rest), 0, ...plus1(both), ...plus1(others)]), [...restA, k, Q]);
  if (!shapesEqual(restA, restShape)) a = ops.broadcastTo(a, [...restShape, k, Q]);
  const restB = rest.map((i) => t.b.shape[i + 1]);
  let b = ops.reshape(ops.transpose(t.b.tensor, [...plus1(rest), ...plus1(both), 0, ...plus1(others)]), [...restB, Q, n]);
  if (!shapesEqual(restB, restShape)) b = ops.broadcastTo(b, [...restShape, Q, n]);
  const kn = ops.matmul(ops.reshape(a, [R, k, Q]), ops.reshape(b, [R, Q, n])); // [R, K, N]
  const moved = R === 1 ? kn : ops.transpose(kn, [1, 2, 0]);
  return ops.reshape(moved, [k * n, ...outShape]);
}

/** The factored tangent of a matmul result from its operands' tangents (`da`, `db` already padded to the result's rank). */
export function kroneckerMatmul(a: Tensor, b: Tensor, da: Tangent | null, db: Tangent | null, outShape: readonly number[]): Tangent {
  const ops = engineOps();
  // d(AB) = dA·B + A·dB, each term factored where its tangent is
  const left = da && (isKronecker(da) ? timesRight(da, b, outShape) : ops.matmul(da, b));
  const right = db && (isKronecker(db) ? timesLeft(a, db, outShape) : ops.matmul(a, db));
  if (left && right) return addTangents(left, right, 'matmul');
  return (left ?? right)!;
}

/** dY·C for a factored dY (value [..., M, J]) and C [..., J, I]. */
function timesRight(y: KroneckerTangent, c: Tensor, outShape: readonly number[]): Tangent {
  const ops = engineOps();
  const r = outShape.length;
  const J = c.shape[c.ndim - 2];
  // A constant along j: (A ⊙ B)·C = A ⊙ (B·C), a product of the right factor alone
  if (!y.a.varies(r - 1)) return y.withB(y.b.rightMatmul(c), outShape);
  if (!y.b.varies(r - 1)) return y.withA(y.a.rightMatmul(c), outShape);
  // both vary along j: multiply C in along a new axis, then contract j
  const y3 = y.unitReshape([...y.shape, 1])!;
  const c3 = ops.reshape(c, [1, ...unitAxes(r - c.ndim), ...c.shape.slice(0, -2), 1, J, c.shape[c.ndim - 1]]);
  const shape3 = [...outShape.slice(0, -1), J, outShape[r - 1]];
  return kroneckerSum(y3.withB(y3.b.times(c3), shape3), [r - 1], false, 'matmul');
}

/** C·dY for C [..., I, M] and a factored dY (value [..., M, J]). */
function timesLeft(c: Tensor, y: KroneckerTangent, outShape: readonly number[]): Tangent {
  const ops = engineOps();
  const r = outShape.length;
  const M = c.shape[c.ndim - 1];
  if (!y.a.varies(r - 2)) return y.withB(y.b.leftMatmul(c), outShape);
  if (!y.b.varies(r - 2)) return y.withA(y.a.leftMatmul(c), outShape);
  // both vary along m: multiply C in along a new axis, then contract m
  const y3 = y.unitReshape([...y.shape.slice(0, -2), 1, ...y.shape.slice(-2)])!;
  const c3 = ops.reshape(c, [1, ...unitAxes(r - c.ndim), ...c.shape, 1]);
  const shape3 = [...outShape.slice(0, -1), M, outShape[r - 1]];
  return kroneckerSum(y3.withB(y3.b.times(c3), shape3), [r - 1], false, 'matmul');
}

/** The tangent of transpose(x, perm). */
export function kroneckerTranspose(dx: Tangent | null, perm: readonly number[]): Tangent | null {
  return isKronecker(dx) ? dx.permute(perm) : null;
}

/** The tangent of broadcastTo(x, shape) (dx already padded to the result's rank): the factors broadcast as they are. */
export function kroneckerBroadcastTo(dx: Tangent | null, shape: readonly number[]): Tangent | null {
  return isKronecker(dx) ? dx.broadcastTo(shape) : null;
}

/**
 * The tangent of reshape(x, shape). Inserting or dropping size-1 axes reshapes the
 * factors as they are; any other reshape first expands both factors to the full shape of
 * x (K·|x| + N·|x| entries, still far below the dense K·N·|x|).
 */
export function kroneckerReshape(dx: Tangent | null, shape: readonly number[]): Tangent | null {
  if (!isKronecker(dx)) return null;
  const unit = dx.unitReshape(shape);
  if (unit) return unit;
  const ops = engineOps();
  const full = (f: Factor) => {
    const s = [f.dirs, ...dx.shape];
    return Factor.dense(ops.reshape(shapesEqual(f.shape, s) ? f.tensor : ops.broadcastTo(f.tensor, s), [f.dirs, ...shape]));
  };
  return new KroneckerTangent(full(dx.a), full(dx.b), shape);
}

/** Local derivative of an elementwise op with respect to one input, and its value if uniform. */
interface LocalDerivative {
  readonly tensor: Tensor;
  readonly uniform: number | null;
}

/** The common value of all entries, or null if they differ (or there are none). */
function uniformValue(t: Tensor): number | null {
  const data = t.backend.read(t.storage);
  if (data.length === 0) return null;
  const v = data[0];
  for (let i = 1; i < data.length; i++) if (data[i] !== v) return null;
  return v;
}

/**
 * Each input's local derivative for an elementwise op, found once per op application by
 * running the op's own jvp rule on a probe: a tangent of ones with one direction for that
 * input, none for the others. A jvp is linear in the tangents and an elementwise op's is
 * diagonal, so the result is the factor f_i with out-tangent Σ_i f_i ⊙ dx_i. The rules stay
 * as written; nothing is derived twice.
 */
export class ElementwiseFactors<A> {
  private readonly cache = new Map<number, LocalDerivative>();

  constructor(
    private readonly spec: OpSpec<A>,
    private readonly ctx: OpContext<A>,
  ) {}

  get(i: number): LocalDerivative {
    let f = this.cache.get(i);
    if (!f) {
      const { inputs, out } = this.ctx;
      const x = inputs[i];
      const shape = this.spec.broadcasts ? [...unitAxes(out.ndim - x.ndim), ...x.shape] : x.shape;
      const probes = inputs.map((_, j) => (j === i ? ones([1, ...shape], { dtype: x.dtype }) : null));
      const tensor = this.spec.jvp!(this.ctx, probes);
      f = { tensor, uniform: uniformValue(tensor) };
      this.cache.set(i, f);
    }
    return f;
  }
}

/** The multiplier a local derivative applies: its one value when uniform (no broadcast up to the value's shape). */
function multiplier(d: LocalDerivative): Multiplier {
  return d.uniform ?? d.tensor;
}

/**
 * Out-tangent of an elementwise op when the inputs' tangents are factored and share a
 * factor (say A: B_out = Σ_i f_i ⊙ B_i). Null (densify) when some tangent is dense or the
 * factors differ.
 */
function elementwiseTangent<A>(ts: readonly (Tangent | null)[], locals: ElementwiseFactors<A>, outShape: readonly number[]): Tangent | null {
  const present = ts.flatMap((t, i) => (t === null ? [] : [i]));
  const ks = present.map((i) => ts[i]);
  if (!ks.every(isKronecker)) return null;
  const kts = ks as KroneckerTangent[];
  const [first] = kts;
  if (kts.every((t) => t.a.same(first.a))) return first.withB(Factor.combine(kts.map((t, j) => [t.b, multiplier(locals.get(present[j]))])), outShape);
  if (kts.every((t) => t.b.same(first.b))) return first.withA(Factor.combine(kts.map((t, j) => [t.a, multiplier(locals.get(present[j]))])), outShape);
  return null;
}

/**
 * Out-tangent of a layout op (each output element a copy of one input element, or zero):
 * the op's own jvp moves each factor's entries (expanded to the input's full shape) the
 * way it moves a dense tangent's, and the product of moved factors is the moved product.
 */
function layoutTangent<A>(spec: OpSpec<A>, ctx: OpContext<A>, ts: readonly (Tangent | null)[]): Tangent | null {
  if (!ts.every((t) => t === null || isKronecker(t))) return null;
  const ops = engineOps();
  const full = (f: Factor, x: Tensor) => (shapesEqual(f.shape.slice(1), x.shape) ? f.tensor : ops.broadcastTo(f.tensor, [f.dirs, ...x.shape]));
  const kts = ts as readonly (KroneckerTangent | null)[];
  const a = spec.jvp!(ctx, kts.map((t, i) => t && full(t.a, ctx.inputs[i])));
  const b = spec.jvp!(ctx, kts.map((t, i) => t && full(t.b, ctx.inputs[i])));
  return new KroneckerTangent(Factor.dense(a), Factor.dense(b), ctx.out.shape);
}

/**
 * The out-tangent of an op when some input tangent is factored, without densifying: the
 * op's own structured rule, else the generic elementwise or layout rule. Null when none
 * applies; the engine then densifies and runs the op's jvp.
 */
export function structuredStep<A>(spec: OpSpec<A>, ctx: OpContext<A>, ts: readonly (Tangent | null)[], factors: ElementwiseFactors<A>): Tangent | null {
  if (spec.structuredJvp) return spec.structuredJvp(ctx, ts);
  if (spec.elementwise) return elementwiseTangent(ts, factors, ctx.out.shape);
  if (spec.layout) return layoutTangent(spec, ctx, ts);
  return null;
}

/**
 * Σ_s seed[s]·T[p, s] for every direction p (what backward reads off a forward-mode
 * result): [P]. For a factored T this is one contraction of A with seed ⊙ B.
 */
export function contractWithSeed(t: Tangent, seed: Tensor): Tensor {
  const ops = engineOps();
  if (isKronecker(t)) {
    const seeded = t.withB(t.b.times(ops.reshape(seed, [1, ...seed.shape])));
    const all = kroneckerSum(seeded, t.shape.map((_, i) => i), false, 'backward');
    return ops.reshape(isKronecker(all) ? all.dense('backward') : all, [t.directions]);
  }
  const size = sizeOf(seed.shape);
  return ops.reshape(ops.matmul(ops.reshape(t, [t.shape[0], size]), ops.reshape(seed, [size, 1])), [t.shape[0]]);
}

/**
 * Σ over value axes `axes` of w ⊙ dx (w of the value's shape): the jvp of a reduction that
 * weights its inputs, such as max and min (weights at the extreme entries).
 */
export function kroneckerWeightedSum(dx: Tangent | null, weights: Tensor, axes: readonly number[], keepdims: boolean, op: string): Tangent | null {
  if (!isKronecker(dx)) return null;
  const w = engineOps().reshape(weights, [1, ...weights.shape]);
  return kroneckerSum(dx.withB(dx.b.times(w)), axes, keepdims, op);
}
