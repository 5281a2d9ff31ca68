/**
 * The training side of the demo: it owns the data and the model, trains with `tg.fit` one
 * epoch at a time, and posts what happens to the page. Running here keeps the page
 * responsive however long an epoch takes; between epochs it yields to read a Stop.
 */
import * as tg from 'tensorgrad';
import type { BoundaryGrid, DatasetInfo, DatasetSpec, FinalReport, FromWorker, JacobianReport, ToWorker, TrainConfig } from './protocol.js';
import { makeCircles, makeMoons } from './toy-data.js';

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

interface Loaded {
  info: DatasetInfo;
  x: tg.Tensor;
  y: tg.Tensor;
}

interface Trained {
  model: tg.nn.FeedForward;
  classes: number;
  /** Scaled and raw test features, and their labels. */
  xTest: tg.Tensor;
  xTestRaw: tg.Tensor;
  yTest: tg.Tensor;
  scaler: tg.data.Scaler | null;
}

let loaded: Loaded | null = null;
let trained: Trained | null = null;
let training = false;
let stopRequested = false;

const now = () => performance.now();
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function loadDataset(spec: DatasetSpec): Loaded {
  let name: string;
  let set: { x: tg.Tensor; y: tg.Tensor; featureNames: string[]; targetNames: string[] };
  switch (spec.kind) {
    case 'breast-cancer':
      name = 'Breast cancer';
      set = tg.datasets.breastCancer();
      break;
    case 'digits':
      name = 'Digits';
      set = tg.datasets.digits();
      break;
    case 'iris':
      name = 'Iris';
      set = tg.datasets.iris();
      break;
    case 'moons':
    case 'circles': {
      const toy = spec.kind === 'moons' ? makeMoons(spec.samples, spec.noise, spec.seed) : makeCircles(spec.samples, spec.noise, spec.seed);
      name = spec.kind === 'moons' ? 'Two moons' : 'Circles';
      set = { x: tg.tensor(toy.x, { shape: [spec.samples, 2] }), y: tg.tensor(toy.y), featureNames: toy.featureNames, targetNames: toy.targetNames };
      break;
    }
    case 'csv':
      name = spec.fileName;
      set = tg.parseCsvDataset(spec.text, spec.fileName);
      break;
  }
  const [samples, features] = set.x.shape;
  const labels = Int32Array.from(set.y.dataSync());
  const classes = Math.max(set.targetNames.length, labels.reduce((m, l) => Math.max(m, l), 0) + 1);
  if (classes < 2) throw new Error(`${name}: every row has the same label; a classifier needs at least two classes`);
  const classCounts = new Array<number>(classes).fill(0);
  for (const l of labels) classCounts[l]++;
  if (samples < 10) throw new Error(`${name}: only ${samples} rows; the demo needs at least 10 to split into training and test data`);
  const targetNames = Array.from({ length: classes }, (_, i) => set.targetNames[i] ?? String(i));
  const planar = features === 2;
  const info: DatasetInfo = { name, samples, features, featureNames: set.featureNames, targetNames, classCounts, planar };
  if (planar) {
    info.points = Float64Array.from(set.x.dataSync());
    info.labels = labels;
  }
  return { info, x: set.x, y: set.y };
}

/** Bounds of the 2-D data with a margin, as the boundary grid covers them. */
function boundsOf(points: Float64Array): [number, number, number, number] {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 2) {
    x0 = Math.min(x0, points[i]);
    x1 = Math.max(x1, points[i]);
    y0 = Math.min(y0, points[i + 1]);
    y1 = Math.max(y1, points[i + 1]);
  }
  const mx = (x1 - x0) * 0.08 || 1;
  const my = (y1 - y0) * 0.08 || 1;
  return [x0 - mx, x1 + mx, y0 - my, y1 + my];
}

/** Class probabilities of `model` (outputs [B, 1] sigmoid or [B, k] softmax) as [B, k]. */
function classProbs(model: tg.nn.FeedForward, x: tg.Tensor): { probs: ArrayLike<number>; classes: number } {
  const out = tg.noGrad(() => model.forward(x));
  if (model.outDim > 1) return { probs: out.dataSync(), classes: model.outDim };
  const p = out.dataSync();
  const both = new Float64Array(p.length * 2);
  for (let i = 0; i < p.length; i++) {
    both[2 * i] = 1 - p[i];
    both[2 * i + 1] = p[i];
  }
  return { probs: both, classes: 2 };
}

function boundary(t: Trained, points: Float64Array): BoundaryGrid {
  const bounds = boundsOf(points);
  const [x0, x1, y0, y1] = bounds;
  const nx = 96;
  const ny = Math.max(24, Math.round((nx * (y1 - y0)) / (x1 - x0)));
  const grid = new Float64Array(nx * ny * 2);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      grid[2 * (r * nx + c)] = x0 + ((c + 0.5) / nx) * (x1 - x0);
      grid[2 * (r * nx + c) + 1] = y1 - ((r + 0.5) / ny) * (y1 - y0);
    }
  }
  const raw = tg.tensor(grid, { shape: [nx * ny, 2] });
  const { probs, classes } = classProbs(t.model, t.scaler ? t.scaler.transform(raw) : raw);
  return { nx, ny, bounds, classes, probs: Float32Array.from(probs) };
}

function makeScaler(kind: TrainConfig['scaling']): tg.data.Scaler | null {
  if (kind === 'standard') return new tg.data.StandardScaler();
  if (kind === 'max') return new tg.data.MaxScaler();
  return null;
}

function makeOptimizer(cfg: TrainConfig, model: tg.nn.Module): tg.optim.Optimizer {
  if (cfg.optimizer === 'adam') return new tg.optim.Adam(model, { lr: cfg.lr });
  return new tg.optim.SGD(model, { lr: cfg.lr, momentum: cfg.optimizer === 'momentum' ? 0.9 : 0 });
}

/** Lets queued messages (a Stop) run; a macrotask through a MessageChannel, which is not clamped like setTimeout. */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function finalReport(t: Trained, xTrain: tg.Tensor, yTrain: tg.Tensor, ms: number, stopped: boolean): FinalReport {
  const { model, classes, xTest, yTest } = t;
  const yTrue = yTest.dataSync();
  const { probs } = classProbs(model, xTest);
  const predicted = Array.from(model.predict(xTest).dataSync());
  const scores = precisionRecallF1(yTrue, predicted, classes);
  const testLoss = tg.noGrad(() => new tg.nn.LogLoss().forward(model.forward(xTest), yTest).item());
  const report: FinalReport = {
    trainAccuracy: tg.metrics.accuracy(yTrain, model.predict(xTrain)),
    testAccuracy: tg.metrics.accuracy(yTrue, predicted),
    ...scores,
    testLoss,
    confusion: tg.metrics.confusionMatrix(yTrue, predicted, classes),
    testSize: yTrue.length,
    parameters: model.parameterCount(),
    ms,
    stopped,
  };
  if (classes === 2 && new Set(yTrue).size === 2) {
    report.auc = tg.metrics.rocAuc(yTrue, Array.from({ length: yTrue.length }, (_, i) => probs[2 * i + 1]));
  }
  return report;
}

function precisionRecallF1(yTrue: ArrayLike<number>, predicted: number[], classes: number): { precision: number; recall: number; f1: number } {
  return tg.metrics.precisionRecallF1(yTrue, predicted, { average: classes === 2 ? 'binary' : 'macro' });
}

async function train(cfg: TrainConfig): Promise<void> {
  if (!loaded) throw new Error('choose a data set first');
  tg.setBackend(cfg.backend);
  tg.manualSeed(cfg.seed);
  const { x, y, info } = loaded;
  const split = tg.data.trainTestSplit(x, y, { testSize: 0.2, seed: cfg.seed, stratify: true });
  const scaler = makeScaler(cfg.scaling);
  const xTrain = scaler ? scaler.fitTransform(split.xTrain) : split.xTrain;
  const xTest = scaler ? scaler.transform(split.xTest) : split.xTest;
  const classes = info.targetNames.length;
  const model = new tg.nn.FeedForward(info.features, cfg.hidden, classes === 2 ? 1 : classes, cfg.layers, { init: cfg.init });
  const optimizer = makeOptimizer(cfg, model);
  const loss = new tg.nn.LogLoss();
  const loader = new tg.data.DataLoader(xTrain, split.yTrain, { batchSize: cfg.batchSize, shuffle: true, seed: cfg.seed });
  const t: Trained = { model, classes, xTest, xTestRaw: split.xTest, yTest: split.yTest, scaler };
  trained = null;
  post({ type: 'start', config: cfg, batchesPerEpoch: loader.length, trainSize: split.yTrain.size, testSize: split.yTest.size, parameters: model.parameterCount() });

  const t0 = now();
  let lastBatchPost = 0;
  let lastBoundary = -Infinity;
  let lastYield = now();
  const sendBoundary = () => {
    if (!info.planar || !info.points) return;
    const grid = boundary(t, info.points);
    post({ type: 'boundary', grid }, [grid.probs.buffer]);
    lastBoundary = now();
  };
  sendBoundary();
  let epoch = 0;
  while (epoch < cfg.epochs && !stopRequested) {
    epoch++;
    const history = tg.fit(model, {
      loss,
      optimizer,
      data: loader,
      epochs: 1,
      mode: cfg.mode,
      metrics: ['accuracy'],
      validation: { x: xTest, y: split.yTest },
      logEvery: 0,
      progress: false,
      callbacks: {
        onBatchEnd: ({ batch, loss: value }) => {
          if (now() - lastBatchPost > 50) {
            post({ type: 'batch', epoch, batch, loss: value });
            lastBatchPost = now();
          }
        },
      },
    });
    const logs = history.epochs[0];
    if (!Number.isFinite(logs.loss)) throw new Error(`the loss became ${logs.loss} in epoch ${epoch}: lower the learning rate`);
    post({
      type: 'epoch',
      report: {
        epoch,
        loss: logs.loss,
        accuracy: logs.metrics.accuracy ?? NaN,
        valLoss: logs.valLoss ?? NaN,
        valAccuracy: logs.valMetrics?.accuracy ?? NaN,
        ms: logs.ms,
      },
    });
    if (now() - lastBoundary > 120 || epoch === cfg.epochs) sendBoundary();
    if (now() - lastYield > 30 || epoch === cfg.epochs) {
      await yieldToMessages();
      lastYield = now();
    }
  }
  if (stopRequested) sendBoundary();
  trained = t;
  post({ type: 'done', report: finalReport(t, xTrain, split.yTrain, now() - t0, stopRequested) });
}

/** The test example whose most probable class has the lowest probability. */
function leastCertain(t: Trained): number {
  const { probs, classes } = classProbs(t.model, t.xTest);
  let best = 0;
  let lowest = Infinity;
  for (let i = 0; i < probs.length / classes; i++) {
    let top = 0;
    for (let c = 0; c < classes; c++) top = Math.max(top, probs[i * classes + c]);
    if (top < lowest) {
      lowest = top;
      best = i;
    }
  }
  return best;
}

/**
 * For one test example: the forward-mode Jacobian of the model's class probability with
 * respect to the input, d p / d x: mark the input as requiring a gradient, run the model
 * in forward mode, read the Jacobian off the output (the parameters' Jacobians ride along;
 * for one example they are small). Reverse mode computes the same row as a check.
 */
function jacobian(which: number | 'least-certain', output?: number): JacobianReport {
  if (!trained) throw new Error('train a model first');
  const { model, xTest, xTestRaw, yTest, classes } = trained;
  const n = xTest.shape[0];
  const index = which === 'least-certain' ? leastCertain(trained) : which;
  if (!Number.isInteger(index) || index < 0 || index >= n) throw new Error(`example ${index} is out of range: the test set has ${n} examples (0..${n - 1})`);
  const t0 = now();
  const x = tg.index(xTest, `${index}:${index + 1}`).detach().requiresGrad_(); // [1, f]
  const out = tg.withGradMode('forward', () => model.forward(x)); // [1, outDim]
  const jac = out.jacobian(x).dataSync(); // [1, outDim, 1, f]
  const ms = now() - t0;
  const f = x.shape[1];
  const raw = out.dataSync();
  const probs = model.outDim === 1 ? [1 - raw[0], raw[0]] : Array.from(raw);
  const chosen = output ?? probs.indexOf(Math.max(...probs));
  if (!Number.isInteger(chosen) || chosen < 0 || chosen >= classes) throw new Error(`no class ${chosen}`);
  // a binary model outputs p(class 1); p(class 0) = 1 - p has the negated Jacobian
  const sign = model.outDim === 1 && chosen === 0 ? -1 : 1;
  const row = model.outDim === 1 ? 0 : chosen;
  const values = Array.from({ length: f }, (_, k) => sign * jac[row * f + k]);

  const xr = x.detach().requiresGrad_();
  tg.index(tg.withGradMode('reverse', () => model.forward(xr)), 0, row).backward();
  const grad = xr.grad!.dataSync();
  const reverseDiff = values.reduce((m, v, k) => Math.max(m, Math.abs(v - sign * grad[k])), 0);
  model.zeroGrad();

  const features = Array.from(tg.index(xTestRaw, index).dataSync());
  return { index, label: yTest.dataSync()[index], probs, output: chosen, values, features, reverseDiff, ms };
}

async function hello(): Promise<void> {
  const backends = ['js'];
  try {
    await tg.ready();
    const before = tg.getBackend();
    tg.setBackend('wasm');
    tg.setBackend(before);
    backends.push('wasm');
  } catch {
    // no wasm backend here: js only
  }
  const preferred = tg.getBackend();
  post({ type: 'hello', backends: [preferred, ...backends.filter((b) => b !== preferred)] });
}

scope.onmessage = (e) => {
  const msg = e.data;
  switch (msg.type) {
    case 'dataset':
      try {
        loaded = loadDataset(msg.spec);
        trained = null;
        const { info } = loaded;
        post({ type: 'dataset', info });
      } catch (err) {
        loaded = null;
        post({ type: 'error', where: 'dataset', message: message(err) });
      }
      break;
    case 'train':
      if (training) return;
      training = true;
      stopRequested = false;
      train(msg.config)
        .catch((err) => post({ type: 'error', where: 'train', message: message(err) }))
        .finally(() => {
          training = false;
          stopRequested = false;
        });
      break;
    case 'stop':
      if (training) stopRequested = true;
      break;
    case 'jacobian':
      try {
        post({ type: 'jacobian', report: jacobian(msg.index, msg.output) });
      } catch (err) {
        post({ type: 'error', where: 'jacobian', message: message(err) });
      }
      break;
    case 'save':
      try {
        if (!trained) throw new Error('train a model first');
        post({ type: 'saved', blob: tg.stateToBlob(trained.model, 'safetensors', { demo: 'tensorgrad' }), fileName: 'model.safetensors' });
      } catch (err) {
        post({ type: 'error', where: 'save', message: message(err) });
      }
      break;
  }
};

void hello();
