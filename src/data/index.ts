/**
 * Data handling: the brief's in-order `DataSet`, a shuffling `DataLoader`,
 * `trainTestSplit`, and scalers that learn on training data and apply to test data.
 */
export { DataSet } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export { trainTestSplit, type TrainTestSplitOptions, type TrainTestSplit } from './split.js';
export { Scaler, MaxScaler, MinMaxScaler, StandardScaler } from './scalers.js';
