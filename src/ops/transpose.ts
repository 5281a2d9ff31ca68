import { checkPerm, invertPerm } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { kroneckerTranspose } from '../autodiff/kronecker-rules.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface TransposeAttrs {
  readonly perm: readonly number[];
}

const transposeOp: OpApply<TransposeAttrs> = defineOp<TransposeAttrs>({
  name: 'transpose',
  forward: ([x], { perm }) =>
    wrap(
      x.backend.transpose(x.storage, x.shape, perm),
      perm.map((p) => x.shape[p]),
      x.dtype,
      x,
    ),
  jvp: ({ attrs: { perm } }, [dx]) => transposeOp([dx!], { perm: [0, ...perm.map((p) => p + 1)] }),
  structuredJvp: ({ attrs: { perm } }, [dx]) => kroneckerTranspose(dx, perm),
  vjp: ({ attrs: { perm } }, g) => [transposeOp([g], { perm: invertPerm(perm) })],
});

/**
 * Permutes the axes: result axis i is input axis perm[i]; reversed axes when perm is
 * omitted (NumPy's default). d transpose(x) = transpose(dx); cotangent transposed back.
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = asTensor('transpose', x);
  const p = perm === undefined ? t.shape.map((_, i) => t.ndim - 1 - i) : checkPerm('transpose', perm, t.ndim);
  if (p.every((v, i) => v === i)) return t;
  return transposeOp([t], { perm: p });
}
