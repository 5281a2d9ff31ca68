import type { DType, TypedArray } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';

declare const storageBrand: unique symbol;

/**
 * A tensor's data as a backend keeps it. Opaque above the backend: the js backend holds a
 * typed array, a wasm backend holds a region of its linear memory. Code above the backend
 * reads values only through {@link Backend.read}.
 */
export type Storage = { readonly [storageBrand]: true };

/** Elementwise function of one value; the op file that defines a primitive supplies it. */
export type UnaryFn = (x: number) => number;
/** Elementwise function of two values. */
export type BinaryFn = (a: number, b: number) => number;

export type ReduceKind = 'sum' | 'max' | 'min';
export type ArgReduceKind = 'argmax' | 'argmin';

/**
 * What a backend must provide. Every kernel allocates its result; none writes into an
 * input. Shapes are passed alongside storage because storage knows only its length.
 * Kernels are addressed by the name of the op that uses them (`name`), and receive the
 * op's scalar function so that a backend without a specialised kernel can fall back to it.
 */
/** An elementwise op fused into another kernel: its name (for a native kernel) and its scalar function. */
export interface Activation {
  readonly name: string;
  readonly fn: UnaryFn;
}

export interface Backend {
  readonly name: string;

  /** A storage of `size` elements holding `values` converted to `dtype`. */
  fromArray(values: ArrayLike<number>, dtype: DType): Storage;
  /** A storage of `size` elements, all equal to `value`. */
  full(size: number, value: number, dtype: DType): Storage;
  /**
   * The values as a typed array of the tensor's dtype. May share memory: callers never write
   * to it, and use it before creating tensors on the same backend (the wasm backend's
   * memory may grow, which detaches views of an ordinary WebAssembly memory).
   */
  read(s: Storage): TypedArray;
  /** One value, by flat row-major index. */
  readAt(s: Storage, index: number): number;
  /** Converts between dtypes (a copy even when equal). */
  cast(s: Storage, to: DType): Storage;

  unary(name: string, fn: UnaryFn, x: Storage, outDtype: DType): Storage;
  /**
   * fn(a, b) elementwise with broadcasting. `params` are numbers `fn` closes over (e.g. a
   * clamp's bounds) that a native kernel of the same name needs passed explicitly.
   */
  binary(name: string, fn: BinaryFn, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape, outDtype: DType, params?: readonly number[]): Storage;
  /** cond ? a : b elementwise, with broadcasting. */
  where(cond: Storage, cShape: Shape, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape, outDtype: DType): Storage;

  /** Reduces `axes` (sorted, distinct); the result has the kept axes only, in order. */
  reduce(kind: ReduceKind, x: Storage, shape: Shape, axes: readonly number[], outDtype: DType): Storage;
  /** Index of the largest / smallest value along one axis, as int32. */
  argReduce(kind: ArgReduceKind, x: Storage, shape: Shape, axis: number): Storage;

  /**
   * Batched matrix product of tensors with at least two dimensions; batch dimensions
   * broadcast. `transA` / `transB` read the operand's last two axes swapped, so a
   * transposed operand needs no copy. Shapes are of the stored (untransposed) operands.
   */
  matmul(a: Storage, aShape: Shape, b: Storage, bShape: Shape, transA: boolean, transB: boolean, outDtype: DType): Storage;

  /**
   * The forward of a linear layer in one call: act(x·w + bias) for x [M, K], w [K, N] and
   * bias [N] (or null), all of `outDtype`. `activation` is an elementwise op's name and
   * scalar function (as `unary` takes them), or null. The values equal those of matmul,
   * then binary 'add', then unary, run one after the other.
   */
  linear(x: Storage, w: Storage, bias: Storage | null, M: number, K: number, N: number, activation: Activation | null, outDtype: DType): Storage;

  /**
   * Optional, for backends whose memory the garbage collector does not see (wasm): starts
   * recording the storages created from now on. `endTemporaries(keep)` then frees all of
   * them but `keep` at once; the caller guarantees that nothing else can reach them (the
   * engine does so for the cotangents of a backward pass). Scopes nest.
   */
  beginTemporaries?(): void;
  endTemporaries?(keep: readonly Storage[]): void;
  /** Optional: exempts a storage from the open temporaries scopes (for caches that outlive them). */
  persist?(s: Storage): void;

  transpose(x: Storage, shape: Shape, perm: readonly number[]): Storage;
  broadcastTo(x: Storage, shape: Shape, outShape: Shape): Storage;
  /** out[i] = x[begin + i * step] along every axis. */
  slice(x: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage;
  /** Zeros of `outShape` with `x` written at the positions `slice` reads. */
  scatterSlice(x: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage;
  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape, outDtype: DType): Storage;
}
