import { floatResult, promoteTypes, type DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import type { BinaryFn, Storage, UnaryFn } from '../backend/index.js';
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
  const ta = typeof a === 'number' ? asTensor(op, a, numDtype(a, b)) : asTensor(op, a);
  const tb = typeof b === 'number' ? asTensor(op, b, numDtype(b, a)) : asTensor(op, b);
  return [ta, tb];
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

/** Applies an elementwise function of two values with NumPy broadcasting. */
export function mapBinary(name: string, fn: BinaryFn, a: Tensor, b: Tensor, dtype: DType = promoteTypes(a.dtype, b.dtype)): Tensor {
  const shape = broadcastShapes(name, a.shape, b.shape);
  const sb = b.backend === a.backend ? b.storage : a.backend.fromArray(b.backend.read(b.storage), b.dtype);
  return wrap(a.backend.binary(name, fn, a.storage, a.shape, sb, b.shape, shape, dtype), shape, dtype, a);
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
