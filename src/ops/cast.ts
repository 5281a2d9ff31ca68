import { checkDType, type DType } from '../core/dtype.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { withGradMode } from '../autodiff/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface CastAttrs {
  readonly dtype: DType;
}

const castOp: OpApply<CastAttrs> = defineOp<CastAttrs>({
  name: 'cast',
  layout: true,
  forward: ([x], { dtype }) => wrap(x.backend.cast(x.storage, dtype), x.shape, dtype, x),
  jvp: ({ attrs: { dtype } }, [dx]) => castOp([dx!], { dtype }),
  vjp: ({ inputs: [x] }, g) => [castOp([g], { dtype: x.dtype })],
});

/**
 * The values converted to `dtype` (float64, float32 or int32; int32 truncates toward zero).
 * Between floats, d cast(x) = cast(dx) and the cotangent is cast back; a cast to int32
 * is not differentiable and its result is not tracked.
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  const t = asTensor('cast', x);
  const d = checkDType('cast', dtype);
  if (d === t.dtype) return t;
  if (d === 'int32') return withGradMode('none', () => castOp([t], { dtype: d }));
  return castOp([t], { dtype: d });
}
