import * as tg from '../index.js';

/** What a saved CLI model records besides its weights, to rebuild it and its scaling. */
export interface ModelConfig {
  inputDim: number;
  hiddenDim: number;
  outDim: number;
  nHidLayers: number;
  dtype: 'float64' | 'float32';
  scale: ScaleKind;
  dataset: string;
  seed: number;
  testSize: number;
  targetNames: string[];
}

export type ScaleKind = 'max' | 'standard' | 'minmax' | 'none';

const SCALER_PREFIX = '__scaler__.';

/** A scaler of the given kind (null for 'none'). */
export function makeScaler(kind: ScaleKind): tg.data.Scaler | null {
  switch (kind) {
    case 'max':
      return new tg.data.MaxScaler();
    case 'standard':
      return new tg.data.StandardScaler();
    case 'minmax':
      return new tg.data.MinMaxScaler();
    case 'none':
      return null;
  }
}

/**
 * Saves the model's weights with the scaler's statistics (as extra tensors named
 * `__scaler__.offset` / `.scale`) and the config in the file's metadata.
 */
export function saveModel(path: string, model: tg.nn.FeedForward, scaler: tg.data.Scaler | null, config: ModelConfig): void {
  const state: tg.StateDict = { ...model.stateDict() };
  if (scaler?.offset && scaler.scale) {
    state[`${SCALER_PREFIX}offset`] = scaler.offset;
    state[`${SCALER_PREFIX}scale`] = scaler.scale;
  }
  tg.save(state, path, { 'tensorgrad.config': JSON.stringify(config) });
}

/** Rebuilds a model saved by `saveModel`: config, weights and fitted scaler. */
export function loadModel(path: string): { model: tg.nn.FeedForward; scaler: tg.data.Scaler | null; config: ModelConfig } {
  const { state, metadata } = tg.loadWithMetadata(path);
  const raw = metadata['tensorgrad.config'];
  if (!raw) throw new tg.ValueError('eval', `${path} has no tensorgrad CLI config in its metadata; was it saved by 'tensorgrad train --save'?`);
  const config = JSON.parse(raw) as ModelConfig;
  const model = new tg.nn.FeedForward(config.inputDim, config.hiddenDim, config.outDim, config.nHidLayers, { dtype: config.dtype });
  const weights: tg.StateDict = {};
  for (const [k, v] of Object.entries(state)) if (!k.startsWith(SCALER_PREFIX)) weights[k] = v;
  model.loadStateDict(weights);
  const scaler = makeScaler(config.scale);
  if (scaler) {
    const offset = state[`${SCALER_PREFIX}offset`];
    const scale = state[`${SCALER_PREFIX}scale`];
    if (!offset || !scale) throw new tg.ValueError('eval', `${path} was trained with '${config.scale}' scaling but holds no scaler statistics`);
    scaler.offset = offset;
    scaler.scale = scale;
  }
  return { model, scaler, config };
}
