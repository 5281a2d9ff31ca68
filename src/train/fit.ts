import { ValueError } from '../core/errors.js';
import { withGradMode, noGrad, type GradMode } from '../autodiff/grad-mode.js';
import type { Tensor } from '../tensor/tensor.js';
import { argmax } from '../ops/argmax.js';
import { greaterEqual } from '../ops/compare.js';
import { sigmoid } from '../ops/sigmoid.js';
import { softmax } from '../ops/softmax.js';
import { reshape } from '../ops/reshape.js';
import { accuracy, logLoss, precisionRecallF1, rocAuc } from './metrics.js';
import { defaultProgress, silentProgress, type ProgressReporter } from './progress.js';

/** The parts of a model `fit` uses (every `tg.nn.Module` has them). */
export interface TrainableModel {
  forward(x: Tensor): Tensor;
  train(mode?: boolean): unknown;
  eval(): unknown;
}

export interface LossFn {
  forward(pred: Tensor, target: Tensor): Tensor;
}

export interface OptimizerLike {
  zeroGrad(): void;
  step(): void;
}

/** Batches of [x, y]; iterated once per epoch (a DataSet or DataLoader). */
export type Batches = Iterable<readonly [Tensor, Tensor]> & { length?: number };

export type MetricName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'auc' | 'logLoss';

/** What the model's outputs are, for computing metrics from them. */
export type OutputKind = 'probabilities' | 'logits';

export interface EpochLogs {
  epoch: number;
  loss: number;
  metrics: Partial<Record<MetricName, number>>;
  valLoss?: number;
  valMetrics?: Partial<Record<MetricName, number>>;
  /** Wall time of the epoch in milliseconds. */
  ms: number;
}

export interface Callbacks {
  onTrainBegin?(): void;
  /** Return false to stop training after this batch. */
  onBatchEnd?(info: { epoch: number; batch: number; loss: number }): void | boolean;
  /** Return false to stop training after this epoch (early stopping). */
  onEpochEnd?(logs: EpochLogs, history: History): void | boolean;
  onTrainEnd?(history: History): void;
}

export interface FitOptions {
  loss: LossFn;
  optimizer: OptimizerLike;
  data: Batches;
  epochs: number;
  /** Held-out data, evaluated (with tracking off) after every epoch. */
  validation?: Batches | { x: Tensor; y: Tensor };
  /** Metrics computed on the training batches and on the validation data. */
  metrics?: readonly MetricName[];
  /**
   * `true`: the default display (a live bar on a terminal, plain lines otherwise);
   * `false`: silent; or any ProgressReporter.
   */
  progress?: boolean | ProgressReporter;
  /** Print the mean loss every this many epochs, as the brief does (default 10; 0 = never). */
  logEvery?: number;
  /** Autodiff mode for training: 'reverse' (default) or 'forward' (the brief's design). */
  mode?: Exclude<GradMode, 'none'>;
  /** A learning-rate schedule, stepped once per epoch. */
  scheduler?: { step(): void };
  callbacks?: Callbacks;
  /**
   * Whether the model outputs probabilities (sigmoid/softmax) or logits; decides how
   * metrics read predictions. Default: 'logits' for BCEWithLogitsLoss and CrossEntropyLoss,
   * else 'probabilities'.
   */
  outputs?: OutputKind;
}

/** Per-epoch record of a run. */
export interface History {
  epochs: EpochLogs[];
  /** Mean training loss of every epoch, in order (the brief's printed numbers). */
  loss: number[];
  valLoss: number[];
  /** Total wall time in milliseconds. */
  ms: number;
  /** Whether a callback stopped the run early. */
  stoppedEarly: boolean;
}

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function inferOutputs(loss: LossFn): OutputKind {
  const name = (loss as object).constructor?.name ?? '';
  return /Logits|CrossEntropy/.test(name) ? 'logits' : 'probabilities';
}

/**
 * Labels and positive-class scores from a batch of model outputs: one column (or 1-D) is
 * binary (score = probability of class 1, label = score >= 0.5), more columns are classes
 * (label = argmax, score = probability of class 1 when there are two).
 */
function readPredictions(out: Tensor, kind: OutputKind): { labels: number[]; scores: number[] | null } {
  return noGrad(() => {
    const binary = out.ndim <= 1 || out.shape[out.ndim - 1] === 1;
    if (binary) {
      const flat = reshape(out, [out.size]);
      const p = kind === 'logits' ? sigmoid(flat) : flat;
      return { labels: Array.from(greaterEqual(p, 0.5).dataSync()), scores: Array.from(p.dataSync()) };
    }
    const labels = Array.from(argmax(out, -1).dataSync());
    let scores: number[] | null = null;
    if (out.shape[out.ndim - 1] === 2) {
      const p = kind === 'logits' ? softmax(out, -1) : out;
      const d = p.dataSync();
      scores = labels.map((_, i) => d[i * 2 + 1]);
    }
    return { labels, scores };
  });
}

function computeMetrics(names: readonly MetricName[], yTrue: number[], labels: number[], scores: number[] | null): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const name of names) {
    if (name === 'accuracy') out.accuracy = accuracy(yTrue, labels);
    else if (name === 'precision' || name === 'recall' || name === 'f1') out[name] = precisionRecallF1(yTrue, labels)[name];
    else if (name === 'auc') {
      if (scores && new Set(yTrue).size === 2) out.auc = rocAuc(yTrue, scores);
    } else if (name === 'logLoss') {
      if (scores) out.logLoss = logLoss(yTrue, scores);
    }
  }
  return out;
}

function batchesOf(v: Batches | { x: Tensor; y: Tensor }): Iterable<readonly [Tensor, Tensor]> {
  return 'x' in v && 'y' in v && !(Symbol.iterator in v) ? [[v.x, v.y] as const] : (v as Batches);
}

/** Loss and metrics of `model` on `data`, with tracking off and the model in eval mode. */
export function evaluate(
  model: TrainableModel,
  data: Batches | { x: Tensor; y: Tensor },
  opts: { loss?: LossFn; metrics?: readonly MetricName[]; outputs?: OutputKind } = {},
): { loss?: number; metrics: Partial<Record<MetricName, number>> } {
  model.eval();
  const kind = opts.outputs ?? (opts.loss ? inferOutputs(opts.loss) : 'probabilities');
  let lossSum = 0;
  let count = 0;
  const yTrue: number[] = [];
  const labels: number[] = [];
  let scores: number[] | null = [];
  noGrad(() => {
    for (const [x, y] of batchesOf(data)) {
      const out = model.forward(x);
      const n = y.shape[0] ?? 1;
      if (opts.loss) lossSum += opts.loss.forward(out, y).item() * n;
      count += n;
      const p = readPredictions(out, kind);
      yTrue.push(...y.dataSync());
      labels.push(...p.labels);
      scores = scores && p.scores ? scores.concat(p.scores) : null;
    }
  });
  return { loss: opts.loss && count ? lossSum / count : undefined, metrics: computeMetrics(opts.metrics ?? [], yTrue, labels, scores) };
}

/**
 * Trains `model` for `epochs` passes over `data`: for each batch, forward, loss,
 * zeroGrad, backward, step (the brief's loop), in reverse or forward mode. Shows progress,
 * prints the mean loss every `logEvery` epochs, evaluates `validation` after each epoch,
 * and returns the history. Callbacks can observe every batch and epoch and stop early.
 */
export function fit(model: TrainableModel, opts: FitOptions): History {
  const { loss, optimizer, data, epochs } = opts;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError('fit', `epochs must be a non-negative integer, got ${epochs}`);
  if (!data || typeof (data as Batches)[Symbol.iterator] !== 'function') throw new ValueError('fit', 'data must be an iterable of [x, y] batches (a DataSet or DataLoader)');
  const mode = opts.mode ?? 'reverse';
  if (mode !== 'reverse' && mode !== 'forward') throw new ValueError('fit', `mode must be 'reverse' or 'forward', got ${JSON.stringify(mode)}`);
  const metrics = opts.metrics ?? [];
  const kind = opts.outputs ?? inferOutputs(loss);
  const logEvery = opts.logEvery ?? 10;
  const progress = opts.progress === undefined || opts.progress === false ? silentProgress : opts.progress === true ? defaultProgress() : opts.progress;
  const history: History = { epochs: [], loss: [], valLoss: [], ms: 0, stoppedEarly: false };
  const t0 = now();
  let samples = 0;
  opts.callbacks?.onTrainBegin?.();
  progress.start({ epochs, batchesPerEpoch: typeof data.length === 'number' ? data.length : undefined });
  try {
    for (let epoch = 1; epoch <= epochs && !history.stoppedEarly; epoch++) {
      const e0 = now();
      model.train();
      let lossSum = 0;
      let batches = 0;
      const yTrue: number[] = [];
      const labels: number[] = [];
      let scores: number[] | null = [];
      for (const [x, y] of data) {
        const value = withGradMode(mode, () => {
          const out = model.forward(x);
          const l = loss.forward(out, y);
          optimizer.zeroGrad();
          l.backward();
          optimizer.step();
          if (metrics.length) {
            const p = readPredictions(out, kind);
            yTrue.push(...y.dataSync());
            labels.push(...p.labels);
            scores = scores && p.scores ? scores.concat(p.scores) : null;
          }
          return l.item();
        });
        lossSum += value;
        batches++;
        samples += x.shape[0] ?? 1;
        progress.update({ epoch, batch: batches, loss: lossSum / batches, samplesPerSecond: samples / Math.max((now() - t0) / 1000, 1e-9) });
        if (opts.callbacks?.onBatchEnd?.({ epoch, batch: batches, loss: value }) === false) {
          history.stoppedEarly = true;
          break;
        }
      }
      if (batches === 0) throw new ValueError('fit', 'data produced no batches');
      const logs: EpochLogs = { epoch, loss: lossSum / batches, metrics: computeMetrics(metrics, yTrue, labels, scores), ms: 0 };
      if (opts.validation) {
        const v = evaluate(model, opts.validation, { loss, metrics, outputs: kind });
        logs.valLoss = v.loss;
        logs.valMetrics = v.metrics;
        if (v.loss !== undefined) history.valLoss.push(v.loss);
      }
      opts.scheduler?.step();
      logs.ms = now() - e0;
      history.epochs.push(logs);
      history.loss.push(logs.loss);
      if (logEvery > 0 && (epoch % logEvery === 0 || epoch === epochs)) progress.log(formatEpoch(logs, epochs));
      if (opts.callbacks?.onEpochEnd?.(logs, history) === false) history.stoppedEarly = true;
    }
  } finally {
    progress.stop();
    model.train();
  }
  history.ms = now() - t0;
  opts.callbacks?.onTrainEnd?.(history);
  return history;
}

/** `epoch 10/20  loss 0.4132  accuracy 0.912  val_loss 0.4011 ...` */
export function formatEpoch(logs: EpochLogs, epochs: number): string {
  const parts = [`epoch ${String(logs.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${logs.loss.toFixed(4)}`];
  for (const [k, v] of Object.entries(logs.metrics)) parts.push(`${k} ${v.toFixed(3)}`);
  if (logs.valLoss !== undefined) parts.push(`val_loss ${logs.valLoss.toFixed(4)}`);
  for (const [k, v] of Object.entries(logs.valMetrics ?? {})) parts.push(`val_${k} ${v.toFixed(3)}`);
  return parts.join('  ');
}
