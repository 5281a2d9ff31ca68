/**
 * The platform-independent API of tensorgrad, shared by the Node entry (src/index.ts) and
 * the browser entry (src/index.browser.ts): tensors, both autodiff modes, transforms, nn,
 * losses, optimizers, data, datasets, training, metrics, and state-file encoding. Anything
 * that needs a file system or a terminal lives in src/platform and is exported by the
 * entry for that platform only.
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
export { setBackend, getBackend, ready, setNumThreads, getNumThreads } from './backend/index.js';
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
export { grad, valueAndGrad, vjp, jvp, jacfwd, jacrev, hessian, type TensorFn, type ArgnumsOptions } from './autodiff/transforms.js';
export { gradcheck, numericalJacobian, type GradcheckOptions } from './autodiff/gradcheck.js';

// neural networks, losses, optimizers, data handling, built-in datasets
export * as nn from './nn/index.js';
export * as losses from './losses/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as datasets from './datasets/index.js';

// training loop, metrics, progress, charts
export {
  fit,
  evaluate,
  formatEpoch,
  type FitOptions,
  type History,
  type EpochLogs,
  type Callbacks,
  type MetricName,
  type TrainableModel,
  type Batches,
} from './train/fit.js';
export * as metrics from './train/metrics.js';
export { type ProgressReporter, type ProgressStart, type ProgressUpdate, setDefaultProgress, lineProgress, silentProgress } from './train/progress.js';
export { terminalLossChart, lossCurveSVG } from './train/charts.js';

// saving and loading state, CSV data
export { encodeSafetensors, decodeSafetensors } from './io/safetensors.js';
export { stateToJSON, stateFromJSON, type StateJSON } from './io/state-json.js';
export { parseCsvDataset, type CsvDataset } from './io/csv.js';
export type { StateDict, HasState } from './io/state.js';
