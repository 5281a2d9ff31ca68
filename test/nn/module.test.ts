import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

const { nn } = tg;

/** A module with parameters, a buffer, a child, an array of children and nested arrays. */
class Custom extends nn.Module {
  scale = tg.tensor([2.0], { requiresGrad: true });
  frozen = tg.tensor([1.0, 2.0]);
  label = 'not a tensor';
  head: tg.nn.Linear;
  blocks: tg.nn.Linear[];
  grid: tg.Tensor[][];
  constructor() {
    super();
    const g = new tg.Generator(1);
    this.head = new nn.Linear(2, 3, { generator: g });
    this.blocks = [new nn.Linear(3, 3, { generator: g, bias: false }), new nn.Linear(3, 1, { generator: g })];
    this.grid = [[tg.zeros([1], { requiresGrad: true })], [tg.ones([2], { requiresGrad: true })]];
  }
  forward(x: tg.Tensor): tg.Tensor {
    let h = this.head.forward(x);
    for (const b of this.blocks) h = b.forward(h);
    return h.mul(this.scale);
  }
}

describe('Module', () => {
  it('finds parameters, buffers and children by itself, in property order, with dotted names', () => {
    const m = new Custom();
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'scale',
      'grid.0.0',
      'grid.1.0',
      'head.weight',
      'head.bias',
      'blocks.0.weight',
      'blocks.1.weight',
      'blocks.1.bias',
    ]);
    expect(m.parameters()).toEqual(m.namedParameters().map(([, p]) => p));
    expect(m.parameters()[0]).toBe(m.scale);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['frozen']);
    expect(m.children()).toEqual([m.head, m.blocks[0], m.blocks[1]]);
    expect(m.namedChildren().map(([n]) => n)).toEqual(['head', 'blocks.0', 'blocks.1']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', 'head', 'blocks.0', 'blocks.1']);
    expect(m.parameterCount()).toBe(1 + 1 + 2 + 6 + 3 + 9 + 3 + 1);
  });

  it('reports a shared module or tensor once, under its first name', () => {
    class Shared extends nn.Module {
      a = new nn.Linear(2, 2);
      b = this.a;
      forward(x: tg.Tensor) {
        return this.b.forward(this.a.forward(x));
      }
    }
    const m = new Shared();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias']);
    expect(m.namedModules().map(([n]) => n)).toEqual(['', 'a']);
  });

  it('names FeedForward parameters as the brief does, to any depth', () => {
    const m = new nn.FeedForward(4, 5, 1, 2);
    expect(Object.keys(m.stateDict())).toEqual([
      'inLayer.weight',
      'inLayer.bias',
      'hidLayers.0.weight',
      'hidLayers.0.bias',
      'hidLayers.1.weight',
      'hidLayers.1.bias',
      'outLayer.weight',
      'outLayer.bias',
    ]);
    const outer = new nn.Sequential(m, new nn.Sequential(new nn.Linear(1, 2)));
    expect(outer.namedParameters().map(([n]) => n).slice(-4)).toEqual(['0.outLayer.weight', '0.outLayer.bias', '1.0.weight', '1.0.bias']);
  });

  it('train() and eval() switch the whole tree; in eval mode forward tracks nothing', () => {
    const m = new nn.FeedForward(3, 4, 1, 1);
    const x = tg.tensor([[0.1, 0.2, 0.3]]);
    expect(m.training).toBe(true);
    const tracked = m.forward(x);
    expect(tracked.requiresGrad).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.namedModules().every(([, c]) => !c.training)).toBe(true);
    const untracked = m.forward(x);
    expect(untracked.requiresGrad).toBe(false);
    expect(untracked.node).toBeNull();
    expectClose(untracked, tracked, 0);
    // forward mode too: no Jacobians in eval mode
    expect(tg.withGradMode('forward', () => m.forward(x)).tangents).toBeNull();
    m.train();
    expect(m.namedModules().every(([, c]) => c.training)).toBe(true);
    expect(tg.withGradMode('forward', () => m.forward(x)).tangents?.size).toBe(m.parameters().length);
    m.train(false);
    expect(m.hidLayers[0].training).toBe(false);
  });

  it('zeroGrad clears every gradient', () => {
    const m = new nn.FeedForward(3, 2);
    m.forward(tg.tensor([[1, 2, 3]])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('stateDict snapshots values; loadStateDict replaces them', () => {
    const a = new nn.FeedForward(3, 4, 2, 1, { generator: new tg.Generator(1) });
    const b = new nn.FeedForward(3, 4, 2, 1, { generator: new tg.Generator(2) });
    const snap = a.stateDict();
    const before = snap['inLayer.weight'].toArray();
    new tg.optim.SGD(a, { lr: 1 }).step(); // no grads: nothing moves
    a.forward(tg.ones([2, 3])).sum().backward();
    new tg.optim.SGD(a, { lr: 1 }).step();
    expect(snap['inLayer.weight'].toArray()).toEqual(before); // the snapshot kept its values
    const x = tg.tensor([[0.5, -1, 2]]);
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    // a Map works too
    b.loadStateDict(new Map(Object.entries(snap)));
    expect(b.inLayer.weight.toArray()).toEqual(before);
  });

  it('loadStateDict checks everything first and changes nothing when any entry is wrong', () => {
    const m = new nn.FeedForward(3, 4, 1, 1);
    const good = m.stateDict();
    const values = () => m.parameters().map((p) => p.toArray());
    const original = values();
    const replaced = Object.fromEntries(Object.entries(good).map(([k, v]) => [k, tg.zerosLike(v)]));

    const wrongShape = { ...replaced, 'outLayer.weight': tg.zeros([1, 4]) };
    expect(() => m.loadStateDict(wrongShape)).toThrow(/'outLayer\.weight' has shape \[1, 4\] but the model's is \[4, 1\]/);
    expect(values()).toEqual(original);

    const wrongDtype = { ...replaced, 'hidLayers.0.bias': tg.zeros([1, 4], { dtype: 'float32' }) };
    expect(() => m.loadStateDict(wrongDtype)).toThrow(/'hidLayers\.0\.bias' is float32 but the model's is float64/);
    expect(values()).toEqual(original);

    const { 'inLayer.bias': _dropped, ...missing } = replaced;
    expect(() => m.loadStateDict(missing)).toThrow(/missing keys: inLayer\.bias/);
    expect(() => m.loadStateDict({ ...replaced, extra: tg.zeros([1]) })).toThrow(/unexpected keys: extra/);
    expect(() => m.loadStateDict({ ...replaced, 'inLayer.weight': [[1]] as unknown as tg.Tensor })).toThrow(/'inLayer\.weight' must be a Tensor/);
    expect(() => m.loadStateDict(wrongShape)).toThrow(tg.ValueError);
    expect(values()).toEqual(original);

    // non-strict: loads what matches, reports the rest
    const res = m.loadStateDict({ ...missing, extra: tg.zeros([1]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ['inLayer.bias'], unexpectedKeys: ['extra'] });
    expect(m.inLayer.weight.toArray()).toEqual(tg.zeros([3, 4]).toArray());
    expect(m.inLayer.bias!.toArray()).toEqual(original[1]);
    // a wrong shape is still an error in non-strict mode
    expect(() => m.loadStateDict(wrongShape, { strict: false })).toThrow(/has shape/);
  });

  it('loading bumps versions so that stale graphs are refused by backward', () => {
    const m = new nn.Linear(2, 1);
    const y = m.forward(tg.tensor([[1, 2]])).sum();
    m.loadStateDict(m.stateDict());
    expect(() => y.backward()).toThrow(/modified in place/);
  });

  it('prints a tree and a parameter summary', () => {
    const m = new nn.FeedForward(30, 50, 1, 1);
    const text = m.toString();
    expect(text.split('\n')).toEqual([
      'FeedForward(inputDim=30, hiddenDim=50, outDim=1, nHidLayers=1, output=sigmoid',
      '  (inLayer): Linear(inDim=30, outDim=50, bias=true, dtype=float64)',
      '  (hidLayers.0): Linear(inDim=50, outDim=50, bias=true, dtype=float64)',
      '  (outLayer): Linear(inDim=50, outDim=1, bias=true, dtype=float64)',
      ')',
    ]);
    const summary = m.summary();
    expect(summary).toContain('hidLayers.0.weight  [50, 50]  float64  2,500');
    expect(summary).toContain(`total trainable parameters: ${(30 * 50 + 50 + 50 * 50 + 50 + 50 + 1).toLocaleString('en-US')}`);
    expect(m.parameterCount()).toBe(4151);
    expect(new nn.Sequential(new nn.ReLU(), new nn.Softmax(0)).toString()).toBe('Sequential(\n  (0): ReLU()\n  (1): Softmax(axis=0)\n)');
  });
});

describe('Linear', () => {
  it('computes x·W + b with W [in, out] and b [1, out], for a batch and for one example', () => {
    const lin = new nn.Linear(3, 2);
    lin.loadStateDict({ weight: tg.tensor([[1, 2], [3, 4], [5, 6]]), bias: tg.tensor([[0.5, -1]]) });
    expectClose(lin.forward(tg.tensor([[1, 0, -1], [2, 1, 0]])), [[1 - 5 + 0.5, 2 - 6 - 1], [2 + 3 + 0.5, 4 + 4 - 1]]);
    const one = lin.forward(tg.tensor([1, 1, 1]));
    expect(one.shape).toEqual([2]);
    expectClose(one, [9.5, 11]);
    // inputs are cast to the layer's dtype
    const f32 = new nn.Linear(3, 2, { dtype: 'float32' });
    f32.loadStateDict({ weight: tg.tensor([[1, 2], [3, 4], [5, 6]], { dtype: 'float32' }), bias: tg.tensor([[0.1, -1]], { dtype: 'float32' }) });
    const out32 = f32.forward(tg.tensor([[1, 0, -1]], { dtype: 'int32' }));
    expect(out32.dtype).toBe('float32');
    expectClose(out32, [[-4 + Math.fround(0.1), -5]], 1e-6);
    const noBias = new nn.Linear(3, 2, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(noBias.namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('draws N(0, 1) by default (the brief), Xavier uniform and He normal on request, reproducibly', () => {
    const big = (init: tg.nn.InitScheme) => new nn.Linear(200, 300, { init, generator: new tg.Generator(3) });
    const stats = (t: tg.Tensor) => {
      const v = Array.from(t.dataSync());
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
      return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
    };
    const normal = big('normal');
    expect(normal.weight.shape).toEqual([200, 300]);
    expect(normal.bias!.shape).toEqual([1, 300]);
    expect(Math.abs(stats(normal.weight).mean)).toBeLessThan(0.01);
    expect(stats(normal.weight).variance).toBeCloseTo(1, 1);
    expect(stats(normal.bias!).variance).toBeGreaterThan(0.7);
    const xavier = big('xavier');
    const a = Math.sqrt(6 / 500);
    const xs = stats(xavier.weight);
    expect(xs.min).toBeGreaterThanOrEqual(-a);
    expect(xs.max).toBeLessThanOrEqual(a);
    expect(xs.variance).toBeCloseTo((a * a) / 3, 3); // variance of U(-a, a)
    expect(stats(xavier.bias!).max).toBe(0);
    const he = big('he');
    expect(stats(he.weight).variance / (2 / 200)).toBeCloseTo(1, 1);
    expect(big('he').weight.toArray()).toEqual(he.weight.toArray()); // same generator seed, same draws
    const f32 = new nn.Linear(2, 2, { init: 'xavier', dtype: 'float32' });
    expect([f32.weight.dtype, f32.bias!.dtype]).toEqual(['float32', 'float32']);
    expect(f32.weight.requiresGrad && f32.weight.isLeaf).toBe(true);
  });

  it('follows tg.manualSeed when no generator is given', () => {
    tg.manualSeed(42);
    const a = new nn.Linear(3, 4).weight.toArray();
    tg.manualSeed(42);
    expect(new nn.Linear(3, 4).weight.toArray()).toEqual(a);
  });

  it('rejects bad sizes, options and inputs with clear errors', () => {
    expect(() => new nn.Linear(0, 2)).toThrow(/Linear: inDim must be a positive integer, got 0/);
    expect(() => new nn.Linear(2, 1.5)).toThrow(/outDim must be a positive integer/);
    expect(() => new nn.Linear(2, 2, { init: 'bogus' as tg.nn.InitScheme })).toThrow(/unknown init "bogus"/);
    expect(() => new nn.Linear(2, 2, { dtype: 'int32' })).toThrow(tg.DTypeError);
    expect(() => new nn.Linear(30, 50).forward(tg.zeros([128, 31]))).toThrow(/Linear: expected an input whose last dimension is 30 .* got shape \[128, 31\]/);
  });
});
