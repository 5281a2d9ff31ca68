/**
 * tensorgrad: tensors with automatic differentiation in forward mode (every result
 * carries its Jacobians, as in the project brief) and reverse mode (`backward()`), plus
 * the JAX-style transforms.
 */
export * from './ops/index.js';
export { Tensor, type NestedArray } from './tensor/tensor.js';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  eye,
  arange,
  linspace,
  randn,
  rand,
  type TensorOptions,
  type RandomOptions,
  type TensorData,
} from './tensor/create.js';
export { type DType } from './core/dtype.js';
export { manualSeed, Generator } from './core/random.js';
export { TensorGradError, ShapeError, DTypeError, ValueError, GradError } from './core/errors.js';
export { setBackend, getBackend } from './backend/index.js';
export {
  getGradMode,
  setGradMode,
  withGradMode,
  noGrad,
  setForwardModeLimit,
  getForwardModeLimit,
  type GradMode,
} from './autodiff/grad-mode.js';
export { backward, type BackwardOptions } from './autodiff/backward.js';
export { jacobian } from './autodiff/jacobian.js';
export { grad, valueAndGrad, vjp, jvp, jacfwd, jacrev, type TensorFn, type ArgnumsOptions } from './autodiff/transforms.js';
export { gradcheck, numericalJacobian, type GradcheckOptions } from './autodiff/gradcheck.js';
