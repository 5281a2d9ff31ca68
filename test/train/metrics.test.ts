import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { accuracy, confusionMatrix, logLoss, precisionRecallF1, rocAuc } from '../../src/train/metrics.js';

describe('metrics', () => {
  const yTrue = [0, 1, 1, 0, 1, 1];
  const yPred = [0, 1, 0, 0, 1, 0];

  it('accuracy counts matches, from tensors or arrays', () => {
    expect(accuracy(yTrue, yPred)).toBeCloseTo(4 / 6, 15);
    expect(accuracy(tg.tensor(yTrue, { dtype: 'int32' }), tg.tensor([yPred]))).toBeCloseTo(4 / 6, 15);
  });

  it('binary precision, recall and F1 of class 1', () => {
    // tp = 2, fp = 0, fn = 2
    const s = precisionRecallF1(yTrue, yPred);
    expect(s.precision).toBe(1);
    expect(s.recall).toBe(0.5);
    expect(s.f1).toBeCloseTo(2 / 3, 15);
    // class 0 as the positive one: tp = 2, fp = 2, fn = 0
    const s0 = precisionRecallF1(yTrue, yPred, { positiveLabel: 0 });
    expect(s0.precision).toBe(0.5);
    expect(s0.recall).toBe(1);
  });

  it('macro averages over classes for multi-class labels', () => {
    const t = [0, 1, 2, 2, 1, 0];
    const p = [0, 2, 2, 2, 1, 1];
    // class 0: p 1, r .5; class 1: p .5, r .5; class 2: p 2/3, r 1
    const s = precisionRecallF1(t, p);
    expect(s.precision).toBeCloseTo((1 + 0.5 + 2 / 3) / 3, 15);
    expect(s.recall).toBeCloseTo((0.5 + 0.5 + 1) / 3, 15);
    const f1s = [2 / 3, 0.5, 0.8];
    expect(s.f1).toBeCloseTo(f1s.reduce((a, b) => a + b) / 3, 15);
  });

  it('precision with no predicted positives is 0, not NaN', () => {
    expect(precisionRecallF1([1, 0], [0, 0]).precision).toBe(0);
  });

  it('ROC AUC is the probability that a positive outranks a negative', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toBe(1);
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(/rocAuc: needs both classes/);
  });

  it('confusion matrix rows are true classes, columns predictions', () => {
    expect(confusionMatrix([0, 1, 2, 2, 1, 0], [0, 2, 2, 2, 1, 1])).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    expect(confusionMatrix([0, 0], [0, 0], 2)).toEqual([
      [2, 0],
      [0, 0],
    ]);
    expect(() => confusionMatrix([0, 1.5], [0, 1])).toThrow(/non-negative integers/);
  });

  it('log loss matches the closed form and clips 0 and 1', () => {
    const expected = -(Math.log(0.9) + Math.log(1 - 0.2) + Math.log(0.6)) / 3;
    expect(logLoss([1, 0, 1], [0.9, 0.2, 0.6])).toBeCloseTo(expected, 14);
    expect(Number.isFinite(logLoss([1, 0], [0, 1]))).toBe(true);
  });

  it('mismatched lengths name the metric and both sizes', () => {
    expect(() => accuracy([0, 1, 1], [0, 1])).toThrow('accuracy: yTrue has 3 values but yPred has 2');
    expect(() => accuracy([], [])).toThrow(/at least one sample/);
  });
});
