import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

const { data } = tg;

/** x[i] = [i, 10 i], y[i] = i: rows that say where they came from. */
function numbered(n: number): { x: tg.Tensor; y: tg.Tensor } {
  return {
    x: tg.tensor(Array.from({ length: n }, (_, i) => [i, 10 * i])),
    y: tg.tensor(Array.from({ length: n }, (_, i) => i), { dtype: 'int32' }),
  };
}

const rowsOf = (yb: tg.Tensor) => Array.from(yb.dataSync());

describe('DataSet (the brief\'s)', () => {
  it('gives in-order batches, the last one shorter', () => {
    const { x, y } = numbered(10);
    const ds = new data.DataSet(x, y, 4);
    expect(ds.length).toBe(3);
    const batches = [...ds];
    expect(batches.map(([, yb]) => rowsOf(yb))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[2][0].toArray()).toEqual([[8, 80], [9, 90]]);
    expect(batches[0][1].dtype).toBe('int32');
    // iterable again, same batches
    expect([...ds].map(([, yb]) => rowsOf(yb))).toEqual(batches.map(([, yb]) => rowsOf(yb)));
  });

  it('defaults to batches of 28 and accepts y of shape [n, 1]', () => {
    const { x } = numbered(60);
    const ds = new data.DataSet(x, tg.zeros([60, 1]));
    expect(ds.batchSize).toBe(28);
    expect([...ds].map(([xb, yb]) => [xb.shape[0], ...yb.shape])).toEqual([[28, 28, 1], [28, 28, 1], [4, 4, 1]]);
  });

  it('rejects mismatched lengths and bad batch sizes', () => {
    expect(() => new data.DataSet(tg.zeros([5, 2]), tg.zeros([4]))).toThrow(/DataSet: x has 5 examples \(shape \[5, 2\]\) but y has 4 \(shape \[4\]\)/);
    expect(() => new data.DataSet(tg.zeros([5, 2]), tg.zeros([5]), 0)).toThrow(/DataSet: batchSize must be a positive integer, got 0/);
    expect(() => new data.DataSet(tg.zeros([5, 2]), tg.zeros([5]), 2.5)).toThrow(tg.ValueError);
    expect(() => new data.DataSet([[1]] as unknown as tg.Tensor, tg.zeros([1]))).toThrow(/x must be a Tensor, got an array/);
    expect(() => new data.DataSet(tg.zeros([0, 2]), tg.zeros([0]))).toThrow(/hold no examples/);
  });
});

describe('DataLoader', () => {
  it('without shuffling is the DataSet; dropLast drops the short batch', () => {
    const { x, y } = numbered(10);
    expect([...new data.DataLoader(x, y, { batchSize: 4 })].map(([, yb]) => rowsOf(yb))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dl = new data.DataLoader(x, y, { batchSize: 4, dropLast: true });
    expect(dl.length).toBe(2);
    expect([...dl].map(([, yb]) => rowsOf(yb))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new data.DataLoader(x, y).batchSize).toBe(32);
  });

  it('shuffles reproducibly with a seed, differently every epoch, keeping x and y rows together', () => {
    const { x, y } = numbered(50);
    const epochs = (dl: tg.data.DataLoader, n: number) => Array.from({ length: n }, () => [...dl].flatMap(([xb, yb]) => {
      const xs = xb.toArray() as number[][];
      rowsOf(yb).forEach((i, k) => expect(xs[k]).toEqual([i, 10 * i]));
      return rowsOf(yb);
    }));
    const a = epochs(new data.DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 3 }), 3);
    const b = epochs(new data.DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 3 }), 3);
    expect(a).toEqual(b);
    for (const order of a) expect([...order].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(a[0]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const c = epochs(new data.DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 4 }), 1);
    expect(c[0]).not.toEqual(a[0]);
    const viaGenerator = epochs(new data.DataLoader(x, y, { batchSize: 16, shuffle: true, generator: new tg.Generator(3) }), 3);
    expect(viaGenerator).toEqual(a);
    // shuffled with dropLast: 3 full batches of 16 from 50
    const dropped = [...new data.DataLoader(x, y, { batchSize: 16, shuffle: true, seed: 3, dropLast: true })];
    expect(dropped.map(([xb]) => xb.shape[0])).toEqual([16, 16, 16]);
  });

  it('rejects bad options', () => {
    const { x, y } = numbered(5);
    expect(() => new data.DataLoader(x, y, { batchSize: -1 })).toThrow(/DataLoader: batchSize must be a positive integer, got -1/);
    expect(() => new data.DataLoader(x, y, { batchSize: 8, dropLast: true })).toThrow(/batchSize 8 exceeds the 5 examples and dropLast is set/);
    expect(() => new data.DataLoader(x, y, { seed: 1, generator: new tg.Generator(1) })).toThrow(/either seed or generator/);
    expect(() => new data.DataLoader(x, tg.zeros([4]))).toThrow(/DataLoader: x has 5 examples/);
  });
});

describe('trainTestSplit', () => {
  it('splits ceil(testSize · n) examples off, seeded, rows aligned, nothing lost', () => {
    const { x, y } = numbered(101);
    const s = data.trainTestSplit(x, y, { seed: 1 });
    expect(s.xTest.shape).toEqual([21, 2]);
    expect(s.xTrain.shape).toEqual([80, 2]);
    const all = [...rowsOf(s.yTrain), ...rowsOf(s.yTest)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    (s.xTest.toArray() as number[][]).forEach((row, k) => expect(row[0]).toBe(rowsOf(s.yTest)[k]));
    expect(rowsOf(data.trainTestSplit(x, y, { seed: 1 }).yTest)).toEqual(rowsOf(s.yTest));
    expect(rowsOf(data.trainTestSplit(x, y, { seed: 2 }).yTest)).not.toEqual(rowsOf(s.yTest));
    expect(data.trainTestSplit(x, y, { testSize: 10, seed: 1 }).yTest.shape).toEqual([10]);
    expect(s.yTest.dtype).toBe('int32');
  });

  it('stratify keeps class proportions in both parts', () => {
    const { x, y } = tg.datasets.iris();
    const s = data.trainTestSplit(x, y, { testSize: 0.2, seed: 0, stratify: true });
    const count = (t: tg.Tensor) => [0, 1, 2].map((c) => rowsOf(t).filter((v) => v === c).length);
    expect(count(s.yTest)).toEqual([10, 10, 10]);
    expect(count(s.yTrain)).toEqual([40, 40, 40]);
    // unequal classes: 7 of class 0, 3 of class 1, test 5 -> 3.5 and 1.5, largest remainder ties go to class 0
    const y2 = tg.tensor([0, 0, 0, 0, 0, 0, 0, 1, 1, 1], { dtype: 'int32' });
    const s2 = data.trainTestSplit(tg.zeros([10, 1]), y2, { testSize: 0.5, seed: 5, stratify: true });
    expect([0, 1].map((c) => rowsOf(s2.yTest).filter((v) => v === c).length)).toEqual([4, 1]);
  });

  it('rejects bad sizes and labels', () => {
    const { x, y } = numbered(10);
    expect(() => data.trainTestSplit(x, y, { testSize: 1.5 })).toThrow(/trainTestSplit: testSize must be a fraction in \(0, 1\) or a positive count, got 1.5/);
    expect(() => data.trainTestSplit(x, y, { testSize: 10 })).toThrow(/leaves no training examples out of 10/);
    expect(() => data.trainTestSplit(x, tg.zeros([9]))).toThrow(/x has 10 examples/);
    expect(() => data.trainTestSplit(x, y, { stratify: true })).toThrow(/at least 2 examples of every class; class 0 has 1/);
    expect(() => data.trainTestSplit(x, tg.linspace(0, 1, 10), { stratify: true })).toThrow(/integer class labels/);
  });
});

describe('scalers', () => {
  const train = tg.tensor([
    [1, 200, 5],
    [3, 400, 5],
    [2, 600, 5],
  ]);
  const test = tg.tensor([[4, 100, 7]]);

  it('MaxScaler divides by the single largest training value (the brief\'s x / x.max())', () => {
    const s = new data.MaxScaler();
    expectClose(s.fitTransform(train), (train.toArray() as number[][]).map((r) => r.map((v) => v / 600)), 1e-15);
    expectClose(s.transform(test), [[4 / 600, 100 / 600, 7 / 600]], 1e-15);
    expectClose(s.inverseTransform(s.transform(test)), test, 1e-13);
    expect(() => new data.MaxScaler().fit(tg.zeros([2, 2]))).toThrow(/MaxScaler.fit: the largest value is 0/);
  });

  it('MinMaxScaler maps each training feature onto [0, 1] (or featureRange); constant features go to the low end', () => {
    const s = new data.MinMaxScaler();
    expectClose(s.fitTransform(train), [[0, 0, 0], [1, 0.5, 0], [0.5, 1, 0]], 1e-15);
    expectClose(s.transform(test), [[1.5, -0.25, 2]], 1e-15);
    const r = new data.MinMaxScaler({ featureRange: [-1, 1] });
    expectClose(r.fitTransform(train), [[-1, -1, -1], [1, 0, -1], [0, 1, -1]], 1e-15);
    expectClose(r.inverseTransform(r.transform(test)), test, 1e-12);
    expect(() => new data.MinMaxScaler({ featureRange: [1, 0] })).toThrow(/featureRange must be \[low, high\]/);
  });

  it('StandardScaler centres and divides by the population std per feature; zero-variance features are only centred', () => {
    const s = new data.StandardScaler();
    const z = s.fitTransform(train);
    const sd1 = Math.sqrt(2 / 3);
    const sd2 = Math.sqrt(((200 - 400) ** 2 + 0 + 200 ** 2) / 3);
    expectClose(z, [[-1 / sd1, -200 / sd2, 0], [1 / sd1, 0, 0], [0, 200 / sd2, 0]], 1e-14);
    expectClose(z.mean(0), [0, 0, 0], 1e-15);
    expectClose(s.transform(test), [[2 / sd1, -300 / sd2, 2]], 1e-14);
    expectClose(s.offset!, [2, 400, 5], 1e-15);
    expectClose(s.scale!, [sd1, sd2, 1], 1e-15);
  });

  it('handles int32 and float32 features and never changes the input', () => {
    const ints = tg.tensor([[1, 2], [3, 6]], { dtype: 'int32' });
    const z = new data.StandardScaler().fitTransform(ints);
    expect(z.dtype).toBe('float64');
    expectClose(z, [[-1, -1], [1, 1]], 1e-15);
    expect(ints.toArray()).toEqual([[1, 2], [3, 6]]);
    const f32 = new data.MinMaxScaler().fitTransform(tg.tensor([[0, 1], [2, 3]], { dtype: 'float32' }));
    expect(f32.dtype).toBe('float32');
  });

  it('refuses transform before fit, the wrong feature count and non-matrices', () => {
    expect(() => new data.StandardScaler().transform(train)).toThrow(/StandardScaler.transform: the scaler is not fitted: call fit\(xTrain\) first/);
    const s = new data.StandardScaler().fit(train);
    expect(() => s.transform(tg.zeros([2, 4]))).toThrow(/fitted on 3 features but x has shape \[2, 4\]/);
    expect(() => s.fit(tg.zeros([3]))).toThrow(/StandardScaler.fit: expected features of shape \[n, f\], got \[3\]/);
    expect(() => new data.MinMaxScaler().fit(tg.zeros([0, 3]))).toThrow(/cannot fit on zero examples/);
  });
});
