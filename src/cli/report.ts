import * as tg from '../index.js';

export interface SplitScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc?: number;
  logLoss?: number;
}

/** Scores of a classifier on (x, y): probabilities from `forward`, labels from `predict`. */
export function score(model: tg.nn.FeedForward, x: tg.Tensor, y: tg.Tensor): { scores: SplitScores; labels: number[] } {
  const labels = Array.from(model.predict(x).dataSync());
  const truth = Array.from(y.dataSync());
  const prf = tg.metrics.precisionRecallF1(truth, labels, { average: model.outDim === 1 ? 'binary' : 'macro' });
  const scores: SplitScores = { accuracy: tg.metrics.accuracy(truth, labels), ...prf };
  if (model.outDim === 1) {
    model.eval();
    const p = Array.from(model.forward(x).dataSync());
    model.train();
    if (new Set(truth).size === 2) scores.auc = tg.metrics.rocAuc(truth, p);
    scores.logLoss = tg.metrics.logLoss(truth, p);
  }
  return { scores, labels };
}

/** A table with one column per split: `accuracy   0.9560   0.9474`. */
export function scoreTable(columns: Record<string, SplitScores>): string {
  const names = Object.keys(columns);
  const rows = ['accuracy', 'precision', 'recall', 'f1', 'auc', 'logLoss'] as const;
  const lines = [`${''.padEnd(10)}${names.map((n) => n.padStart(9)).join('')}`];
  for (const r of rows) {
    if (names.every((n) => columns[n][r] === undefined)) continue;
    lines.push(`${r.padEnd(10)}${names.map((n) => (columns[n][r] === undefined ? '-' : columns[n][r]!.toFixed(4)).padStart(9)).join('')}`);
  }
  return lines.join('\n');
}

/** The confusion matrix with class names: rows are true classes, columns predictions. */
export function confusionTable(truth: number[], labels: number[], targetNames: string[]): string {
  const k = Math.max(targetNames.length, ...truth.map((v) => v + 1), ...labels.map((v) => v + 1));
  const m = tg.metrics.confusionMatrix(truth, labels, k);
  const names = Array.from({ length: k }, (_, i) => targetNames[i] ?? String(i));
  const corner = 'true \\ predicted';
  const w = Math.max(6, ...names.map((n) => n.length)) + 2;
  const first = Math.max(corner.length, ...names.map((n) => n.length)) + 1;
  const head = `${corner.padEnd(first)}${names.map((n) => n.padStart(w)).join('')}`;
  return [head, ...m.map((row, i) => `${names[i].padEnd(first)}${row.map((c) => String(c).padStart(w)).join('')}`)].join('\n');
}
