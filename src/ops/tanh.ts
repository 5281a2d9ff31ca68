import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { asTensor, fusedRule, mapUnary, type FusedFn, type TensorLike } from './util.js';

/** The chain rule's g·tanh'(x) from y = tanh(x), as scalar functions (the wasm 'tanhGrad' kernel). */
export const tanhGradFn: FusedFn = {
  f64: (g, y) => g * (1 - y * y),
  f32: (g, y) => Math.fround(g * Math.fround(1 - Math.fround(y * y))),
};

/** g·(1 - y²): one kernel, or differentiable ops when recording. */
export const tanhGrad = (g: Tensor, y: Tensor): Tensor => fusedRule('tanhGrad', tanhGradFn, g, y, () => mul(g, sub(1, mul(y, y))));

const tanhOp = defineOp<void>({
  name: 'tanh',
  elementwise: true,
  forward: ([x]) => mapUnary('tanh', Math.tanh, x),
  jvp: ({ out }, [dx]) => tanhGrad(dx!, out),
  vjp: ({ out }, g) => [tanhGrad(g, out)],
});

/**
 * Hyperbolic tangent, elementwise. d tanh(x) = (1 - tanh(x)²)·dx.
 */
export function tanh(x: TensorLike): Tensor {
  return tanhOp([asTensor('tanh', x)], undefined);
}
