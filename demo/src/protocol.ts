/** Messages between the page (main.ts) and the training worker (worker.ts). */

export type BuiltinDataset = 'breast-cancer' | 'digits' | 'iris';
export type ToyDataset = 'moons' | 'circles';

/** Which data to train on. */
export type DatasetSpec =
  | { kind: BuiltinDataset }
  | { kind: ToyDataset; samples: number; noise: number; seed: number }
  | { kind: 'csv'; fileName: string; text: string };

export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export type Scaling = 'standard' | 'max' | 'none';

/** Everything the Train button sends. */
export interface TrainConfig {
  hidden: number;
  layers: number;
  init: 'he' | 'xavier' | 'normal';
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batchSize: number;
  mode: 'reverse' | 'forward';
  scaling: Scaling;
  backend: string;
  seed: number;
}

/** What the page learns about a data set when it is loaded. */
export interface DatasetInfo {
  name: string;
  samples: number;
  features: number;
  featureNames: string[];
  targetNames: string[];
  classCounts: number[];
  /** Two features: the page draws the decision boundary. */
  planar: boolean;
  /** Raw 2-D points (x0, y0, x1, y1, ...) and labels, for drawing; planar data only. */
  points?: Float64Array;
  labels?: Int32Array;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  ms: number;
}

/** Class probabilities over a grid covering the 2-D data (row-major, first row at the top). */
export interface BoundaryGrid {
  nx: number;
  ny: number;
  /** [xMin, xMax, yMin, yMax] in the data's own units. */
  bounds: [number, number, number, number];
  classes: number;
  /** nx · ny · classes probabilities. */
  probs: Float32Array;
}

export interface FinalReport {
  trainAccuracy: number;
  testAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc?: number;
  testLoss: number;
  /** Rows: true class, columns: predicted class (test set). */
  confusion: number[][];
  testSize: number;
  parameters: number;
  ms: number;
  stopped: boolean;
}

export interface JacobianReport {
  index: number;
  /** The test example's label and the model's class probabilities for it. */
  label: number;
  probs: number[];
  /** The class whose probability is differentiated. */
  output: number;
  /** d p_output / d x_k for every (scaled) input feature k, from forward mode. */
  values: number[];
  /** The example's raw feature values. */
  features: number[];
  /** max |forward − reverse| over the features: both modes agree. */
  reverseDiff: number;
  ms: number;
}

export type ToWorker =
  | { type: 'dataset'; spec: DatasetSpec }
  | { type: 'train'; config: TrainConfig }
  | { type: 'stop' }
  | { type: 'jacobian'; index: number | 'least-certain'; output?: number }
  | { type: 'save' };

export type FromWorker =
  | { type: 'hello'; backends: string[] }
  | { type: 'dataset'; info: DatasetInfo }
  | { type: 'start'; config: TrainConfig; batchesPerEpoch: number; trainSize: number; testSize: number; parameters: number }
  | { type: 'batch'; epoch: number; batch: number; loss: number }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'boundary'; grid: BoundaryGrid }
  | { type: 'done'; report: FinalReport }
  | { type: 'jacobian'; report: JacobianReport }
  | { type: 'saved'; blob: Blob; fileName: string }
  | { type: 'error'; where: 'dataset' | 'train' | 'jacobian' | 'save'; message: string };
