import { floatResult, promoteTypes, type DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { currentBackend, type Backend, type BinaryFn, type Storage, type UnaryFn } from '../backend/index.js';
import { getGradMode } from '../autodiff/grad-mode.js';
import { fromValues } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { add } from './add.js';

/** A tensor, or a number standing for a 0-d tensor (`tg.sub(1, p)`). */
export type TensorLike = Tensor | number;

/** Converts a number to a 0-d tensor of `dtype`; checks that anything else is a Tensor. */
export function asTensor(op: string, x: TensorLike, dtype: DType = 'float64'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number' || typeof x === 'boolean') return fromValues([Number(x)], [], dtype);
  throw new ValueError(op, `expected a Tensor or a number, got ${x === null ? 'null' : Array.isArray(x) ? 'an array (wrap it with tg.tensor)' : typeof x}`);
}

/**
 * Two operands of a binary op. A number takes the other operand's dtype (so `x.mul(2)`
 * stays float32), except that a fractional number with an int32 tensor is float64.
 */
export function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const numDtype = (n: number, other: TensorLike): DType => {
    if (!(other instanceof Tensor)) return 'float64';
    return other.dtype === 'int32' && !Number.isInteger(n) ? 'float64' : other.dtype;
  };
  const ta = typeof a === 'number' ? scalarOperand(a, numDtype(a, b)) : asTensor(op, a);
  const tb = typeof b === 'number' ? scalarOperand(b, numDtype(b, a)) : asTensor(op, b);
  return [ta, tb];
}

/** Numbers used as operands recently, as 0-d tensors by backend and dtype (see scalarOperand). */
const scalarCache = new WeakMap<Backend, Map<DType, Map<number, Tensor>>>();
const SCALAR_CACHE_SIZE = 256;

/**
 * A number as a 0-d operand of a binary op. The same few numbers (1 - p, x * 0.5, the
 * learning rate) come back at every step of a training loop, so their tensors are kept and
 * reused: a binary op never hands an operand back or changes it, so a cached tensor stays
 * out of users' hands; it lives on the backend current when it was made, so that it never
 * moves. (-0 is not cached: a Map does not tell it from 0.)
 */
function scalarOperand(value: number, dtype: DType): Tensor {
  const backend = currentBackend();
  let byDtype = scalarCache.get(backend);
  if (byDtype === undefined) scalarCache.set(backend, (byDtype = new Map()));
  let cache = byDtype.get(dtype);
  if (cache === undefined) byDtype.set(dtype, (cache = new Map()));
  let t = cache.get(value);
  if (t === undefined) {
    t = fromValues([value], [], dtype);
    if (Object.is(value, -0)) return t;
    if (cache.size >= SCALAR_CACHE_SIZE) cache.clear();
    // kept on its backend for good: never a temporary of a backward pass
    backend.persist?.(t.storage);
    cache.set(value, t);
  }
  return t;
}

/** Wraps a kernel's result storage as a tensor on the backend of `like`. */
export function wrap(storage: Storage, shape: readonly number[], dtype: DType, like: Tensor): Tensor {
  return new Tensor(storage, shape, dtype, like.backend);
}

/** Applies an elementwise function of one value. Float results for int inputs unless `keepInt`. */
export function mapUnary(name: string, fn: UnaryFn, x: Tensor, keepInt = false): Tensor {
  const dtype = keepInt ? x.dtype : floatResult(x.dtype);
  return wrap(x.backend.unary(name, fn, x.storage, dtype), x.shape, dtype, x);
}

/**
 * Applies an elementwise function of two values with NumPy broadcasting. `params`: numbers
 * `fn` closes over that a native kernel of the same name takes (see Backend.binary).
 */
export function mapBinary(name: string, fn: BinaryFn, a: Tensor, b: Tensor, dtype: DType = promoteTypes(a.dtype, b.dtype), params?: readonly number[]): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const sb = b.backend === a.backend ? b.storage : a.backend.fromArray(b.backend.read(b.storage), b.dtype);
  return wrap(a.backend.binary(name, fn, a.storage, a.shape, sb, b.shape, shape, dtype, params), shape, dtype, a);
}

/** Sums a list of tangents, skipping absent (zero) ones; at least one must be present. */
export function sumPresent(...ts: (Tensor | null | undefined)[]): Tensor {
  let acc: Tensor | null = null;
  for (const t of ts) {
    if (!t) continue;
    acc = acc === null ? t : add(acc, t);
  }
  if (acc === null) throw new Error('sumPresent: no tangent given');
  return acc;
}

/**
 * A product that a derivative rule needs, such as g·(x > 0) for relu: one fused kernel
 * `fn(a, b)` when nothing records derivatives (grad mode 'none', as in a plain backward()
 * or the forward-mode propagation: the result is then a value, never differentiated),
 * otherwise `composite()`, the same formula in differentiable ops, so that a graph built
 * with createGraph, or a Hessian, sees through it. The two must agree bit for bit.
 * `params`: numbers `fn` closes over, for a native kernel (see Backend.binary).
 */
export function fusedRule(name: string, fn: FusedFn, a: Tensor, b: Tensor, composite: () => Tensor, params?: readonly number[]): Tensor {
  if (getGradMode() !== 'none') return composite();
  const dtype = promoteTypes(a.dtype, b.dtype);
  return mapBinary(name, dtype === 'float32' ? fn.f32 : fn.f64, a, b, dtype, params);
}

/**
 * A fused scalar function in two precisions: `f32` rounds each step to float32 (Math.fround),
 * as the composite of float32 ops and the float32 kernels do, so that they agree bit for bit.
 */
export interface FusedFn {
  readonly f64: BinaryFn;
  readonly f32: BinaryFn;
}
