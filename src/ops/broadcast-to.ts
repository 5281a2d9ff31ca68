import { ShapeError, fmtShape } from '../core/errors.js';
import { broadcastsTo, checkShape, shapesEqual } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { kroneckerBroadcastTo } from '../autodiff/kronecker-rules.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface BroadcastAttrs {
  readonly shape: readonly number[];
}

const broadcastToOp: OpApply<BroadcastAttrs> = defineOp<BroadcastAttrs>({
  name: 'broadcastTo',
  broadcasts: true,
  forward: ([x], { shape }) => wrap(x.backend.broadcastTo(x.storage, x.shape, shape), shape, x.dtype, x),
  jvp: ({ attrs: { shape } }, [dx]) => broadcastToOp([dx!], { shape: [dx!.shape[0], ...shape] }),
  structuredJvp: ({ attrs: { shape } }, [dx]) => kroneckerBroadcastTo(dx, shape),
  // the engine sums the cotangent back over the broadcast axes
  vjp: (_, g) => [g],
});

/**
 * Repeats x along broadcast axes to `shape` (NumPy's broadcast_to; a copy).
 * d broadcastTo(x) = broadcastTo(dx); the cotangent is summed over the repeated axes.
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('broadcastTo', x);
  const s = checkShape('broadcastTo', shape);
  if (!broadcastsTo(t.shape, s)) throw new ShapeError('broadcastTo', `cannot broadcast ${fmtShape(t.shape)} to ${fmtShape(s)}`);
  if (shapesEqual(t.shape, s)) return t;
  return broadcastToOp([t], { shape: s });
}
