import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

const { nn } = tg;
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** Plain-number forward pass of a FeedForward from its state dict. */
function reference(model: tg.nn.FeedForward, x: number[][]): number[][] {
  const sd = model.stateDict();
  const mat = (k: string) => sd[k].toArray() as number[][];
  const layer = (h: number[][], prefix: string, act: (v: number) => number) =>
    h.map((row) => mat(`${prefix}.bias`)[0].map((b, j) => act(b + row.reduce((s, v, i) => s + v * mat(`${prefix}.weight`)[i][j], 0))));
  const relu = (v: number) => Math.max(v, 0);
  let h = layer(x, 'inLayer', relu);
  for (let i = 0; i < model.hidLayers.length; i++) h = layer(h, `hidLayers.${i}`, relu);
  const z = layer(h, 'outLayer', (v) => v);
  if (model.outDim === 1) return z.map((r) => r.map(sig));
  return z.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

describe('FeedForward', () => {
  const x = [
    [0.2, -0.4, 1.0],
    [1.5, 0.3, -0.7],
    [-0.9, 0.8, 0.1],
    [0.0, 0.0, 0.0],
  ];

  it('is inLayer -> ReLU -> hidden layers -> outLayer -> sigmoid for one output', () => {
    const m = new nn.FeedForward(3, 5, 1, 2, { generator: new tg.Generator(9) });
    expect(m.hidLayers.length).toBe(2);
    const p = m.forward(tg.tensor(x));
    expect(p.shape).toEqual([4, 1]);
    expectClose(p, reference(m, x), 1e-14);
  });

  it('ends in softmax for several outputs', () => {
    const m = new nn.FeedForward(3, 6, 4, 0, { generator: new tg.Generator(2), init: 'he' });
    const p = m.forward(tg.tensor(x));
    expect(p.shape).toEqual([4, 4]);
    expectClose(p, reference(m, x), 1e-14);
    expectClose(p.sum(-1), [1, 1, 1, 1], 1e-14);
  });

  it('predict gives int32 labels: probability >= 0.5, or the most probable class', () => {
    const m = new nn.FeedForward(3, 4, 1, 0, { generator: new tg.Generator(5) });
    // pin the output layer so that the logits are exactly 0, > 0 and < 0 for known rows
    m.loadStateDict({
      ...m.stateDict(),
      'inLayer.weight': tg.tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0]]),
      'inLayer.bias': tg.zeros([1, 4]),
      'outLayer.weight': tg.tensor([[1], [-1], [0], [0]]),
      'outLayer.bias': tg.zeros([1, 1]),
    });
    const xs = tg.tensor([[0, 0, 5], [2, 1, 0], [1, 3, 0]]); // logits 0, 1, -2
    const labels = m.predict(xs);
    expect(labels.dtype).toBe('int32');
    expect(labels.shape).toEqual([3]);
    expect(labels.toArray()).toEqual([1, 1, 0]);
    expect(labels.requiresGrad).toBe(false);
    const one = m.predict(tg.tensor([1, 3, 0]));
    expect(one.shape).toEqual([]);
    expect(one.item()).toBe(0);

    const multi = new nn.FeedForward(3, 5, 3, 1, { generator: new tg.Generator(8) });
    const probs = reference(multi, x);
    expect(multi.predict(tg.tensor(x)).toArray()).toEqual(probs.map((r) => r.indexOf(Math.max(...r))));
    expect(multi.training).toBe(true); // predict does not switch modes
  });

  it('rejects bad sizes', () => {
    expect(() => new nn.FeedForward(3, 0)).toThrow(/FeedForward: hiddenDim must be a positive integer, got 0/);
    expect(() => new nn.FeedForward(3, 4, 1, -1)).toThrow(/nHidLayers must be a non-negative integer, got -1/);
    expect(() => new nn.FeedForward(3, 4).forward(tg.zeros([2, 4]))).toThrow(/Linear: .*got shape \[2, 4\]/);
  });
});

describe('Sequential and activation modules', () => {
  it('applies modules in order and names them by position', () => {
    const g = new tg.Generator(4);
    const seq = new nn.Sequential(new nn.Linear(3, 4, { generator: g }), new nn.Tanh(), new nn.Linear(4, 2, { generator: g }), new nn.LogSoftmax());
    expect(seq.length).toBe(4);
    expect(seq.at(-1)).toBeInstanceOf(nn.LogSoftmax);
    expect([...seq].map((m) => m.constructor.name)).toEqual(['Linear', 'Tanh', 'Linear', 'LogSoftmax']);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const x = tg.tensor([[0.3, -0.2, 0.9]]);
    const l0 = seq.at(0) as tg.nn.Linear;
    const l2 = seq.at(2) as tg.nn.Linear;
    const expected = tg.logSoftmax(l2.forward(tg.tanh(l0.forward(x))), -1);
    expectClose(seq.forward(x), expected, 1e-15);
    expect(() => seq.at(4)).toThrow(/index 4 is out of range for 4 modules/);
    expect(() => new nn.Sequential(new nn.ReLU(), {} as tg.nn.Module)).toThrow(/Sequential: argument 1 must be a Module/);
  });

  it('activation modules match their ops', () => {
    const x = tg.tensor([[-2, 0, 0.5], [3, -0.1, 1]]);
    expectClose(new nn.ReLU().forward(x), [[0, 0, 0.5], [3, 0, 1]]);
    expectClose(new nn.Sigmoid().forward(x), [[-2, 0, 0.5], [3, -0.1, 1]].map((r) => r.map(sig)), 1e-15);
    expectClose(new nn.Tanh().forward(x), [[-2, 0, 0.5], [3, -0.1, 1]].map((r) => r.map(Math.tanh)), 1e-15);
    const s0 = new nn.Softmax(0).forward(x);
    expectClose(s0.sum(0), [1, 1, 1], 1e-15);
    expectClose(s0.index(0, 0), Math.exp(-2) / (Math.exp(-2) + Math.exp(3)), 1e-15);
    expectClose(new nn.LogSoftmax(1).forward(x), tg.log(tg.softmax(x, 1)), 1e-14);
    expect(() => new nn.Softmax(2).forward(x)).toThrow(/Softmax: axis 2 is out of range/);
    expect(() => new nn.Softmax(0.5)).toThrow(/axis must be an integer/);
  });
});

describe('Dropout', () => {
  it('zeroes entries with probability p and scales the rest by 1 / (1 - p) in training', () => {
    const d = new nn.Dropout(0.25, { generator: new tg.Generator(11) });
    const x = tg.ones([200, 50]);
    const y = Array.from(d.forward(x).dataSync());
    const zeros = y.filter((v) => v === 0).length;
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-15)).toBe(true);
    expect(zeros / y.length).toBeGreaterThan(0.23);
    expect(zeros / y.length).toBeLessThan(0.27);
    // the same seed gives the same mask; the next call draws a new one
    const again = new nn.Dropout(0.25, { generator: new tg.Generator(11) });
    expect(Array.from(again.forward(x).dataSync())).toEqual(y);
    expect(Array.from(again.forward(x).dataSync())).not.toEqual(y);
  });

  it('is the identity in eval mode and for p = 0; p = 1 zeroes everything', () => {
    const x = tg.tensor([[1, 2, 3]]);
    const d = new nn.Dropout(0.5).eval();
    expect(d.forward(x).toArray()).toEqual([[1, 2, 3]]);
    expect(new nn.Dropout(0).forward(x).toArray()).toEqual([[1, 2, 3]]);
    expect(new nn.Dropout(1).forward(x).toArray()).toEqual([[0, 0, 0]]);
    expect(() => new nn.Dropout(1.5)).toThrow(/Dropout: p must be a probability in \[0, 1\], got 1.5/);
  });

  it('passes gradients only through the kept entries', () => {
    const d = new nn.Dropout(0.5, { generator: new tg.Generator(3) });
    const w = tg.ones([1, 40], { requiresGrad: true });
    const y = d.forward(w);
    y.sum().backward();
    expectClose(w.grad!, y.detach(), 0);
  });
});
