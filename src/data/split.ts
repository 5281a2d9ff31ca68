import { ValueError } from '../core/errors.js';
import { Generator, globalGenerator } from '../core/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkXY, permutation, takeRows } from './rows.js';

export interface TrainTestSplitOptions {
  /** Fraction of the examples for the test set in (0, 1), or a count (default 0.2). */
  testSize?: number;
  /** Seed of the shuffle (default: draw from the global generator, see `tg.manualSeed`). */
  seed?: number;
  /** Keep each class's proportion in both parts (y must hold class labels; default false). */
  stratify?: boolean;
}

export interface TrainTestSplit {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor;
  yTest: Tensor;
}

/**
 * Shuffles the examples and splits them into a training and a test part (scikit-learn's
 * `train_test_split`): the test part has ceil(testSize · n) examples for a fraction.
 * With `stratify`, each class contributes to the test part in proportion to its size
 * (rounded so that the total is exact), so that rare classes appear in both parts.
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const op = 'trainTestSplit';
  const n = checkXY(op, x, y);
  const { testSize = 0.2, seed, stratify = false } = options;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) throw new ValueError(op, `seed must be a finite number, got ${String(seed)}`);
  let nTest: number;
  if (typeof testSize === 'number' && testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else if (typeof testSize === 'number' && Number.isInteger(testSize) && testSize >= 1) nTest = testSize;
  else throw new ValueError(op, `testSize must be a fraction in (0, 1) or a positive count, got ${String(testSize)}`);
  if (nTest >= n) throw new ValueError(op, `testSize ${testSize} leaves no training examples out of ${n}`);
  const g = seed === undefined ? globalGenerator : new Generator(seed);
  const order = permutation(n, g);
  let testIdx: number[];
  let trainIdx: number[];
  if (!stratify) {
    testIdx = Array.from(order.subarray(0, nTest));
    trainIdx = Array.from(order.subarray(nTest));
  } else {
    [trainIdx, testIdx] = stratifiedIndices(op, y, order, nTest, g);
  }
  return { xTrain: takeRows(x, trainIdx), xTest: takeRows(x, testIdx), yTrain: takeRows(y, trainIdx), yTest: takeRows(y, testIdx) };
}

/** Per-class test counts by largest remainder, then the shuffled members split accordingly. */
function stratifiedIndices(op: string, y: Tensor, order: Int32Array, nTest: number, g: Generator): [number[], number[]] {
  if (y.size !== y.shape[0]) throw new ValueError(op, 'stratify needs one class label per example (y of shape [n] or [n, 1])');
  const labels = y.backend.read(y.storage);
  const n = order.length;
  const members = new Map<number, number[]>();
  for (const i of order) {
    const c = labels[i];
    if (!Number.isInteger(c)) throw new ValueError(op, `stratify needs integer class labels, but y[${i}] is ${c}`);
    if (!members.has(c)) members.set(c, []);
    members.get(c)!.push(i);
  }
  const classes = [...members.keys()].sort((a, b) => a - b);
  for (const c of classes) {
    if (members.get(c)!.length < 2) throw new ValueError(op, `stratify needs at least 2 examples of every class; class ${c} has 1`);
  }
  const exact = classes.map((c) => (members.get(c)!.length * nTest) / n);
  const counts = exact.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const byRemainder = classes.map((_, k) => k).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const k of byRemainder) {
    if (left === 0) break;
    counts[k]++;
    left--;
  }
  const test: number[] = [];
  const train: number[] = [];
  classes.forEach((c, k) => {
    const m = members.get(c)!;
    test.push(...m.slice(0, counts[k]));
    train.push(...m.slice(counts[k]));
  });
  // mix the classes again so that neither part is sorted by class
  const mix = (idx: number[]) => Array.from(permutation(idx.length, g), (j) => idx[j]);
  return [mix(train), mix(test)];
}
