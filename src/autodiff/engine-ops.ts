import type { Tensor } from '../tensor/tensor.js';

/**
 * The few differentiable ops the autodiff engine itself needs (to sum cotangents back to
 * an input's shape, expand tangents, accumulate gradients, lay out Jacobians, work on
 * structured tangents). They are defined in the ops layer, which depends on this one, and
 * handed in from there at load time, so that imports keep flowing one way.
 */
export interface EngineOps {
  add(a: Tensor, b: Tensor): Tensor;
  reshape(x: Tensor, shape: readonly number[]): Tensor;
  transpose(x: Tensor, perm: readonly number[]): Tensor;
  broadcastTo(x: Tensor, shape: readonly number[]): Tensor;
  /** Sums `x` over the axes along which `shape` was broadcast, giving exactly `shape`. */
  sumToShape(x: Tensor, shape: readonly number[]): Tensor;
  matmul(a: Tensor, b: Tensor): Tensor;
  /** Elementwise product with broadcasting (a number takes the tensor's dtype). */
  mul(a: Tensor, b: Tensor | number): Tensor;
  sum(x: Tensor, axis?: number | readonly number[] | null, keepdims?: boolean): Tensor;
  cast(x: Tensor, dtype: Tensor['dtype']): Tensor;
}

let provided: EngineOps | null = null;

export function provideEngineOps(ops: EngineOps): void {
  provided = ops;
}

export function engineOps(): EngineOps {
  if (!provided) throw new Error('tensorgrad: the ops layer was not loaded; import from the package entry point');
  return provided;
}
