import { ShapeError, ValueError } from '../core/errors.js';
import { Tensor } from '../tensor/tensor.js';

/** Labels or scores as a tensor (any shape, flattened) or a plain array. */
export type Values = Tensor | ArrayLike<number>;

function toNumbers(op: string, v: Values, what: string): number[] {
  if (v instanceof Tensor) return Array.from(v.dataSync());
  if (v && typeof (v as ArrayLike<number>).length === 'number') return Array.from(v as ArrayLike<number>);
  throw new ValueError(op, `${what} must be a Tensor or an array of numbers`);
}

function pair(op: string, yTrue: Values, yOther: Values, otherName: string): [number[], number[]] {
  const a = toNumbers(op, yTrue, 'yTrue');
  const b = toNumbers(op, yOther, otherName);
  if (a.length !== b.length) throw new ShapeError(op, `yTrue has ${a.length} values but ${otherName} has ${b.length}`);
  if (a.length === 0) throw new ValueError(op, 'needs at least one sample');
  return [a, b];
}

/** Fraction of predictions equal to the true labels. */
export function accuracy(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('accuracy', yTrue, yPred, 'yPred');
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

/**
 * Confusion matrix: entry [i][j] counts samples of true class i predicted as class j.
 * Classes are 0..numClasses-1 (default: one more than the largest label seen).
 */
export function confusionMatrix(yTrue: Values, yPred: Values, numClasses?: number): number[][] {
  const [t, p] = pair('confusionMatrix', yTrue, yPred, 'yPred');
  for (const v of [...t, ...p]) {
    if (!Number.isInteger(v) || v < 0) throw new ValueError('confusionMatrix', `labels must be non-negative integers, got ${v}`);
  }
  const k = numClasses ?? Math.max(...t, ...p) + 1;
  if (Math.max(...t, ...p) >= k) throw new ValueError('confusionMatrix', `a label is >= numClasses (${k})`);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) m[t[i]][p[i]]++;
  return m;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
}

export interface ScoreOptions {
  /**
   * 'binary' (default for two classes): scores of `positiveLabel`; 'macro': unweighted mean over
   * classes (default for more than two).
   */
  average?: 'binary' | 'macro';
  /** The positive class for binary averaging (default 1). */
  positiveLabel?: number;
}

/**
 * Precision tp/(tp+fp), recall tp/(tp+fn) and F1 (their harmonic mean); a ratio with an
 * empty denominator counts as 0, as scikit-learn does by default.
 */
export function precisionRecallF1(yTrue: Values, yPred: Values, opts: ScoreOptions = {}): ClassScores {
  const [t, p] = pair('precisionRecallF1', yTrue, yPred, 'yPred');
  const classes = [...new Set([...t, ...p])].sort((a, b) => a - b);
  const average = opts.average ?? (classes.length <= 2 ? 'binary' : 'macro');
  const scoresOf = (c: number): ClassScores => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < t.length; i++) {
      if (p[i] === c && t[i] === c) tp++;
      else if (p[i] === c) fp++;
      else if (t[i] === c) fn++;
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1 };
  };
  if (average === 'binary') return scoresOf(opts.positiveLabel ?? 1);
  const all = classes.map(scoresOf);
  const meanOf = (k: keyof ClassScores) => all.reduce((s, x) => s + x[k], 0) / all.length;
  return { precision: meanOf('precision'), recall: meanOf('recall'), f1: meanOf('f1') };
}

/**
 * Area under the ROC curve for binary labels (0/1) and scores (higher = more positive):
 * the probability that a random positive outranks a random negative, ties counting half
 * (the Mann-Whitney statistic, computed from average ranks).
 */
export function rocAuc(yTrue: Values, scores: Values): number {
  const [t, s] = pair('rocAuc', yTrue, scores, 'scores');
  const nPos = t.filter((v) => v === 1).length;
  const nNeg = t.filter((v) => v === 0).length;
  if (nPos + nNeg !== t.length) throw new ValueError('rocAuc', 'labels must be 0 or 1');
  if (nPos === 0 || nNeg === 0) throw new ValueError('rocAuc', 'needs both classes among the labels (the AUC is undefined otherwise)');
  const order = s.map((v, i) => i).sort((a, b) => s[a] - s[b]);
  let rankSumPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && s[order[j + 1]] === s[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (t[order[k]] === 1) rankSumPos += avgRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Mean binary cross-entropy of probabilities p against labels y:
 * -(1/n) Σ y log p + (1 - y) log(1 - p), with p clipped to [eps, 1 - eps].
 */
export function logLoss(yTrue: Values, prob: Values, eps = 1e-15): number {
  const [t, p] = pair('logLoss', yTrue, prob, 'prob');
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const q = Math.min(Math.max(p[i], eps), 1 - eps);
    total += t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
  }
  return -total / t.length;
}
