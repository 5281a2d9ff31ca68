import { ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxes, reducedShape } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { kroneckerWeightedSum } from '../autodiff/kronecker-rules.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ReduceKind } from '../backend/index.js';
import { equal } from './compare.js';
import { div } from './div.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { sumOp } from './sum.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/**
 * Where the extreme value sits, as weights that sum to 1 over each reduced group: ties
 * share the derivative equally (as JAX does), so the rule is symmetric in tied entries.
 */
function winnerWeights(x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  const mask = equal(x, reshape(out, reducedShape(x.shape, axes, true)));
  return div(mask, sumOp([mask], { axes, keepdims: true }));
}

/** Builds max or min: they share everything but the kernel. */
export function extremeReduction(kind: Extract<ReduceKind, 'max' | 'min'>): OpApply<ReduceAttrs> {
  const op: OpApply<ReduceAttrs> = defineOp<ReduceAttrs>({
    name: kind,
    forward: ([x], { axes, keepdims }) => {
      if (axes.some((a) => x.shape[a] === 0)) {
        throw new ValueError(kind, `cannot reduce an empty axis of a tensor of shape ${fmtShape(x.shape)}`);
      }
      const shape = reducedShape(x.shape, axes, keepdims);
      return wrap(x.backend.reduce(kind, x.storage, x.shape, axes, x.dtype), shape, x.dtype, x);
    },
    jvp: ({ inputs: [x], out, attrs: { axes, keepdims } }, [dx]) =>
      sumOp([mul(dx!, winnerWeights(x, out, axes))], { axes: axes.map((a) => a + 1), keepdims }),
    structuredJvp: ({ inputs: [x], out, attrs: { axes, keepdims } }, [dx]) => kroneckerWeightedSum(dx, winnerWeights(x, out, axes), axes, keepdims, kind),
    vjp: ({ inputs: [x], out, attrs: { axes } }, g) => [
      mul(reshape(g, reducedShape(x.shape, axes, true)), winnerWeights(x, out, axes)),
    ],
  });
  return op;
}

const maxOp = extremeReduction('max');

/**
 * Largest value over `axis` (all axes when omitted), NaN if any value compared is NaN.
 * d max = dx at the position of the maximum; tied maxima share it equally.
 */
export function max(x: TensorLike, axis?: number | readonly number[] | null, keepdims = false): Tensor {
  const t = asTensor('max', x);
  return maxOp([t], { axes: normalizeAxes('max', axis, t.ndim), keepdims });
}
