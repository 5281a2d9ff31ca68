import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

const { nn } = tg;
const sig = (z: number) => 1 / (1 + Math.exp(-z));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('LogLoss (the brief\'s)', () => {
  const p = [0.9, 0.2, 0.6, 0.05];
  const y = [1, 0, 0, 1];
  const expected = -mean(p.map((pi, i) => y[i] * Math.log(pi) + (1 - y[i]) * Math.log(1 - pi)));

  it('is -(1/B)(yᵀ log p + (1 - y)ᵀ log(1 - p)) for every pairing of [B] and [B, 1], int or float targets', () => {
    const loss = new nn.LogLoss();
    for (const pShape of [[4], [4, 1]]) {
      for (const yShape of [[4], [4, 1]]) {
        for (const dtype of ['int32', 'float64'] as const) {
          const out = loss.forward(tg.tensor(p, { shape: pShape }), tg.tensor(y, { shape: yShape, dtype }));
          expect(out.shape).toEqual([]);
          expectClose(out, expected, 1e-15);
        }
      }
    }
    expect(tg.losses.LogLoss).toBe(nn.LogLoss);
  });

  it('supports soft labels and the sum / none reductions', () => {
    const soft = [0.7, 0.1, 0.5, 1];
    const each = p.map((pi, i) => -(soft[i] * Math.log(pi) + (1 - soft[i]) * Math.log(1 - pi)));
    expectClose(new nn.LogLoss({ reduction: 'none' }).forward(tg.tensor(p), tg.tensor(soft)), each, 1e-15);
    expectClose(new nn.LogLoss({ reduction: 'sum' }).forward(tg.tensor(p), tg.tensor(soft)), each.reduce((a, b) => a + b), 1e-14);
    expect(() => new nn.LogLoss({ reduction: 'avg' as 'mean' })).toThrow(/LogLoss: unknown reduction "avg"/);
  });

  it('clamps p to [eps, 1 - eps] so that saturated predictions give finite losses', () => {
    const each = new nn.LogLoss({ reduction: 'none' }).forward(tg.tensor([0, 1, 1, 0]), tg.tensor([1, 0, 1, 0]));
    // 1 - (1 - 1e-12) is not exactly 1e-12 in float64: the expectation computes it the same way
    expectClose(each, [-Math.log(1e-12), -Math.log(1 - (1 - 1e-12)), -Math.log(1 - 1e-12), -Math.log(1 - 1e-12)], 1e-12, 1e-12);
    const f32 = new nn.LogLoss({ reduction: 'none' }).forward(tg.tensor([0, 1], { dtype: 'float32' }), tg.tensor([1, 0]));
    expect(f32.dtype).toBe('float32');
    // in float32, 1 - 1e-7 rounds to 1 - 2^-23 (not to 1, which would give log(0))
    expectClose(f32, [-Math.log(Math.fround(1e-7)), -Math.log(1 - Math.fround(1 - 1e-7))], 0, 1e-6);
    expect(new nn.LogLoss({ eps: 1e-3 }).forward(tg.tensor([0]), tg.tensor([1])).item()).toBeCloseTo(-Math.log(1e-3), 12);
    // the gradient is finite (zero where the clamp holds)
    const q = tg.tensor([0, 0.5], { requiresGrad: true });
    new nn.LogLoss().forward(q, tg.tensor([1, 1])).backward();
    expectClose(q.grad!, [0, -1 / (2 * 0.5)], 1e-12);
  });

  it('takes softmax probabilities [B, C] with class indices', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.1, 0.1, 0.8],
      [0.3, 0.4, 0.3],
    ];
    const labels = [0, 2, 0];
    const out = new nn.LogLoss().forward(tg.tensor(probs), tg.tensor(labels, { dtype: 'int32' }));
    expectClose(out, -mean(labels.map((c, i) => Math.log(probs[i][c]))), 1e-15);
    expect(() => new nn.LogLoss().forward(tg.tensor(probs), tg.tensor([0, 3, 1]))).toThrow(/LogLoss: target 1 is 3, not a class index in \[0, 2\]/);
  });

  it('has the right gradient in both modes (gradcheck)', () => {
    const yt = tg.tensor([1, 0, 0, 1]);
    expect(tg.gradcheck((q) => new nn.LogLoss().forward(q, yt), [tg.tensor([0.9, 0.2, 0.6, 0.05], { shape: [4, 1] })])).toBe(true);
    const labels = tg.tensor([2, 0], { dtype: 'int32' });
    expect(tg.gradcheck((z) => new nn.LogLoss().forward(tg.softmax(z, -1), labels), [tg.tensor([[0.1, -0.3, 0.8], [1.2, 0.4, -0.5]])])).toBe(true);
  });

  it('rejects bad shapes, logits and labels with clear errors', () => {
    const loss = new nn.LogLoss();
    expect(() => loss.forward(tg.tensor([[0.5], [0.5], [0.5], [0.5]]), tg.tensor([1, 0, 1]))).toThrow(
      /LogLoss: prediction of shape \[4, 1\] needs a target of shape \[4\] or \[4, 1\], got \[3\]/,
    );
    expect(() => loss.forward(tg.tensor([0.5, 0.5]), tg.tensor([[1, 0]]))).toThrow(tg.ShapeError);
    expect(() => loss.forward(tg.full([2, 1, 1], 0.5), tg.tensor([1, 0]))).toThrow(/expected probabilities of shape \[B\], \[B, 1\] or \[B, C\], got \[2, 1, 1\]/);
    expect(() => loss.forward(tg.tensor([0.5, 2.5]), tg.tensor([1, 0]))).toThrow(/entry 1 is 2.5 \(LogLoss takes probabilities; for logits use BCEWithLogitsLoss/);
    expect(() => loss.forward(tg.tensor([0.5, 0.5]), tg.tensor([1, 2]))).toThrow(/LogLoss: targets must lie in \[0, 1\], but entry 1 is 2/);
    expect(() => loss.forward([0.5] as unknown as tg.Tensor, tg.tensor([1]))).toThrow(/the prediction must be a Tensor, got an array/);
  });
});

describe('BCEWithLogitsLoss', () => {
  const z = [2.0, -1.0, 0.0, 0.3];
  const y = [1, 0, 1, 0];

  it('equals the log loss of sigmoid(z), and stays finite for huge logits', () => {
    const expected = -mean(z.map((zi, i) => y[i] * Math.log(sig(zi)) + (1 - y[i]) * Math.log(1 - sig(zi))));
    expectClose(new nn.BCEWithLogitsLoss().forward(tg.tensor(z, { shape: [4, 1] }), tg.tensor(y, { dtype: 'int32' })), expected, 1e-15);
    const each = new nn.BCEWithLogitsLoss({ reduction: 'none' }).forward(tg.tensor([800, -800, 800, -800]), tg.tensor([0, 1, 1, 0]));
    expectClose(each, [800, 800, 0, 0], 1e-12);
  });

  it('has the gradient (sigmoid(z) - y) / B everywhere, z = 0 included, in both modes', () => {
    for (const mode of ['reverse', 'forward'] as const) {
      const zt = tg.tensor(z, { requiresGrad: true });
      tg.withGradMode(mode, () => new nn.BCEWithLogitsLoss().forward(zt, tg.tensor(y))).backward();
      expectClose(zt.grad!, z.map((zi, i) => (sig(zi) - y[i]) / 4), 1e-15);
    }
    expect(tg.gradcheck((t) => new nn.BCEWithLogitsLoss().forward(t, tg.tensor([0.2, 1, 0])), [tg.tensor([0.7, -2, 0.1])])).toBe(true);
  });

  it('checks shapes and targets', () => {
    expect(() => new nn.BCEWithLogitsLoss().forward(tg.zeros([3, 2]), tg.zeros([3]))).toThrow(/BCEWithLogitsLoss: expected a prediction of shape \[B\] or \[B, 1\], got \[3, 2\]/);
    expect(() => new nn.BCEWithLogitsLoss().forward(tg.zeros([2]), tg.tensor([-1, 0]))).toThrow(/targets must lie in \[0, 1\]/);
  });
});

describe('CrossEntropyLoss', () => {
  const logits = [
    [2.0, 1.0, 0.1],
    [0.5, 2.5, -1.0],
  ];
  const labels = [0, 2];
  const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
  const closed = (ls: number[][]) => mean(labels.map((c, i) => lse(ls[i]) - ls[i][c]));

  it('is mean(logsumexp(z) - z[y]) from logits and class indices (int32 or float)', () => {
    for (const dtype of ['int32', 'float64'] as const) {
      expectClose(new nn.CrossEntropyLoss().forward(tg.tensor(logits), tg.tensor(labels, { dtype })), closed(logits), 1e-15);
    }
    expectClose(new nn.CrossEntropyLoss().forward(tg.tensor(logits), tg.tensor([[0], [2]])), closed(logits), 1e-15);
  });

  it('is stable for large logits', () => {
    const big = logits.map((r) => r.map((v) => v * 1000));
    const out = new nn.CrossEntropyLoss({ reduction: 'none' }).forward(tg.tensor(big), tg.tensor(labels));
    // row 0: class 0 wins by 1000 -> loss ~ log(1 + e^-1000 + ...) = 0; row 1: 2500 - (-1000)
    expectClose(out, [0, 3500], 1e-9);
  });

  it('has the gradient (softmax(z) - onehot(y)) / B (gradcheck in both modes too)', () => {
    const zt = tg.tensor(logits, { requiresGrad: true });
    new nn.CrossEntropyLoss().forward(zt, tg.tensor(labels)).backward();
    const expected = logits.map((r, i) => r.map((v, j) => (Math.exp(v - lse(r)) - (j === labels[i] ? 1 : 0)) / 2));
    expectClose(zt.grad!, expected, 1e-15);
    expect(tg.gradcheck((t) => new nn.CrossEntropyLoss().forward(t, tg.tensor(labels)), [tg.tensor(logits)])).toBe(true);
  });

  it('rejects bad logits shapes and class indices', () => {
    const ce = new nn.CrossEntropyLoss();
    expect(() => ce.forward(tg.zeros([3]), tg.zeros([3]))).toThrow(/CrossEntropyLoss: expected logits of shape \[B, C\], got \[3\]/);
    expect(() => ce.forward(tg.zeros([2, 3]), tg.zeros([3]))).toThrow(/expected class indices of shape \[2\] .* got \[3\]/);
    expect(() => ce.forward(tg.zeros([2, 3]), tg.tensor([0, 1.5]))).toThrow(/target 1 is 1.5, not a class index in \[0, 2\]/);
    expect(() => ce.forward(tg.zeros([2, 3]), tg.tensor([-1, 0]))).toThrow(/target 0 is -1/);
  });
});

describe('MSELoss', () => {
  it('is the mean squared difference; [B] and [B, 1] pair up', () => {
    const p = [1.5, -0.5, 2];
    const t = [1, 0, 0];
    const expected = mean(p.map((v, i) => (v - t[i]) ** 2));
    expectClose(new nn.MSELoss().forward(tg.tensor(p), tg.tensor(t)), expected, 1e-15);
    expectClose(new nn.MSELoss().forward(tg.tensor(p, { shape: [3, 1] }), tg.tensor(t, { dtype: 'int32' })), expected, 1e-15);
    expectClose(new nn.MSELoss().forward(tg.tensor([[1, 2], [3, 4]]), tg.tensor([[0, 2], [3, 0]])), (1 + 16) / 4, 1e-15);
    expectClose(new nn.MSELoss({ reduction: 'none' }).forward(tg.tensor(p), tg.tensor(t)), [0.25, 0.25, 4], 1e-15);
    expect(tg.gradcheck((q) => new nn.MSELoss().forward(q, tg.tensor(t)), [tg.tensor(p)])).toBe(true);
  });

  it('refuses shapes that would broadcast', () => {
    expect(() => new nn.MSELoss().forward(tg.zeros([3, 2]), tg.zeros([3]))).toThrow(/MSELoss: prediction of shape \[3, 2\] and target of shape \[3\] differ/);
    expect(() => new nn.MSELoss().forward(tg.zeros([3, 1]), tg.zeros([1, 3]))).toThrow(tg.ShapeError);
  });
});
