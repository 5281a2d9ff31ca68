import { promoteTypes } from '../core/dtype.js';
import { broadcastAll } from '../core/shape.js';
import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { asTensor, operands, sumPresent, wrap, type TensorLike } from './util.js';
import { zerosLike } from '../tensor/create.js';

const whereOp = defineOp<void>({
  name: 'where',
  elementwise: true,
  broadcasts: true,
  forward: ([c, a, b]) => {
    const shape = broadcastAll('where', [c.shape, a.shape, b.shape]);
    const dtype = promoteTypes(a.dtype, b.dtype);
    return wrap(a.backend.where(c.storage, c.shape, a.storage, a.shape, b.storage, b.shape, shape, dtype), shape, dtype, a);
  },
  jvp: ({ inputs: [c] }, [, da, db]) => {
    const zero = zerosLike((da ?? db)!);
    return sumPresent(da && where(c, da, zero), db && where(c, zero, db));
  },
  vjp: ({ inputs: [c] }, g, needs) => {
    const zero = zerosLike(g);
    return [null, needs[1] ? where(c, g, zero) : null, needs[2] ? where(c, zero, g) : null];
  },
});

/**
 * Elementwise choice: a where `condition` is non-zero, b elsewhere (broadcasting all three).
 * d where(c, a, b) = where(c, da, db); the condition gets no gradient.
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = asTensor('where', condition);
  const [ta, tb] = operands('where', a, b);
  if (c.requiresGrad) return whereOp([c.detach(), ta, tb], undefined);
  return whereOp([c, ta, tb], undefined);
}
