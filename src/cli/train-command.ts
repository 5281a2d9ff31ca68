import { writeFileSync } from 'node:fs';
import * as tg from '../index.js';
import { loadDataset } from './dataset-source.js';
import { makeScaler, saveModel, type ModelConfig, type ScaleKind } from './model-file.js';
import { confusionTable, score, scoreTable } from './report.js';

export interface TrainFlags {
  dataset: string;
  hidden: number;
  layers: number;
  init: 'normal' | 'xavier' | 'he';
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: 'sgd' | 'adam';
  mode: 'reverse' | 'forward';
  dtype: 'float64' | 'float32';
  seed: number;
  scale: ScaleKind;
  testSize: number;
  shuffle: boolean;
  save?: string;
  plot?: string;
  progress: boolean;
  chart: boolean;
}

/** `tensorgrad train`: the brief's training run, with the data set, model and optimizer chosen by flags. */
export async function trainCommand(flags: TrainFlags, out: (line: string) => void): Promise<void> {
  const started = performance.now();
  tg.manualSeed(flags.seed);
  const data = loadDataset(flags.dataset);
  const classes = Math.max(data.targetNames.length, ...Array.from(data.y.dataSync(), (v) => v + 1));
  const [n, f] = data.x.shape;
  const split =
    flags.testSize > 0
      ? tg.data.trainTestSplit(data.x, data.y, { testSize: flags.testSize, seed: flags.seed, stratify: true })
      : { xTrain: data.x, yTrain: data.y, xTest: null, yTest: null };
  const scaler = makeScaler(flags.scale);
  const fitScaled = (x: tg.Tensor) => (scaler ? scaler.fitTransform(x) : x).cast(flags.dtype);
  const applyScaled = (x: tg.Tensor) => (scaler ? scaler.transform(x) : x).cast(flags.dtype);
  const xTrain = fitScaled(split.xTrain);
  const xTest = split.xTest ? applyScaled(split.xTest) : null;

  const outDim = classes === 2 ? 1 : classes;
  const model = new tg.nn.FeedForward(f, flags.hidden, outDim, flags.layers, { dtype: flags.dtype, init: flags.init });
  const optimizer = flags.optimizer === 'adam' ? new tg.optim.Adam(model, { lr: flags.lr }) : new tg.optim.SGD(model, { lr: flags.lr });
  const batches = flags.shuffle
    ? new tg.data.DataLoader(xTrain, split.yTrain, { batchSize: flags.batchSize, shuffle: true, seed: flags.seed })
    : new tg.data.DataSet(xTrain, split.yTrain, flags.batchSize);

  out(`data:      ${data.name}: ${n} samples, ${f} features, ${classes} classes; train ${xTrain.shape[0]}, test ${xTest?.shape[0] ?? 0} (seed ${flags.seed}); scaling: ${flags.scale}`);
  out(`model:     FeedForward(${f}, ${flags.hidden}, ${outDim}, ${flags.layers}) with ${outDim === 1 ? 'sigmoid' : 'softmax'} output, ${flags.init} init, ${model.parameterCount()} parameters, ${flags.dtype}`);
  out(`training:  ${flags.optimizer} lr ${flags.lr}, batch ${flags.batchSize}${flags.shuffle ? ' shuffled' : ''}, ${flags.epochs} epochs, ${flags.mode} mode`);

  const history = tg.fit(model, {
    loss: new tg.nn.LogLoss(),
    optimizer,
    data: batches,
    epochs: flags.epochs,
    mode: flags.mode,
    progress: flags.progress ? tg.terminalProgress(process.stdout) : tg.lineProgress(out),
  });

  if (flags.chart && history.loss.length > 1) out(`\n${tg.terminalLossChart(history)}\n`);
  const train = score(model, xTrain, split.yTrain);
  const columns: Record<string, ReturnType<typeof score>['scores']> = { train: train.scores };
  let test: ReturnType<typeof score> | null = null;
  if (xTest && split.yTest) {
    test = score(model, xTest, split.yTest);
    columns.test = test.scores;
  }
  out(scoreTable(columns));
  const cm = test && split.yTest ? { truth: Array.from(split.yTest.dataSync()), labels: test.labels, what: 'test' } : { truth: Array.from(split.yTrain.dataSync()), labels: train.labels, what: 'train' };
  out(`\nconfusion matrix (${cm.what}):\n${confusionTable(cm.truth, cm.labels, data.targetNames)}`);

  if (flags.save) {
    const config: ModelConfig = {
      inputDim: f,
      hiddenDim: flags.hidden,
      outDim,
      nHidLayers: flags.layers,
      dtype: flags.dtype,
      scale: flags.scale,
      dataset: data.name,
      seed: flags.seed,
      testSize: flags.testSize,
      targetNames: data.targetNames,
    };
    saveModel(flags.save, model, scaler, config);
    out(`saved the model to ${flags.save}`);
  }
  if (flags.plot) {
    writeFileSync(flags.plot, await tg.lossCurveSVG(history, `Training loss: ${data.name}`));
    out(`wrote the loss curve to ${flags.plot}`);
  }
  out(`done in ${((performance.now() - started) / 1000).toFixed(2)} s (training ${(history.ms / 1000).toFixed(2)} s)`);
}
