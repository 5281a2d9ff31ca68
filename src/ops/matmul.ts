import { promoteTypes } from '../core/dtype.js';
import { ShapeError, fmtShape } from '../core/errors.js';
import { broadcastShapes } from '../core/shape.js';
import { defineOp, isIdentityTangent, type OpApply } from '../autodiff/define-op.js';
import { kroneckerMatmul } from '../autodiff/kronecker-rules.js';
import { eye } from '../tensor/create.js';
import { mul } from './mul.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';
import { asTensor, sumPresent, wrap, type TensorLike } from './util.js';

/** Swaps the last two axes. */
function mT(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[x.ndim - 2], perm[x.ndim - 1]] = [perm[x.ndim - 1], perm[x.ndim - 2]];
  return transpose(x, perm);
}

/**
 * A·dB when dB is the identity tangent of a matrix B [K, N] (directions P = K·N):
 * (A·E_kn)[..., m, j] = A[..., m, k] δ(n, j), built as one broadcast product instead of
 * P matrix products (the leaf's Jacobian is never multiplied out).
 */
function timesIdentityRight(a: Tensor, K: number, N: number): Tensor {
  const batch = a.shape.slice(0, -2);
  const M = a.shape[a.ndim - 2];
  const ones = batch.map(() => 1);
  const aT = reshape(transpose(a, [a.ndim - 1, ...a.shape.slice(0, -1).map((_, i) => i)]), [K, 1, ...batch, M, 1]);
  const delta = reshape(eye(N, N, { dtype: a.dtype }), [1, N, ...ones, 1, N]);
  return reshape(mul(aT, delta), [K * N, ...batch, M, N]);
}

/** dA·B when dA is the identity tangent of a matrix A [M, K]: (E_mk·B)[..., i, j] = δ(m, i) B[..., k, j]. */
function timesIdentityLeft(M: number, K: number, b: Tensor): Tensor {
  const batch = b.shape.slice(0, -2);
  const N = b.shape[b.ndim - 1];
  const ones = batch.map(() => 1);
  const bT = reshape(transpose(b, [b.ndim - 2, ...batch.map((_, i) => i), b.ndim - 1]), [1, K, ...batch, 1, N]);
  const delta = reshape(eye(M, M, { dtype: b.dtype }), [M, 1, ...ones, M, 1]);
  return reshape(mul(delta, bT), [M * K, ...batch, M, N]);
}

/** Batched matrix product of operands with at least two axes (batch axes broadcast). */
const matmulOp: OpApply<void> = defineOp<void>({
  name: 'matmul',
  broadcasts: true,
  forward: ([a, b]) => {
    const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const shape = [...batch, a.shape[a.ndim - 2], b.shape[b.ndim - 1]];
    const dtype = promoteTypes(a.dtype, b.dtype);
    return wrap(a.backend.matmul(a.storage, a.shape, b.storage, b.shape, false, false, dtype), shape, dtype, a);
  },
  // d(AB) = dA·B + A·dB (the direction axis of the tangents is one more batch axis)
  jvp: ({ inputs: [a, b] }, [da, db]) =>
    sumPresent(
      da && (isIdentityTangent(da) && a.ndim === 2 ? timesIdentityLeft(a.shape[0], a.shape[1], b) : matmulOp([da, b], undefined)),
      db && (isIdentityTangent(db) && b.ndim === 2 ? timesIdentityRight(a, b.shape[0], b.shape[1]) : matmulOp([a, db], undefined)),
    ),
  // the same rule on factored tangents (autodiff/kronecker-rules.ts)
  structuredJvp: ({ inputs: [a, b], out }, [da, db]) => kroneckerMatmul(a, b, da, db, out.shape),
  // cotangents G·Bᵀ and Aᵀ·G (the engine sums broadcast batch axes away)
  vjp: ({ inputs: [a, b] }, g, needs) => [
    needs[0] ? matmulOp([g, mT(b)], undefined) : null,
    needs[1] ? matmulOp([mT(a), g], undefined) : null,
  ],
});

/**
 * Matrix product with NumPy's semantics: 2-D @ 2-D is the usual product; a 1-D operand
 * is a row (left) or column (right) vector whose axis is dropped from the result; more
 * axes are batches that broadcast. d(AB) = dA·B + A·dB; cotangents G·Bᵀ and Aᵀ·G.
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  let ta = asTensor('matmul', a);
  let tb = asTensor('matmul', b);
  if (ta.ndim === 0 || tb.ndim === 0) {
    throw new ShapeError('matmul', `${fmtShape(ta.shape)} @ ${fmtShape(tb.shape)}: operands must have at least one dimension; use mul for scalars`);
  }
  const k1 = ta.shape[ta.ndim - 1];
  const k2 = tb.shape[tb.ndim === 1 ? 0 : tb.ndim - 2];
  if (k1 !== k2) {
    throw new ShapeError('matmul', `${fmtShape(ta.shape)} @ ${fmtShape(tb.shape)}: inner dimensions ${k1} != ${k2}`);
  }
  if (ta.ndim > 2 || tb.ndim > 2) {
    const ba = ta.ndim > 2 ? ta.shape.slice(0, -2) : [];
    const bb = tb.ndim > 2 ? tb.shape.slice(0, -2) : [];
    try {
      broadcastShapes('matmul', ba, bb);
    } catch {
      throw new ShapeError('matmul', `${fmtShape(ta.shape)} @ ${fmtShape(tb.shape)}: batch dimensions ${fmtShape(ba)} and ${fmtShape(bb)} do not broadcast`);
    }
  }
  const vecA = ta.ndim === 1;
  const vecB = tb.ndim === 1;
  if (vecA) ta = reshape(ta, [1, k1]);
  if (vecB) tb = reshape(tb, [k2, 1]);
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  let out = matmulOp([cast(ta, dtype), cast(tb, dtype)], undefined);
  if (vecA || vecB) {
    const s = out.shape.slice(0, -2);
    if (!vecA) s.push(out.shape[out.ndim - 2]);
    if (!vecB) s.push(out.shape[out.ndim - 1]);
    out = reshape(out, s);
  }
  return out;
}
