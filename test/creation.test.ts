/**
 * Creating tensors and reading them back: tensor() from numbers, nested arrays and typed
 * arrays, the creation functions, seeded random draws, and the Tensor API (shape, ndim,
 * size, dtype, toArray, item, toString, detach).
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose, flat } from './helpers.js';

describe('tensor()', () => {
  it('from a number is 0-d', () => {
    const t = tg.tensor(2.5);
    expect(t.shape).toEqual([]);
    expect(t.ndim).toBe(0);
    expect(t.size).toBe(1);
    expect(t.dtype).toBe('float64');
    expect(t.item()).toBe(2.5);
    expect(t.toArray()).toBe(2.5);
  });

  it('from nested arrays keeps the nesting as the shape, row-major', () => {
    const data = [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ];
    const t = tg.tensor(data);
    expect(t.shape).toEqual([1, 2, 3]);
    expect(t.ndim).toBe(3);
    expect(t.size).toBe(6);
    expect(t.toArray()).toEqual(data);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('booleans become 0 and 1; empty arrays give zero-size shapes', () => {
    expect(tg.tensor([true, false]).toArray()).toEqual([1, 0]);
    expect(tg.tensor([]).shape).toEqual([0]);
    expect(tg.tensor([[], []]).shape).toEqual([2, 0]);
    expect(tg.tensor([[], []]).size).toBe(0);
  });

  it('from typed arrays infers the dtype, and takes a shape', () => {
    expect(tg.tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tg.tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tg.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    const t = tg.tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [3, 2] });
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tg.tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('the dtype option converts (int32 truncates toward zero)', () => {
    expect(tg.tensor([1.7, -1.7, 2], { dtype: 'int32' }).toArray()).toEqual([1, -1, 2]);
    expect(tg.tensor(new Float64Array([1.5]), { dtype: 'float32' }).dtype).toBe('float32');
    expect(tg.tensor(tg.tensor([1.5, 2.5]), { dtype: 'int32' }).toArray()).toEqual([1, 2]);
  });

  it('requiresGrad makes a leaf that tracks derivatives', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
    expect(w.grad).toBeNull();
    expect(tg.tensor([1, 2]).requiresGrad).toBe(false);
    const v = tg.tensor([1, 2]).requiresGrad_();
    expect(v.requiresGrad).toBe(true);
  });
});

describe('creation functions', () => {
  it('zeros, ones, full, zerosLike, onesLike', () => {
    expect(tg.zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(tg.ones([2]).toArray()).toEqual([1, 1]);
    expect(tg.full([2, 1], -3.5).toArray()).toEqual([[-3.5], [-3.5]]);
    expect(tg.zeros([]).shape).toEqual([]);
    const like = tg.onesLike(tg.zeros([2, 2], { dtype: 'float32' }));
    expect(like.dtype).toBe('float32');
    expect(flat(like)).toEqual([1, 1, 1, 1]);
    expect(flat(tg.zerosLike(tg.ones([3])))).toEqual([0, 0, 0]);
  });

  it('eye: square and rectangular identities', () => {
    expect(tg.eye(3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(tg.eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(tg.eye(3, 2).toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
  });

  it('arange follows NumPy: stop only, start/stop/step, negative and fractional steps, empty ranges', () => {
    expect(tg.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(tg.arange(2, 10, 3).toArray()).toEqual([2, 5, 8]);
    expect(tg.arange(1, 0, -0.25).toArray()).toEqual([1, 0.75, 0.5, 0.25]);
    expect(tg.arange(0, 1, 0.1).size).toBe(10);
    expect(tg.arange(3, 1).size).toBe(0);
    expect(tg.arange(4, undefined, 1, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('linspace includes both ends', () => {
    expectClose(tg.linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1], 0);
    expect(tg.linspace(-1, 1, 3).toArray()).toEqual([-1, 0, 1]);
    expect(tg.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(tg.linspace(0, 1, 0).shape).toEqual([0]);
    // the last value is exactly stop, even when the step does not divide evenly in floating point
    expect(flat(tg.linspace(0, 0.3, 7))[6]).toBe(0.3);
    expect(tg.linspace(0, 1).size).toBe(50);
  });
});

describe('random draws', () => {
  it('manualSeed makes randn and rand reproducible', () => {
    tg.manualSeed(42);
    const a = [tg.randn([5]), tg.rand([2, 3])].map(flat);
    tg.manualSeed(42);
    const b = [tg.randn([5]), tg.rand([2, 3])].map(flat);
    expect(b).toEqual(a);
    tg.manualSeed(43);
    expect(flat(tg.randn([5]))).not.toEqual(a[0]);
  });

  it('a Generator gives its own stream, independent of the global one', () => {
    const g1 = new tg.Generator(7);
    const g2 = new tg.Generator(7);
    tg.manualSeed(1);
    const x = flat(tg.rand([4], { generator: g1 }));
    tg.randn([10]); // the global stream moves; g2 does not
    expect(flat(tg.rand([4], { generator: g2 }))).toEqual(x);
  });

  it('rand is uniform on [0, 1) and randn standard normal (moments of 20000 draws)', () => {
    tg.manualSeed(2024);
    const u = flat(tg.rand([20000]));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // standard errors: 0.29/sqrt(20000) = 0.002 for the uniform mean, 0.007 for the normal mean
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.01);
    const z = flat(tg.randn([20000]));
    const m = mean(z);
    const variance = mean(z.map((v) => (v - m) ** 2));
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    // about 68.3% within one standard deviation
    expect(Math.abs(z.filter((v) => Math.abs(v) < 1).length / z.length - 0.6827)).toBeLessThan(0.015);
  });

  it('random tensors take dtype and requiresGrad options', () => {
    const w = tg.randn([2, 2], { dtype: 'float32', requiresGrad: true });
    expect(w.dtype).toBe('float32');
    expect(w.requiresGrad).toBe(true);
    expect(() => tg.rand([2], { dtype: 'int32' })).toThrow(/rand: dtype must be float32 or float64, got int32/);
  });
});

describe('the Tensor API', () => {
  it('item() reads the one value of any one-element tensor', () => {
    expect(tg.tensor([[7]]).item()).toBe(7);
    expect(tg.tensor([3], { dtype: 'int32' }).item()).toBe(3);
  });

  it('toString shows values, shape, dtype and requiresGrad', () => {
    expect(String(tg.tensor([[1, 2], [3, 4]]))).toBe('tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=float64)');
    expect(String(tg.tensor([0.5, -1.25], { requiresGrad: true }))).toBe('tensor([ 0.5000, -1.2500], shape=[2], dtype=float64, requiresGrad=true)');
    expect(String(tg.mul(tg.tensor([1], { requiresGrad: true }), 2))).toContain('gradFn=mul');
    expect(String(tg.tensor(3, { dtype: 'int32' }))).toBe('tensor(3, shape=[], dtype=int32)');
    const special = String(tg.tensor([1e-9, NaN, Infinity, -Infinity]));
    for (const part of ['1.0000e-9', 'nan', 'inf', '-inf']) expect(special).toContain(part);
    // long tensors are summarized
    const long = String(tg.arange(2000));
    expect(long).toContain('0., ');
    expect(long).toContain('...');
    expect(long).toContain('1999.]');
    expect(long.length).toBeLessThan(200);
  });

  it('detach shares the values but drops derivative tracking', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const y = tg.mul(w, 3);
    const d = y.detach();
    expect(d.toArray()).toEqual([3, 6]);
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.node).toBeNull();
    // nothing flows back through a detached value
    tg.sum(tg.mul(d, w)).backward();
    expect(w.grad!.toArray()).toEqual([3, 6]);
  });

  it('results of tracked ops are non-leaves that require grad; untracked ones are leaves', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const y = tg.exp(w);
    expect(y.isLeaf).toBe(false);
    expect(y.requiresGrad).toBe(true);
    expect(y.creator).toBe('exp');
    const z = tg.exp(tg.tensor([1, 2]));
    expect(z.isLeaf).toBe(true);
    expect(z.requiresGrad).toBe(false);
    expect(() => (y.requiresGrad = false)).toThrow(/requiresGrad: cannot turn tracking off on a result of 'exp'; use detach\(\) instead/);
  });
});
