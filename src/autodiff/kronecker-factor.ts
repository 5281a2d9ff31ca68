import type { DType } from '../core/dtype.js';
import { shapesEqual } from '../core/shape.js';
import { eye, fromValues } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { engineOps } from './engine-ops.js';
import { checkForwardSize } from './grad-mode.js';

const unitAxes = (n: number): number[] => new Array<number>(Math.max(n, 0)).fill(1);
const range = (from: number, to: number): number[] => Array.from({ length: Math.max(to - from, 0) }, (_, i) => from + i);

/**
 * a ⊙ b with broadcasting, computed on as few axes as possible: neighbouring axes that both
 * operands broadcast alike are merged (reshapes, no copies), so that the kernel runs over
 * long rows. Factors often have trailing size-1 axes ([N, 128, 1]) that would otherwise
 * make every row one element long.
 */
export function mulCompact(a: Tensor, b: Tensor | number): Tensor {
  const ops = engineOps();
  // numbers, equal shapes and long rows need no help (each reshape is an op of its own)
  if (typeof b === 'number' || b.size === 1 || a.size === 1 || shapesEqual(a.shape, b.shape)) return ops.mul(a, b);
  const r = Math.max(a.ndim, b.ndim);
  const as = [...unitAxes(r - a.ndim), ...a.shape];
  const bs = [...unitAxes(r - b.ndim), ...b.shape];
  const out = as.map((d, i) => (d === 1 ? bs[i] : d));
  if (r === 0 || (out[r - 1] >= 32 && as[r - 1] === bs[r - 1])) return ops.mul(a, b);
  const ga: number[] = [];
  const gb: number[] = [];
  let prev = -1;
  for (let i = 0; i < r; i++) {
    if (out[i] === 1) continue;
    const kind = (as[i] === 1 ? 0 : 1) | (bs[i] === 1 ? 0 : 2);
    if (kind === prev) {
      ga[ga.length - 1] *= as[i];
      gb[gb.length - 1] *= bs[i];
    } else {
      ga.push(as[i]);
      gb.push(bs[i]);
      prev = kind;
    }
  }
  if (ga.length === r) return ops.mul(a, b);
  return ops.reshape(ops.mul(ops.reshape(a, ga), ops.reshape(b, gb)), out);
}

/** A local derivative to multiply a factor by: a tensor `[1, ...s]` broadcasting over the value, or one number. */
export type Multiplier = Tensor | number;

/**
 * One factor of a Kronecker tangent (kronecker.ts): F[p, ...s] for p < `dirs`, with every
 * value axis either full or of size 1 (constant along it). It is held in one of two forms:
 * - dense: a tensor `[dirs, ...fs]`;
 * - one-hot: F[p, ...s] = δ(p, s[axis]) · scale[...s], with `scale` `[1, ...ss]` (absent
 *   for 1). A leaf's identity is one-hot in both factors, and stays so through elementwise
 *   ops (only the scale changes) until a matmul contracts its axis: δ(n, j)·mask[m, j]
 *   times C[j, i] is mask[m, n]·C[n, i], computed without ever building the N x M x J block.
 * Immutable.
 */
export class Factor {
  readonly dirs: number;
  /** `[dirs, ...fs]`: the factor's shape (also in one-hot form). */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The value axis of the one-hot form, null for a dense factor. */
  readonly axis: number | null;
  /** The one-hot form's scale `[1, ...ss]` (null: 1). */
  readonly scale: Tensor | null;
  private tensorRef: Tensor | null;

  private constructor(dirs: number, shape: readonly number[], dtype: DType, axis: number | null, scale: Tensor | null, tensor: Tensor | null) {
    this.dirs = dirs;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.axis = axis;
    this.scale = scale;
    this.tensorRef = tensor;
  }

  /** A dense factor `[dirs, ...fs]`. */
  static dense(t: Tensor): Factor {
    return new Factor(t.shape[0], t.shape, t.dtype, null, null, t);
  }

  /**
   * The one-hot factor δ(p, s[axis])·scale over a value of rank `rank` (`scale` `[1, ...]`
   * or null for 1). With one direction it is just the scale, kept dense.
   */
  static oneHot(dirs: number, axis: number, rank: number, dtype: DType, scale: Tensor | null): Factor {
    if (dirs === 1) return Factor.dense(scale ?? fromValues([1], unitAxes(rank + 1), dtype));
    const shape = [dirs, ...range(0, rank).map((i) => (i === axis ? dirs : scale ? scale.shape[i + 1] : 1))];
    if (scale && scale.shape[axis + 1] !== 1 && scale.shape[axis + 1] !== dirs) {
      throw new Error(`Factor: a scale of shape [${scale.shape.join(', ')}] does not fit a one-hot axis ${axis} of size ${dirs}`);
    }
    return new Factor(dirs, shape, dtype, axis, scale, null);
  }

  get isOneHot(): boolean {
    return this.axis !== null;
  }

  /** Rank of the value this factor belongs to. */
  get rank(): number {
    return this.shape.length - 1;
  }

  /** Entries held (the scale's, for a one-hot factor not yet built). */
  get storedSize(): number {
    return this.tensorRef ? this.tensorRef.size : this.scale ? this.scale.size : 1;
  }

  /** The factor as a dense tensor `[dirs, ...fs]` (built once for a one-hot factor). */
  get tensor(): Tensor {
    if (!this.tensorRef) {
      const ops = engineOps();
      const axis = this.axis!;
      checkForwardSize('forward mode', this.shape.slice(1), [this.dirs], this.dirs, this.dtype);
      const delta = ops.reshape(eye(this.dirs, this.dirs, { dtype: this.dtype }), [this.dirs, ...range(0, this.rank).map((i) => (i === axis ? this.dirs : 1))]);
      let t = this.scale ? mulCompact(delta, this.scale) : delta;
      if (!shapesEqual(t.shape, this.shape)) t = ops.broadcastTo(t, this.shape);
      this.tensorRef = t;
    }
    return this.tensorRef;
  }

  /** Whether the factor varies along value axis `axis`. */
  varies(axis: number): boolean {
    return this.shape[axis + 1] !== 1;
  }

  /** True when `other` is the same factor (the same tensors, so sums can share it). */
  same(other: Factor): boolean {
    if (this === other) return true;
    if (this.dirs !== other.dirs || this.axis !== other.axis || !shapesEqual(this.shape, other.shape)) return false;
    const a = this.axis === null ? this.tensorRef : this.scale;
    const b = other.axis === null ? other.tensorRef : other.scale;
    return a === b || (a !== null && b !== null && a.storage === b.storage && shapesEqual(a.shape, b.shape));
  }

  private withScale(scale: Tensor | null): Factor {
    return Factor.oneHot(this.dirs, this.axis!, this.rank, scale ? scale.dtype : this.dtype, scale);
  }

  /** F ⊙ m for a multiplier broadcasting over the value (`[1, ...]`) or a number. */
  times(m: Multiplier): Factor {
    if (m === 1) return this;
    if (this.axis === null) return Factor.dense(mulCompact(this.tensor, m));
    if (this.scale) return this.withScale(mulCompact(this.scale, m));
    return this.withScale(typeof m === 'number' ? fromValues([m], unitAxes(this.rank + 1), this.dtype) : m);
  }

  /** Σ_i F_i ⊙ m_i over factors with the same directions; stays one-hot when all are one-hot along the same axis. */
  static combine(terms: readonly (readonly [Factor, Multiplier])[]): Factor {
    const ops = engineOps();
    const [first] = terms[0];
    if (terms.length === 1) return first.times(terms[0][1]);
    if (first.axis !== null && terms.every(([f]) => f.axis === first.axis)) {
      const parts = terms.map(([f, m]) => (f.scale ? (m === 1 ? f.scale : mulCompact(f.scale, m)) : m));
      if (parts.every((p) => typeof p === 'number')) {
        const total = (parts as number[]).reduce((s, p) => s + p, 0);
        return first.withScale(fromValues([total], unitAxes(first.rank + 1), first.dtype));
      }
      const asTensor = (p: Tensor | number) => (typeof p === 'number' ? fromValues([p], unitAxes(first.rank + 1), first.dtype) : p);
      return first.withScale(parts.map(asTensor).reduce((s, p) => ops.add(s, p)));
    }
    return Factor.dense(terms.map(([f, m]) => (m === 1 ? f.tensor : mulCompact(f.tensor, m))).reduce((s, x) => ops.add(s, x)));
  }

  cast(dtype: DType): Factor {
    if (dtype === this.dtype) return this;
    const ops = engineOps();
    if (this.axis === null) return Factor.dense(ops.cast(this.tensor, dtype));
    return Factor.oneHot(this.dirs, this.axis, this.rank, dtype, this.scale && ops.cast(this.scale, dtype));
  }

  /**
   * The factor for the value reshaped to `shape` by a reshape that only inserts or drops
   * size-1 axes; `map[i]` is where value axis i goes (-1: dropped, then it has size 1 here).
   */
  unitReshape(map: readonly number[], shape: readonly number[]): Factor {
    const ops = engineOps();
    const move = (f: readonly number[]) => {
      const out = [f[0], ...shape.map(() => 1)];
      map.forEach((to, from) => {
        if (to >= 0) out[to + 1] = f[from + 1];
      });
      return out;
    };
    if (this.axis === null) return Factor.dense(ops.reshape(this.tensor, move(this.shape)));
    const scale = this.scale && ops.reshape(this.scale, move(this.scale.shape));
    return Factor.oneHot(this.dirs, map[this.axis], shape.length, this.dtype, scale);
  }

  /** The factor of the value transposed by `perm`. */
  permute(perm: readonly number[]): Factor {
    const ops = engineOps();
    const full = [0, ...perm.map((p) => p + 1)];
    if (this.axis === null) return Factor.dense(ops.transpose(this.tensor, full));
    return Factor.oneHot(this.dirs, perm.indexOf(this.axis), this.rank, this.dtype, this.scale && ops.transpose(this.scale, full));
  }

  /** Removes value axes along which this factor has size 1. */
  dropAxes(axes: readonly number[]): Factor {
    if (axes.length === 0) return this;
    const ops = engineOps();
    const drop = (f: readonly number[]) => [f[0], ...f.slice(1).filter((_, i) => !axes.includes(i))];
    if (this.axis === null) return Factor.dense(ops.reshape(this.tensor, drop(this.shape)));
    const axis = this.axis - axes.filter((a) => a < this.axis!).length;
    return Factor.oneHot(this.dirs, axis, this.rank - axes.length, this.dtype, this.scale && ops.reshape(this.scale, drop(this.scale.shape)));
  }

  /** Σ over the value axes `axes` along which this factor varies (kept as size 1). */
  sum(axes: readonly number[]): Factor {
    const ops = engineOps();
    const plus1 = (xs: readonly number[]) => xs.map((a) => a + 1);
    if (this.axis === null) return Factor.dense(ops.sum(this.tensor, plus1(axes), true));
    if (!axes.includes(this.axis)) {
      const along = axes.filter((a) => this.scale !== null && this.scale.shape[a + 1] !== 1);
      return along.length === 0 ? this : this.withScale(ops.sum(this.scale!, plus1(along), true));
    }
    // Σ over the one-hot axis picks scale[..., p, ...] for direction p
    const axis = this.axis;
    const perm = range(0, this.rank + 1);
    [perm[0], perm[axis + 1]] = [axis + 1, 0];
    let t = this.scale ? ops.transpose(this.scale, perm) : fromValues([1], unitAxes(this.rank + 1), this.dtype);
    const rest = axes.filter((a) => a !== axis && t.shape[a + 1] !== 1);
    if (rest.length > 0) t = ops.sum(t, plus1(rest), true);
    if (t.shape[0] !== this.dirs) t = ops.broadcastTo(t, [this.dirs, ...t.shape.slice(1)]);
    return Factor.dense(t);
  }

  /** Broadcasts a dense tensor's value axis `axis` to `size`. */
  private static expand(t: Tensor, axis: number, size: number): Tensor {
    if (t.shape[axis + 1] === size) return t;
    const shape = [...t.shape];
    shape[axis + 1] = size;
    return engineOps().broadcastTo(t, shape);
  }

  /** The scale as a tensor (ones for an absent one), with value axis `axis` broadcast to `size`. */
  private scaleExpanded(axis: number, size: number): Tensor {
    const s = this.scale ?? fromValues([1], unitAxes(this.rank + 1), this.dtype);
    return Factor.expand(s, axis, size);
  }

  /**
   * F·C over the value's last two axes (F's value [..., M, J], C [..., J, I]): the factor of
   * dY·C when the other factor is constant along J.
   */
  rightMatmul(c: Tensor): Factor {
    const ops = engineOps();
    const r = this.rank;
    const J = c.shape[c.ndim - 2];
    if (this.axis === null) return Factor.dense(ops.matmul(Factor.expand(this.tensor, r - 1, J), c));
    if (this.axis !== r - 1) return this.withScale(ops.matmul(this.scaleExpanded(r - 1, J), c));
    // one-hot along J: (δ(p, j)·s[..., m, j])·C[..., j, i] = s[..., m, p]·C[..., p, i]
    const cn = c.ndim;
    const cMoved = ops.reshape(ops.transpose(c, [cn - 2, ...range(0, cn - 2), cn - 1]), [J, ...unitAxes(r - cn), ...c.shape.slice(0, -2), 1, c.shape[cn - 1]]);
    if (!this.scale) return Factor.dense(cMoved);
    const sMoved = ops.transpose(this.scale, [r, ...range(1, r), 0]);
    return Factor.dense(Factor.broadcastDirs(mulCompact(sMoved, cMoved), this.dirs));
  }

  /**
   * C·F over the value's last two axes (C [..., I, M], F's value [..., M, J]): the factor
   * of C·dY when the other factor is constant along M.
   */
  leftMatmul(c: Tensor): Factor {
    const ops = engineOps();
    const r = this.rank;
    const M = c.shape[c.ndim - 1];
    if (this.axis === null) return Factor.dense(ops.matmul(c, Factor.expand(this.tensor, r - 2, M)));
    if (this.axis !== r - 2) return this.withScale(ops.matmul(c, this.scaleExpanded(r - 2, M)));
    // one-hot along M: C[..., i, m]·δ(p, m)·s[..., m, j] = C[..., i, p]·s[..., p, j]
    const cn = c.ndim;
    const cMoved = ops.reshape(ops.transpose(c, [cn - 1, ...range(0, cn - 1)]), [M, ...unitAxes(r - cn), ...c.shape.slice(0, -1), 1]);
    if (!this.scale) return Factor.dense(cMoved);
    const sMoved = ops.transpose(this.scale, [r - 1, ...range(1, r - 1), 0, r]);
    return Factor.dense(Factor.broadcastDirs(mulCompact(cMoved, sMoved), this.dirs));
  }

  private static broadcastDirs(t: Tensor, dirs: number): Tensor {
    return t.shape[0] === dirs ? t : engineOps().broadcastTo(t, [dirs, ...t.shape.slice(1)]);
  }
}
