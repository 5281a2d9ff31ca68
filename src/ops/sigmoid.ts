import { defineOp } from '../autodiff/define-op.js';
import type { Tensor } from '../tensor/tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';

/** 1 / (1 + e^-x) without overflowing e^-x for very negative x. */
export function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
import { asTensor, fusedRule, mapUnary, type FusedFn, type TensorLike } from './util.js';

/** The chain rule's g·σ'(x) from y = σ(x), as scalar functions (the wasm 'sigmoidGrad' kernel). */
export const sigmoidGradFn: FusedFn = {
  f64: (g, y) => g * (y * (1 - y)),
  f32: (g, y) => Math.fround(g * Math.fround(y * Math.fround(1 - y))),
};

/** g·y(1 - y): one kernel, or differentiable ops when recording. */
export const sigmoidGrad = (g: Tensor, y: Tensor): Tensor => fusedRule('sigmoidGrad', sigmoidGradFn, g, y, () => mul(g, mul(y, sub(1, y))));

const sigmoidOp = defineOp<void>({
  name: 'sigmoid',
  elementwise: true,
  forward: ([x]) => mapUnary('sigmoid', stableSigmoid, x),
  jvp: ({ out }, [dx]) => sigmoidGrad(dx!, out),
  vjp: ({ out }, g) => [sigmoidGrad(g, out)],
});

/**
 * The logistic function σ(x) = 1 / (1 + e^-x), elementwise, computed without overflow
 * for large |x|. dσ(x) = σ(x)(1 - σ(x))·dx.
 */
export function sigmoid(x: TensorLike): Tensor {
  return sigmoidOp([asTensor('sigmoid', x)], undefined);
}
