import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';

describe('nested transforms and second derivatives', () => {
  it('grad(grad(f)) of x³ is 6x', () => {
    const f = (x: tg.Tensor) => tg.sum(tg.pow(x, 3));
    const d2 = tg.grad(tg.grad(f) as tg.TensorFn)(tg.tensor(1.5)) as tg.Tensor;
    expect(d2.item()).toBeCloseTo(9, 12);
  });

  it('hessian (forward over reverse) matches the closed form and jacrev of grad', () => {
    // f(x) = Σ sin(x_i) x_i² + x_0 x_1:  H_ii = -sin x_i x_i² + 4 x_i cos x_i + 2 sin x_i,  H_01 = H_10 = 1
    const f = (x: tg.Tensor) => tg.add(tg.sum(tg.mul(tg.sin(x), tg.mul(x, x))), tg.mul(tg.index(x, 0), tg.index(x, 1)));
    const xv = [0.3, -1.1, 2.0];
    const x = tg.tensor(xv);
    const expected = xv.map((a, i) => xv.map((_, j) => (i === j ? -Math.sin(a) * a * a + 4 * a * Math.cos(a) + 2 * Math.sin(a) : (i < 2 && j < 2 ? 1 : 0))));
    const H = tg.hessian(f)(x);
    expect(H.shape).toEqual([3, 3]);
    expectClose(H, expected, 1e-12);
    expectClose(tg.jacrev(tg.grad(f) as tg.TensorFn)(x) as tg.Tensor, expected, 1e-12);
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('the Hessian of the brief\'s log loss with respect to a weight vector is symmetric and matches finite differences of the gradient', () => {
    tg.manualSeed(3);
    const X = tg.randn([6, 3]);
    const y = tg.tensor([1, 0, 1, 1, 0, 0]);
    const loss = (w: tg.Tensor) => {
      const p = tg.sigmoid(tg.matmul(X, w));
      return tg.neg(tg.mean(tg.add(tg.mul(y, tg.log(p)), tg.mul(tg.sub(1, y), tg.log(tg.sub(1, p))))));
    };
    const w = tg.randn([3]);
    const H = tg.hessian(loss)(w);
    expectClose(H, H.T, 1e-14);
    const numeric = tg.numericalJacobian(tg.grad(loss) as tg.TensorFn, [w], 0, 1e-6);
    expectClose(H, numeric, 1e-7);
  });

  it('an un-nested grad returns detached results and leaves its argument alone', () => {
    const x = tg.tensor([1, 2], { requiresGrad: true });
    const g = tg.noGrad(() => tg.grad((t: tg.Tensor) => tg.sum(tg.mul(t, t)))(x)) as tg.Tensor;
    expectClose(g, [2, 4]);
    expect(g.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });
});
