import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

const { optim } = tg;

interface Fixture {
  shapes: number[][];
  init: number[][];
  grads: (number[] | null)[][];
  cases: { name: string; optimizer: 'SGD' | 'Adam' | 'AdamW'; options: Record<string, unknown>; trajectory: number[][][] }[];
  schedules: { name: 'step' | 'cosine'; lr: number; options: Record<string, number>; lrs: number[] }[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/optim.json', import.meta.url), 'utf8')) as Fixture;

function makeOptimizer(kind: string, params: tg.Tensor[], options: Record<string, unknown>): tg.optim.Optimizer {
  if (kind === 'SGD') return new optim.SGD(params, options as unknown as tg.optim.SGDOptions);
  if (kind === 'Adam') return new optim.Adam(params, options as tg.optim.AdamOptions);
  return new optim.AdamW(params, options as tg.optim.AdamOptions);
}

describe('optimizers against PyTorch (test/fixtures/optim.json, scripts/make-optim-fixtures.py)', () => {
  for (const c of fixture.cases) {
    it(`${c.name}: ${c.optimizer}(${JSON.stringify(c.options)})`, () => {
      const params = fixture.init.map((v, i) => tg.tensor(v, { shape: fixture.shapes[i], requiresGrad: true }));
      const opt = makeOptimizer(c.optimizer, params, c.options);
      c.trajectory.forEach((expected, step) => {
        opt.zeroGrad();
        params.forEach((p, i) => {
          const g = fixture.grads[step][i];
          p.grad = g === null ? null : tg.tensor(g, { shape: p.shape });
        });
        opt.step();
        params.forEach((p, i) => expectClose(p, expected[i], 1e-13, 1e-12));
      });
    });
  }

  for (const s of fixture.schedules) {
    it(`${s.name} learning-rate schedule`, () => {
      const opt = new optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: s.lr });
      const sched = s.name === 'step' ? new optim.StepLR(opt, s.options as unknown as tg.optim.StepLROptions) : new optim.CosineAnnealingLR(opt, s.options as unknown as tg.optim.CosineAnnealingLROptions);
      const seen = [opt.lr];
      expect(sched.getLr()).toBe(s.lr);
      for (let e = 1; e < s.lrs.length; e++) {
        sched.step();
        seen.push(opt.lr);
        expect(sched.getLr()).toBe(opt.lr);
      }
      expectClose(seen, s.lrs, 1e-15, 1e-14);
    });
  }
});

describe('optimizers by hand', () => {
  it('SGD is p - lr·grad, finds a module\'s parameters itself, and skips params without grad', () => {
    const model = new tg.nn.Linear(2, 1);
    model.loadStateDict({ weight: tg.tensor([[1], [2]]), bias: tg.tensor([[0.5]]) });
    const opt = new optim.SGD(model, { lr: 0.1 });
    expect(opt.params).toEqual(model.parameters());
    const x = tg.tensor([[3, 4]]);
    model.forward(x).sum().backward(); // d/dW = xᵀ, d/db = 1
    opt.step();
    expectClose(model.weight, [[1 - 0.3], [2 - 0.4]], 1e-15);
    expectClose(model.bias!, [[0.4]], 1e-15);
    opt.zero_grad();
    expect(model.weight.grad).toBeNull();
    opt.step(); // nothing to do
    expectClose(model.bias!, [[0.4]], 1e-15);
    model.weight.grad = tg.ones([2, 1]);
    opt.lr = 0.5;
    opt.step();
    expectClose(model.weight, [[0.2], [1.1]], 1e-15);
    expectClose(model.bias!, [[0.4]], 1e-15);
  });

  it('the first Adam step moves each entry by about lr · sign(grad)', () => {
    const w = tg.tensor([1, -2, 3], { requiresGrad: true });
    const opt = new optim.Adam([w], { lr: 0.01 });
    w.grad = tg.tensor([0.5, -3, 1e-3]);
    opt.step();
    // m̂ = g, v̂ = g², so the step is lr · g / (|g| + eps)
    expectClose(w, [1 - 0.01 * (0.5 / (0.5 + 1e-8)), -2 + 0.01 * (3 / (3 + 1e-8)), 3 - 0.01 * (1e-3 / (1e-3 + 1e-8))], 1e-15);
    expect(opt.betas).toEqual([0.9, 0.999]);
    expect(opt.eps).toBe(1e-8);
    expect(opt.weightDecay).toBe(0);
    expect(new optim.AdamW([w]).weightDecay).toBe(0.01);
    expect(new optim.AdamW([w]).lr).toBe(1e-3);
  });

  it('AdamW decays the weights by lr·weightDecay even with a zero gradient; Adam adds it to the gradient', () => {
    const a = tg.tensor([2, -4], { requiresGrad: true });
    const optW = new optim.AdamW([a], { lr: 0.1, weightDecay: 0.5 });
    a.grad = tg.zeros([2]);
    optW.step();
    expectClose(a, [2 * 0.95, -4 * 0.95], 1e-15);
    const b = tg.tensor([2, -4], { requiresGrad: true });
    const optA = new optim.Adam([b], { lr: 0.1, weightDecay: 0.5 });
    b.grad = tg.zeros([2]);
    optA.step(); // g = 0.5·p, so the step is about lr · sign(p)
    expectClose(b, [1.9, -3.9], 1e-8);
  });

  it('updates run without tracking, keep dtypes, and leave earlier results alone', () => {
    const w = tg.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const y = w.mul(3);
    for (const opt of [new optim.SGD([w], { lr: 0.1, momentum: 0.9 }), new optim.Adam([w]), new optim.AdamW([w])]) {
      w.grad = tg.tensor([1, 1], { dtype: 'float32' });
      tg.withGradMode('forward', () => opt.step());
      expect(w.dtype).toBe('float32');
      expect(w.isLeaf && w.requiresGrad).toBe(true);
      expect(w.node).toBeNull();
      expect(w.tangents).toBeNull();
    }
    expect(y.toArray()).toEqual([3, 6]);
  });

  it('rejects bad parameters and hyper-parameters with clear errors', () => {
    const w = tg.zeros([2], { requiresGrad: true });
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow(/SGD: got no parameters to optimize/);
    expect(() => new optim.SGD([tg.zeros([2])], { lr: 0.1 })).toThrow(/parameter 0 \(\[2\]\) must be a leaf tensor with requiresGrad = true/);
    expect(() => new optim.SGD([w, w], { lr: 0.1 })).toThrow(/parameter 1 \(\[2\]\) appears more than once/);
    expect(() => new optim.SGD([w.mul(2)], { lr: 0.1 })).toThrow(/must be a leaf tensor/);
    expect(() => new optim.SGD(42 as unknown as tg.Tensor[], { lr: 0.1 })).toThrow(/SGD: expected a module or a list of parameter tensors, got number/);
    expect(() => new optim.SGD([w], { lr: -1 })).toThrow(/SGD: lr must be a finite number >= 0, got -1/);
    expect(() => new optim.SGD([w], {} as tg.optim.SGDOptions)).toThrow(/lr must be a finite number >= 0, got undefined/);
    expect(() => new optim.SGD([w], { lr: 0.1, nesterov: true })).toThrow(/Nesterov momentum needs momentum > 0/);
    expect(() => new optim.Adam([w], { betas: [0.9, 1] })).toThrow(/Adam: betas\[1\] must be a finite number in \[0, 1\), got 1/);
    expect(() => new optim.AdamW([w], { eps: NaN })).toThrow(/AdamW: eps must be a finite number >= 0, got NaN/);
    const opt = new optim.SGD([w], { lr: 0.1 });
    expect(() => (opt.lr = Infinity)).toThrow(/SGD.lr: lr must be a finite number/);
    w.grad = tg.zeros([3]);
    expect(() => opt.step()).toThrow(/SGD.step: parameter 0 \(float64 \[2\]\) has a gradient of float64 \[3\]/);
  });
});

describe('learning-rate schedules by hand', () => {
  it('StepLR multiplies by gamma every stepSize epochs; CosineAnnealingLR follows the half cosine', () => {
    const opt = new optim.Adam([tg.zeros([1], { requiresGrad: true })], { lr: 1 });
    const step = new optim.StepLR(opt, { stepSize: 2 });
    const lrs = [];
    for (let e = 0; e < 5; e++) {
      lrs.push(opt.lr);
      step.step();
    }
    expectClose(lrs, [1, 1, 0.1, 0.1, 0.01], 1e-15);
    const opt2 = new optim.SGD([tg.zeros([1], { requiresGrad: true })], { lr: 0.4 });
    const cos = new optim.CosineAnnealingLR(opt2, { tMax: 4, etaMin: 0.1 });
    const seen = [opt2.lr];
    for (let e = 0; e < 4; e++) {
      cos.step();
      seen.push(opt2.lr);
    }
    expectClose(seen, [0.4, 0.1 + 0.15 * (1 + Math.SQRT1_2), 0.25, 0.1 + 0.15 * (1 - Math.SQRT1_2), 0.1], 1e-15);
    expect(() => new optim.StepLR(opt, { stepSize: 0 })).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new optim.CosineAnnealingLR(opt, { tMax: 2.5 })).toThrow(/tMax must be a positive integer/);
  });
});
