import { promoteTypes } from '../core/dtype.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxis } from '../core/shape.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './cast.js';
import { sliceOp } from './slice.js';
import { asTensor, wrap, type TensorLike } from './util.js';

interface ConcatAttrs {
  readonly axis: number;
}

const concatOp: OpApply<ConcatAttrs> = defineOp<ConcatAttrs>({
  name: 'concat',
  layout: true,
  forward: (xs, { axis }) => {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((n, x) => n + x.shape[axis], 0);
    const be = xs[0].backend;
    return wrap(
      be.concat(
        xs.map((x) => x.storage),
        xs.map((x) => x.shape),
        axis,
        shape,
        xs[0].dtype,
      ),
      shape,
      xs[0].dtype,
      xs[0],
    );
  },
  jvp: ({ inputs, attrs: { axis } }, ts) => {
    const P = ts.find((t) => t !== null)!.shape[0];
    const full = ts.map((t, i) => t ?? zeros([P, ...inputs[i].shape], { dtype: inputs[i].dtype }));
    return concatOp(full, { axis: axis + 1 });
  },
  vjp: ({ inputs, attrs: { axis } }, g, needs) => {
    let offset = 0;
    return inputs.map((x, i) => {
      const begin = x.shape.map((_, d) => (d === axis ? offset : 0));
      offset += x.shape[axis];
      return needs[i] ? sliceOp([g], { begin, step: x.shape.map(() => 1), shape: x.shape }) : null;
    });
  },
});

/**
 * Joins tensors along an existing axis; all other dimensions must agree. Mixed dtypes
 * are promoted. d concat(xs) = concat(dxs); the cotangent is split back into pieces.
 */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('concat', 'needs a non-empty array of tensors');
  const ts = xs.map((x) => asTensor('concat', x));
  const nd = ts[0].ndim;
  if (nd === 0) throw new ShapeError('concat', 'cannot concatenate 0-d tensors; use stack');
  const ax = normalizeAxis('concat', axis, nd);
  ts.forEach((t, i) => {
    if (t.ndim !== nd || t.shape.some((d, k) => k !== ax && d !== ts[0].shape[k])) {
      throw new ShapeError(
        'concat',
        `tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(ts[0].shape)}; all dimensions except axis ${ax} must agree`,
      );
    }
  });
  const dtype = ts.map((t) => t.dtype).reduce(promoteTypes);
  return concatOp(
    ts.map((t) => cast(t, dtype)),
    { axis: ax },
  );
}
