import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mapBinary, operands, sumPresent, type TensorLike } from './util.js';

const addOp = defineOp<void>({
  name: 'add',
  elementwise: true,
  broadcasts: true,
  forward: ([a, b]) => mapBinary('add', (x, y) => x + y, a, b),
  jvp: (_, [da, db]) => sumPresent(da, db),
  vjp: (_, g) => [g, g],
});

/**
 * a + b, elementwise with NumPy broadcasting; numbers allowed on either side.
 * d(a + b) = da + db; the cotangent g flows unchanged to both (summed over broadcast axes).
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return addOp(operands('add', a, b), undefined);
}
