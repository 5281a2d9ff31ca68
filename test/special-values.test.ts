/**
 * Kinks and special values, spelled out: the derivative conventions at non-differentiable
 * points, infinities, NaN, and the numerical stability of the softmax family.
 * Every check runs in both autodiff modes.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose, flat } from './helpers.js';

type Tensor = tg.Tensor;
const MODES = ['forward', 'reverse'] as const;

/** Value and gradient of Σ f(x) at `values` (a gradient per element), in `mode`. */
function valueAndGradIn(mode: (typeof MODES)[number], f: (x: Tensor) => Tensor, values: number | number[] | number[][]): { y: Tensor; grad: number[] } {
  const x = tg.tensor(values, { requiresGrad: true });
  const y = tg.withGradMode(mode, () => f(x));
  const loss = tg.withGradMode(mode, () => tg.sum(y));
  loss.backward();
  return { y, grad: flat(x.grad!) };
}

describe.each(MODES)('kinks in %s mode', (mode) => {
  it("relu'(0) = 0, relu'(x) = 1 for x > 0 and 0 for x < 0", () => {
    for (const [v, d] of [
      [0, 0],
      [1e-300, 1],
      [-1e-300, 0],
      [2, 1],
    ]) {
      const { y, grad } = valueAndGradIn(mode, tg.relu, v);
      expect(y.item()).toBe(Math.max(v, 0));
      expect(grad).toEqual([d]);
    }
  });

  it("abs'(0) = 0, abs'(x) = sign(x)", () => {
    for (const [v, d] of [
      [0, 0],
      [-0, 0],
      [3, 1],
      [-3, -1],
    ]) {
      const { y, grad } = valueAndGradIn(mode, tg.abs, v);
      expect(y.item()).toBe(Math.abs(v));
      expectClose(grad, [d], 0);
    }
  });

  it('max and min reductions split the derivative equally between tied entries', () => {
    const m = valueAndGradIn(mode, (x) => tg.max(x, 1), [
      [1, 3, 3],
      [2, 2, 2],
    ]);
    expect(m.y.toArray()).toEqual([3, 2]);
    expectClose(m.grad, [0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3], 1e-15);
    const all = valueAndGradIn(mode, (x) => tg.min(x), [4, -1, 7, -1]);
    expect(all.y.item()).toBe(-1);
    expect(all.grad).toEqual([0, 0.5, 0, 0.5]);
  });

  it('maximum and minimum give half the derivative to each side of a tie', () => {
    for (const op of [tg.maximum, tg.minimum]) {
      const a = tg.tensor([1, 2, 3], { requiresGrad: true });
      const b = tg.tensor([1, 0, 5], { requiresGrad: true });
      tg.withGradMode(mode, () => tg.sum(op(a, b))).backward();
      const aWins = op === tg.maximum ? [0.5, 1, 0] : [0.5, 0, 1];
      expect(flat(a.grad!)).toEqual(aWins);
      expect(flat(b.grad!)).toEqual(aWins.map((w) => 1 - w));
    }
  });
});

describe.each(MODES)('infinities and zeros in %s mode', (mode) => {
  it("log(0) = -Infinity and log'(0) = +Infinity; log of a negative number is NaN", () => {
    const { y, grad } = valueAndGradIn(mode, tg.log, 0);
    expect(y.item()).toBe(-Infinity);
    expect(grad).toEqual([Infinity]);
    expect(tg.log(-1).item()).toBeNaN();
    expect(tg.log(Infinity).item()).toBe(Infinity);
  });

  it("sqrt(0) = 0 and sqrt'(0) = +Infinity", () => {
    const { y, grad } = valueAndGradIn(mode, tg.sqrt, 0);
    expect(y.item()).toBe(0);
    expect(grad).toEqual([Infinity]);
  });

  it('pow with a zero base: values, and derivatives for the base and the exponent', () => {
    // d/dx x^y = y x^(y-1): 0 for y = 2, +Infinity for y = 0.5, and 0 for y = 0 (x^0 is constant)
    for (const [e, value, dBase] of [
      [2, 0, 0],
      [0.5, 0, Infinity],
      [0, 1, 0],
      [1, 0, 1],
    ]) {
      const { y, grad } = valueAndGradIn(mode, (x) => tg.pow(x, e), 0);
      expect(y.item(), `0 ** ${e}`).toBe(value);
      expect(grad, `d/dx x ** ${e} at 0`).toEqual([dBase]);
    }
    // d/dy 0^y = 0^y log 0 is taken as its limit 0 for y > 0 (and at y = 0)
    for (const e of [0, 0.5, 2]) {
      const y = tg.tensor(e, { requiresGrad: true });
      tg.withGradMode(mode, () => tg.pow(0, y)).backward();
      expect(y.grad!.item(), `d/dy 0 ** y at y = ${e}`).toBe(0);
    }
  });

  it('exp overflows to Infinity and underflows to 0 without NaN', () => {
    for (const [v, e] of [
      [1000, Infinity],
      [-1000, 0],
    ]) {
      const { y, grad } = valueAndGradIn(mode, tg.exp, v);
      expect(y.item()).toBe(e);
      expect(grad).toEqual([e]);
    }
  });

  it('sigmoid and tanh saturate at ±1000 with exact values and zero derivatives', () => {
    const s = valueAndGradIn(mode, tg.sigmoid, [1000, -1000]);
    expect(s.y.toArray()).toEqual([1, 0]);
    expect(s.grad).toEqual([0, 0]);
    const t = valueAndGradIn(mode, tg.tanh, [1000, -1000]);
    expect(t.y.toArray()).toEqual([1, -1]);
    expect(t.grad).toEqual([0, 0]);
    // far in the tail the value is still accurate, not flushed: σ(-700) = e^-700 / (1 + e^-700)
    expectClose(tg.sigmoid(-700).item(), Math.exp(-700), 0, 1e-12);
  });
});

describe.each(MODES)('softmax family stability in %s mode', (mode) => {
  it('softmax of huge inputs (±1e300) is exact and its Jacobian finite', () => {
    const x = tg.tensor([1e300, 0, -1e300], { requiresGrad: true });
    const y = tg.withGradMode(mode, () => tg.softmax(x));
    expect(y.toArray()).toEqual([1, 0, 0]);
    expectClose(y.jacobian(x), [0, 0, 0, 0, 0, 0, 0, 0, 0], 0);
  });

  it('softmax of nearly equal huge inputs is uniform', () => {
    const y = tg.withGradMode(mode, () => tg.softmax(tg.tensor([[1e300, 1e300], [-1e300, -1e300]]), -1));
    expect(y.toArray()).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('logSoftmax with huge inputs and a -Infinity entry: exact values, Jacobian e_i - softmax', () => {
    const x = tg.tensor([1e300, 0, -1e300, -Infinity], { requiresGrad: true });
    const y = tg.withGradMode(mode, () => tg.logSoftmax(x));
    expect(y.toArray()).toEqual([0, -1e300, -2e300, -Infinity]);
    // softmax = [1, 0, 0, 0], so row i of the Jacobian is e_i - e_0
    const rows = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 1 : 0) - (j === 0 ? 1 : 0)));
    expect(flat(y.jacobian(x))).toEqual(rows.flat());
  });

  it('logsumexp: huge inputs, -Infinity entries, an all -Infinity row', () => {
    const x = tg.tensor(
      [
        [1e300, 1e300, 0],
        [0, -Infinity, Math.log(3)],
      ],
      { requiresGrad: true },
    );
    const y = tg.withGradMode(mode, () => tg.logsumexp(x, 1));
    expectClose(y, [1e300, Math.log(4)], 1e-15, 1e-15);
    tg.withGradMode(mode, () => tg.sum(y)).backward();
    // d logsumexp = softmax of the row: [1/2, 1/2, 0] and [1/4, 0, 3/4]
    expectClose(x.grad!, [0.5, 0.5, 0, 0.25, 0, 0.75], 1e-15);
    expect(tg.logsumexp(tg.tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(tg.logsumexp(tg.tensor([Infinity, 0])).item()).toBe(Infinity);
  });

  it('softmax of a row of only -Infinity is NaN (as in NumPy and PyTorch), other rows unaffected', () => {
    const y = tg.withGradMode(mode, () => tg.softmax(tg.tensor([[-Infinity, -Infinity], [0, -Infinity]])));
    const v = flat(y);
    expect(v[0]).toBeNaN();
    expect(v[1]).toBeNaN();
    expect(v.slice(2)).toEqual([1, 0]);
  });
});

describe('NaN propagation', () => {
  it('forward values: elementwise ops keep NaN where it is, reductions and comparisons follow IEEE', () => {
    const x = tg.tensor([1, NaN, -0.5]);
    for (const f of [tg.exp, tg.log1p, tg.relu, tg.abs, tg.tanh, tg.sigmoid, tg.sign, tg.neg, (t: Tensor) => tg.mul(t, 0)]) {
      const v = flat(f(x));
      expect(v[1]).toBeNaN();
      expect(Number.isNaN(v[0]) || Number.isNaN(v[2])).toBe(false);
    }
    for (const f of [tg.sum, tg.mean, tg.max, tg.min, (t: Tensor) => tg.logsumexp(t)]) expect(f(x).item()).toBeNaN();
    expect(flat(tg.maximum(x, 0))[1]).toBeNaN();
    expect(flat(tg.minimum(0, x))[1]).toBeNaN();
    expect(flat(tg.softmax(x)).every(Number.isNaN)).toBe(true);
    expect(flat(tg.equal(x, x))).toEqual([1, 0, 1]);
    expect(flat(tg.notEqual(x, x))).toEqual([0, 1, 0]);
    expect(tg.argmax(x).item()).toBe(1);
    expect(tg.argmin(x).item()).toBe(1);
  });

  it('reverse mode: NaN inputs give NaN gradients only where the math reaches them', () => {
    const x = tg.tensor([1, NaN, -2], { requiresGrad: true });
    tg.sum(tg.mul(x, x)).backward();
    const g = flat(x.grad!);
    expect(g[0]).toBe(2);
    expect(g[1]).toBeNaN();
    expect(g[2]).toBe(-4);
    // a reduction's gradient is NaN over the whole reduced group that met the NaN
    const w = tg.tensor([[1, NaN], [3, 4]], { requiresGrad: true });
    tg.sum(tg.max(w, 1)).backward();
    const gw = flat(w.grad!);
    expect(gw.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(gw.slice(2)).toEqual([0, 1]);
  });

  it('forward mode: a NaN input makes the gradient NaN (dense Jacobians multiply 0 by NaN)', () => {
    // With dense Jacobians the zero off-diagonal entries meet the NaN as 0·NaN, so in forward
    // mode, as with jax.jacfwd, a NaN reaches every entry whose Jacobian row is multiplied by it.
    const x = tg.tensor([1, NaN, -2], { requiresGrad: true });
    const y = tg.withGradMode('forward', () => tg.mul(x, x));
    const J = y.jacobian(x).toArray() as number[][];
    expect(J[0][0]).toBe(2);
    expect(J[2][2]).toBe(-4);
    expect(J[1][1]).toBeNaN();
    tg.withGradMode('forward', () => tg.sum(y)).backward();
    expect(flat(x.grad!)[1]).toBeNaN();
  });

  it('NaN in a gradient seed flows through backward in both modes', () => {
    for (const mode of MODES) {
      const x = tg.tensor([1, 2], { requiresGrad: true });
      const y = tg.withGradMode(mode, () => tg.mul(x, 3));
      y.backward(tg.tensor([NaN, 1]));
      const g = flat(x.grad!);
      expect(g[0]).toBeNaN();
      if (mode === 'reverse') expect(g[1]).toBe(3);
    }
  });
});
