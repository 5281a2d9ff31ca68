import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { greater } from './compare.js';
import { mul } from './mul.js';
import { asTensor, fusedRule, mapUnary, type FusedFn, type TensorLike } from './util.js';

/** The chain rule's g·relu'(x) as scalar functions (the wasm backend's 'reluGrad' kernel). */
export const reluGradFn: FusedFn = {
  f64: (g, x) => g * (x > 0 ? 1 : 0),
  f32: (g, x) => Math.fround(g * (x > 0 ? 1 : 0)),
};

/** relu of one value (NaN stays NaN). */
export const reluFn = (v: number): number => (v > 0 ? v : v !== v ? v : 0);

/** g·relu'(x): one kernel, or mul and greater when recording. x may be relu's output too (same sign test). */
export const reluGrad = (g: Tensor, x: Tensor): Tensor => fusedRule('reluGrad', reluGradFn, g, x, () => mul(g, greater(x, 0)));

const reluOp = defineOp<void>({
  name: 'relu',
  elementwise: true,
  forward: ([x]) => mapUnary('relu', reluFn, x),
  jvp: ({ inputs: [x] }, [dx]) => reluGrad(dx!, x),
  vjp: ({ inputs: [x] }, g) => [reluGrad(g, x)],
});

/**
 * max(x, 0), elementwise (NaN stays NaN). d relu(x) = dx where x > 0, else 0: the derivative at 0 is
 * taken as 0, as in PyTorch, JAX and TensorFlow.
 */
export function relu(x: TensorLike): Tensor {
  return reluOp([asTensor('relu', x)], undefined);
}
