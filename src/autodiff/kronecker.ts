import type { DType } from '../core/dtype.js';
import { reducedShape, shapesEqual } from '../core/shape.js';
import { Tensor, type StructuredTangent } from '../tensor/tensor.js';
import { engineOps } from './engine-ops.js';
import { checkForwardSize } from './grad-mode.js';
import { Factor, mulCompact } from './kronecker-factor.js';

/*
 * Structured forward-mode tangents.
 *
 * A dense tangent of a value of shape S with respect to a matrix leaf W [K, N] has
 * P = K·N directions: [P, ...S]. For the brief's model that is [1500, 128, 50] for the
 * first layer, and carrying it through relu and the second matmul cost ~40x the forward
 * pass itself. But the Jacobian of Y = X·W is
 *
 *     dY[m, j] / dW[k, n] = X[m, k] · δ(n, j),
 *
 * at every position of the value a product of something indexed by k and something
 * indexed by n. Tangents are kept in that form:
 *
 *     T[k·N + n, ...s] = A[k, ...s] · B[n, ...s]
 *
 * with A [K, ...sa] and B [N, ...sb] broadcastable to [·, ...S] (a factor axis of size 1
 * means constant along it), and each factor either dense or one-hot, δ(p, s[axis]) times
 * a scale of the value's size (kronecker-factor.ts). What the brief's model (and an MLP of
 * any depth) does to it costs about what the forward pass costs:
 * - a leaf W itself: A = δ(k, i), B = δ(n, j), both one-hot, nothing allocated;
 * - elementwise ops multiply one factor by the op's local derivative (for relu, the scale
 *   of the one-hot B becomes the mask: still no N x M x J block);
 * - X·W: A ← X with its axes moved; H·C with A constant along H's last axis: B ← B·C, and
 *   for a one-hot B that is mask[m, n]·C[n, i], no product at all;
 * - sums: over axes where only one factor varies, sum that factor; over axes where both
 *   vary (the batch axis of a loss), the dense result is one batched matmul
 *   Σ_s A[k, s]·B[n, s], the contraction reverse mode computes too;
 * - transpose, reshape and broadcasts rearrange both factors; slices, concat and casts
 *   apply the op's own rule to each factor.
 * Anything else expands the tangent (`dense()`) and runs the op's jvp, so every op works.
 *
 * Why both factors are tensors of the value's shape, rather than A[..., m, k] fixed as a
 * matmul's left operand times B[..., m, n, j]: the leaf's own identity, transposed leaves
 * (x·Wᵀ), bias rows [1, N], broadcasting and the sum rules are then one piece of code, and
 * the per-example structure X[m, k] is just an A that is constant along j.
 * Why factors are one-hot when they can be: a dense δ(n, j)·mask[m, j] is N times larger
 * than the mask, and multiplying it by the next layer's weights was most of the time left.
 */

/** A forward-mode tangent: dense `[P, ...shape]`, or factored. */
export type Tangent = Tensor | KroneckerTangent;

/**
 * The Jacobian of a value of `shape` with respect to a matrix leaf [K, N] as two factors:
 * `T[k·N + n, ...s] = a[k, ...s] · b[n, ...s]` (factors broadcast over the value's axes;
 * each dense or one-hot, see kronecker-factor.ts). Immutable; operations return new tangents.
 */
export class KroneckerTangent implements StructuredTangent {
  /** Shape of the value whose tangent this is. */
  readonly shape: readonly number[];
  readonly a: Factor;
  readonly b: Factor;
  /** For a leaf's own Jacobian: its cached dense identity (so dense() does not rebuild it). */
  private readonly identity: (() => Tensor) | null;
  private denseRef: Tensor | null = null;

  constructor(a: Factor, b: Factor, shape: readonly number[], identity: (() => Tensor) | null = null) {
    this.shape = Object.freeze([...shape]);
    this.a = a;
    this.b = b;
    this.identity = identity;
    const r = shape.length;
    const fits = (f: readonly number[]) => f.length === r + 1 && f.every((d, i) => i === 0 || d === 1 || d === shape[i - 1]);
    if (!fits(a.shape) || !fits(b.shape)) {
      throw new Error(`KroneckerTangent: factors [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not fit a value of shape [${shape.join(', ')}]`);
    }
  }

  /**
   * The Jacobian of a matrix leaf [K, N] with respect to itself, δ(k, i)·δ(n, j): both
   * factors one-hot, nothing allocated. `identity` gives its dense form.
   */
  static leafIdentity(k: number, n: number, dtype: DType, identity: () => Tensor): KroneckerTangent {
    return new KroneckerTangent(Factor.oneHot(k, 0, 2, dtype, null), Factor.oneHot(n, 1, 2, dtype, null), [k, n], identity);
  }

  get dtype(): DType {
    return this.b.dtype;
  }

  /** Rows and columns of the leaf. */
  get k(): number {
    return this.a.dirs;
  }

  get n(): number {
    return this.b.dirs;
  }

  /** Number of directions (the leaf's size). */
  get directions(): number {
    return this.k * this.n;
  }

  /** Entries the two factors hold (what this form costs instead of directions x size). */
  get storedSize(): number {
    return this.a.storedSize + this.b.storedSize;
  }

  /** Same left factor, new right factor, for a value of `shape`. */
  withB(b: Factor, shape: readonly number[] = this.shape): KroneckerTangent {
    return new KroneckerTangent(this.a, b, shape);
  }

  /** New left factor, same right factor, for a value of `shape`. */
  withA(a: Factor, shape: readonly number[] = this.shape): KroneckerTangent {
    return new KroneckerTangent(a, this.b, shape);
  }

  /** Both factors in `dtype`. */
  cast(dtype: DType): KroneckerTangent {
    if (dtype === this.a.dtype && dtype === this.b.dtype) return this;
    return new KroneckerTangent(this.a.cast(dtype), this.b.cast(dtype), this.shape);
  }

  /** The same tangent for the value reshaped to `shape`, when that only inserts or drops size-1 axes; else null. */
  unitReshape(shape: readonly number[]): KroneckerTangent | null {
    const map = unitAxisMap(this.shape, shape);
    if (!map) return null;
    return new KroneckerTangent(this.a.unitReshape(map, shape), this.b.unitReshape(map, shape), shape);
  }

  /**
   * The same tangent for the value with `axes` removed (or kept as size 1), where both
   * factors already have size 1 on them (after a sum has reduced them).
   */
  dropAxes(axes: readonly number[], keepdims: boolean): KroneckerTangent {
    const shape = reducedShape(this.shape, axes, keepdims);
    if (keepdims) return new KroneckerTangent(this.a, this.b, shape);
    return new KroneckerTangent(this.a.dropAxes(axes), this.b.dropAxes(axes), shape);
  }

  /** The tangent of a value broadcast from this one's shape to `shape` (factors untouched, only padded). */
  broadcastTo(shape: readonly number[]): KroneckerTangent {
    const padded = this.padRank(shape.length);
    return new KroneckerTangent(padded.a, padded.b, shape);
  }

  /** Leading size-1 value axes up to rank `rank` (as NumPy broadcasting pads shapes). */
  padRank(rank: number): KroneckerTangent {
    const extra = rank - this.shape.length;
    if (extra <= 0) return this;
    return this.unitReshape([...new Array<number>(extra).fill(1), ...this.shape])!;
  }

  /** The tangent of the value transposed by `perm`. */
  permute(perm: readonly number[]): KroneckerTangent {
    return new KroneckerTangent(this.a.permute(perm), this.b.permute(perm), perm.map((p) => this.shape[p]));
  }

  /**
   * The tangent as a dense `[K·N, ...shape]` tensor, built once (several ops may need it).
   * `op` names the op asking, for the size check.
   */
  dense(op = 'forward mode'): Tensor {
    if (this.identity) return this.identity();
    this.denseRef ??= this.expand(op);
    return this.denseRef;
  }

  private expand(op: string): Tensor {
    const { k, n, shape } = this;
    checkForwardSize(op, shape, [k, n], k * n, this.dtype);
    const ops = engineOps();
    const a = this.a.tensor;
    const b = this.b.tensor;
    let prod = mulCompact(ops.reshape(a, [k, 1, ...a.shape.slice(1)]), ops.reshape(b, [1, n, ...b.shape.slice(1)]));
    if (!shapesEqual(prod.shape, [k, n, ...shape])) prod = ops.broadcastTo(prod, [k, n, ...shape]);
    return ops.reshape(prod, [k * n, ...shape]);
  }
}

/**
 * For a reshape that only inserts or drops size-1 axes: for every axis of `from`, the axis
 * of `to` it becomes (-1 for a dropped size-1 axis). Null for any other reshape.
 */
function unitAxisMap(from: readonly number[], to: readonly number[]): number[] | null {
  const kept = (s: readonly number[]) => s.flatMap((d, i) => (d === 1 ? [] : [i]));
  const f = kept(from);
  const t = kept(to);
  if (f.length !== t.length || f.some((a, j) => from[a] !== to[t[j]])) return null;
  const map = from.map(() => -1);
  f.forEach((a, j) => (map[a] = t[j]));
  return map;
}

/** True for a structured tangent. */
export function isKronecker(t: Tangent | null): t is KroneckerTangent {
  return t instanceof KroneckerTangent;
}

/** A tangent read from `Tensor.tangents`, as the engine's union type. */
export function asTangent(t: Tensor | StructuredTangent): Tangent {
  if (t instanceof Tensor || t instanceof KroneckerTangent) return t;
  throw new Error('tensorgrad: unknown structured tangent');
}

/** The dense `[P, ...shape]` form of any tangent (`op` names the op asking, for the size check). */
export function denseTangent(t: Tangent, op?: string): Tensor {
  return t instanceof KroneckerTangent ? t.dense(op) : t;
}

/** Number of entries a dense form of `t` has. */
export function tangentDirections(t: Tangent): number {
  return t instanceof KroneckerTangent ? t.directions : t.shape[0];
}

/** x + y for two tangents of the same value; stays factored when they share a factor. */
export function addTangents(x: Tangent, y: Tangent, op: string): Tangent {
  const ops = engineOps();
  if (x instanceof KroneckerTangent && y instanceof KroneckerTangent) {
    if (x.a.same(y.a)) return x.withB(Factor.combine([[x.b, 1], [y.b, 1]]));
    if (x.b.same(y.b)) return x.withA(Factor.combine([[x.a, 1], [y.a, 1]]));
  }
  return ops.add(denseTangent(x, op), denseTangent(y, op));
}

let structuredOn = true;

/**
 * Turns the structured form on or off (on by default). Off, every matrix leaf starts from
 * its dense identity, as before this form existed: the tests compare both, and benchmarks
 * can measure what the structure buys. Not part of the public API.
 */
export function setStructuredTangents(on: boolean): void {
  structuredOn = on;
}

export function structuredTangentsEnabled(): boolean {
  return structuredOn;
}

/** Runs `fn` with the structured form on or off, restoring the setting afterwards. */
export function withStructuredTangents<T>(on: boolean, fn: () => T): T {
  const prev = structuredOn;
  structuredOn = on;
  try {
    return fn();
  } finally {
    structuredOn = prev;
  }
}
