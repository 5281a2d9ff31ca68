import * as tg from '../index.js';
import { loadDataset } from './dataset-source.js';
import { loadModel } from './model-file.js';
import { confusionTable, score, scoreTable } from './report.js';

export interface EvalFlags {
  model: string;
  dataset?: string;
  split: 'all' | 'train' | 'test';
}

/** `tensorgrad eval`: scores a model saved by `tensorgrad train --save` on a data set. */
export function evalCommand(flags: EvalFlags, out: (line: string) => void): void {
  const { model, scaler, config } = loadModel(flags.model);
  const data = loadDataset(flags.dataset ?? config.dataset);
  if (data.x.shape[1] !== config.inputDim) {
    throw new tg.ValueError('eval', `the model takes ${config.inputDim} features but ${data.name} has ${data.x.shape[1]}`);
  }
  let x = data.x;
  let y = data.y;
  if (flags.split !== 'all') {
    if (!(config.testSize > 0)) throw new tg.ValueError('eval', `the model was trained without a test split; use --split all`);
    const s = tg.data.trainTestSplit(data.x, data.y, { testSize: config.testSize, seed: config.seed, stratify: true });
    [x, y] = flags.split === 'test' ? [s.xTest, s.yTest] : [s.xTrain, s.yTrain];
  }
  const xs = (scaler ? scaler.transform(x) : x).cast(config.dtype);
  const result = score(model, xs, y);
  out(`model ${flags.model} on ${data.name} (${flags.split}, ${x.shape[0]} samples)`);
  out(scoreTable({ [flags.split]: result.scores }));
  out(`\nconfusion matrix:\n${confusionTable(Array.from(y.dataSync()), result.labels, config.targetNames)}`);
}
