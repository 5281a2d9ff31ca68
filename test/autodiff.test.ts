/**
 * The autodiff API against closed forms: backward (explicit gradients, retainGraph,
 * createGraph, accumulation), y.jacobian / y.jacobians in both modes, forward mode's
 * Jacobians on every intermediate result, grad modes and noGrad, the functional
 * transforms, and gradcheck catching a wrong derivative.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose, flat } from './helpers.js';

type Tensor = tg.Tensor;
const MODES = ['forward', 'reverse'] as const;

const A = [
  [1, -2, 0.5],
  [3, 0.25, -1],
];

describe.each(MODES)('%s mode', (mode) => {
  const run = <T>(fn: () => T): T => tg.withGradMode(mode, fn);

  it('y.jacobian(w) of a linear map is its matrix, laid out [...y.shape, ...w.shape]', () => {
    const w = tg.tensor([0.3, -0.7, 1.1], { requiresGrad: true });
    const y = run(() => tg.matmul(tg.tensor(A), w));
    const J = y.jacobian(w);
    expect(J.shape).toEqual([2, 3]);
    expect(J.toArray()).toEqual(A);
    // a matrix leaf: d(W x)/dW has shape [2, 2, 3] with x on the matching row
    const W = tg.tensor(A, { requiresGrad: true });
    const x = tg.tensor([1, 2, 3]);
    const JW = run(() => tg.matmul(W, x)).jacobian(W);
    expect(JW.toArray()).toEqual([
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [1, 2, 3],
      ],
    ]);
  });

  it('y.jacobian(w) is zeros when y does not depend on w, and the identity for w itself', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const v = tg.tensor([[3]], { requiresGrad: true });
    const y = run(() => tg.exp(w));
    const Jv = y.jacobian(v);
    expect(Jv.shape).toEqual([2, 1, 1]);
    expect(flat(Jv)).toEqual([0, 0]);
    expect(w.jacobian(w).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('y.jacobians lists the Jacobian of every leaf y depends on', () => {
    const a = tg.tensor([1, 2], { requiresGrad: true });
    const b = tg.tensor(3, { requiresGrad: true });
    const unused = tg.tensor([5], { requiresGrad: true });
    const y = run(() => tg.mul(a, b));
    run(() => tg.mul(unused, 2));
    const jacs = y.jacobians;
    expect(new Set(jacs.keys())).toEqual(new Set([a, b]));
    expect(jacs.get(a)!.toArray()).toEqual([
      [3, 0],
      [0, 3],
    ]);
    expect(jacs.get(b)!.toArray()).toEqual([1, 2]);
  });

  it('backward() of a scalar fills .grad of every leaf: f = Σ sin(w) · b', () => {
    const w = tg.tensor([0.1, 0.2, 0.3], { requiresGrad: true });
    const b = tg.tensor(2, { requiresGrad: true });
    run(() => tg.sum(tg.mul(tg.sin(w), b))).backward();
    expectClose(w.grad!, [0.1, 0.2, 0.3].map((v) => 2 * Math.cos(v)), 1e-15);
    expectClose(b.grad!, [Math.sin(0.1) + Math.sin(0.2) + Math.sin(0.3)], 1e-15);
  });

  it('backward(gradient) contracts with the given gradient', () => {
    const w = tg.tensor([1, 2, 3], { requiresGrad: true });
    const y = run(() => tg.mul(w, w));
    y.backward(tg.tensor([1, 0, -1]));
    expect(w.grad!.toArray()).toEqual([2, 0, -6]);
  });

  it('gradients accumulate across backward calls until reset', () => {
    const w = tg.tensor([1, -1], { requiresGrad: true });
    run(() => tg.sum(tg.mul(w, 3))).backward();
    run(() => tg.sum(tg.mul(w, w))).backward();
    expect(w.grad!.toArray()).toEqual([5, 1]);
    w.grad = null;
    run(() => tg.sum(w)).backward();
    expect(w.grad!.toArray()).toEqual([1, 1]);
  });

  it('forward mode carries Jacobians on intermediates; reverse mode records a graph instead', () => {
    const W = tg.tensor(A, { requiresGrad: true });
    const x = tg.tensor([[0.5, -0.5]]);
    const h = run(() => tg.tanh(tg.matmul(x, W)));
    const y = run(() => tg.sum(tg.mul(h, h)));
    if (mode === 'forward') {
      expect(h.tangents?.has(W)).toBe(true);
      expect(h.node).toBeNull();
    } else {
      expect(h.node?.op).toBe('tanh');
      expect(h.tangents).toBeNull();
    }
    // dh/dW for h = tanh(x W): dh_j/dW_ij = (1 - h_j²) x_i
    const hv = flat(h);
    const expected = [0, 1, 2].map((j) => [0, 1].map((i) => [0, 1, 2].map((k) => (k === j ? (1 - hv[j] ** 2) * [0.5, -0.5][i] : 0))));
    expectClose(h.jacobian(W), [expected], 1e-15);
    // and y = Σ h² has gradient 2 h (1 - h²) x_i on every W_ij
    y.backward();
    expectClose(W.grad!, [0.5, -0.5].map((xi) => hv.map((hj) => 2 * hj * (1 - hj * hj) * xi)), 1e-15);
  });

  it('detach() in the middle stops the derivative', () => {
    const w = tg.tensor(2, { requiresGrad: true });
    const y = run(() => tg.mul(tg.mul(w, w).detach(), w)); // treated as 4·w
    y.backward();
    expect(w.grad!.item()).toBe(4);
  });
});

describe('reverse-mode specifics', () => {
  it('retainGraph allows a second backward through the same graph', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const y = tg.sum(tg.exp(w));
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(w.grad!, [2 * Math.E, 2 * Math.exp(2)], 1e-14);
    expect(() => y.backward()).toThrow(/already freed/);
  });

  it('createGraph: the gradient is itself differentiable (d²/dx² x³ = 6x)', () => {
    const x = tg.tensor([0.5, -2], { requiresGrad: true });
    tg.sum(tg.pow(x, 3)).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expectClose(g, [0.75, 12], 1e-15);
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    tg.sum(g).backward();
    expectClose(x.grad!, [3, -12], 1e-15);
  });

  it('createGraph: the Hessian of f = x0² x1 + sin(x1), row by row', () => {
    const x = tg.tensor([1.5, 0.7], { requiresGrad: true });
    const f = (v: Tensor) => tg.add(tg.mul(tg.pow(tg.index(v, 0), 2), tg.index(v, 1)), tg.sin(tg.index(v, 1)));
    f(x).backward(undefined, { createGraph: true });
    const g = x.grad!;
    const [x0, x1] = [1.5, 0.7];
    expectClose(g, [2 * x0 * x1, x0 * x0 + Math.cos(x1)], 1e-15);
    const hessian = [0, 1].map((i) => {
      x.grad = null;
      tg.index(g, i).backward(undefined, { retainGraph: true });
      return flat(x.grad!);
    });
    expectClose(hessian, [
      [2 * x1, 2 * x0],
      [2 * x0, -Math.sin(x1)],
    ], 1e-15);
  });

  it('retainGrad keeps the gradient of an intermediate result', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const h = tg.mul(w, 3).retainGrad();
    tg.sum(tg.mul(h, h)).backward();
    expect(h.grad!.toArray()).toEqual([6, 12]);
    expect(w.grad!.toArray()).toEqual([18, 36]);
  });

  it('backward() on a leaf adds the gradient itself', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    w.backward(tg.tensor([3, 4]));
    expect(w.grad!.toArray()).toEqual([3, 4]);
  });
});

describe('grad modes', () => {
  it('noGrad turns tracking off inside and restores the mode after', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    for (const outer of ['reverse', 'forward'] as const) {
      tg.withGradMode(outer, () => {
        const y = tg.noGrad(() => {
          expect(tg.getGradMode()).toBe('none');
          return tg.exp(w);
        });
        expect(y.requiresGrad).toBe(false);
        expect(y.node).toBeNull();
        expect(y.tangents).toBeNull();
        expect(tg.getGradMode()).toBe(outer);
      });
    }
    expect(tg.getGradMode()).toBe('reverse');
  });

  it('setGradMode switches until set again; withGradMode nests', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    try {
      tg.setGradMode('forward');
      expect(tg.getGradMode()).toBe('forward');
      expect(tg.exp(w).tangents).not.toBeNull();
      tg.withGradMode('reverse', () => {
        expect(tg.exp(w).node).not.toBeNull();
        tg.withGradMode('none', () => expect(tg.exp(w).requiresGrad).toBe(false));
        expect(tg.getGradMode()).toBe('reverse');
      });
      expect(tg.getGradMode()).toBe('forward');
    } finally {
      tg.setGradMode('reverse');
    }
  });

  it('a training loop reads the same .grad in every mode that tracks', () => {
    const grads = MODES.map((mode) => {
      const W = tg.tensor(A, { requiresGrad: true });
      const x = tg.tensor([[1, 2], [-1, 0.5]]);
      const loss = tg.withGradMode(mode, () => tg.mean(tg.logSoftmax(tg.matmul(x, W))));
      loss.backward();
      return W.grad!;
    });
    expectClose(grads[0], grads[1], 1e-15);
  });
});

describe('functional transforms', () => {
  // f(a, b) = Σ a² b (a: [2], b: scalar): ∂f/∂a = 2ab, ∂f/∂b = Σ a²
  const f = (a: Tensor, b: Tensor) => tg.sum(tg.mul(tg.mul(a, a), b));
  const a = tg.tensor([1, -3]);
  const b = tg.tensor(0.5);

  it('grad and valueAndGrad, with one or several argnums, leave the arguments untouched', () => {
    expect(flat(tg.grad(f)(a, b) as Tensor)).toEqual([1, -3]);
    expect(flat(tg.grad(f, { argnums: 1 })(a, b) as Tensor)).toEqual([10]);
    const [value, grads] = tg.valueAndGrad(f, { argnums: [0, 1] })(a, b);
    expect(value.item()).toBe(5);
    expect(value.requiresGrad).toBe(false);
    expect((grads as Tensor[]).map(flat)).toEqual([[1, -3], [10]]);
    expect(a.requiresGrad).toBe(false);
    expect(a.grad).toBeNull();
  });

  it('jvp and vjp of a vector function', () => {
    // g(x) = x ⊙ exp(x): J = diag((1 + x) e^x)
    const g = (x: Tensor) => tg.mul(x, tg.exp(x));
    const x = tg.tensor([0, 1, -1]);
    const d = [(1 + 0) * 1, 2 * Math.E, 0];
    const [y, t] = tg.jvp(g, [x], [tg.tensor([1, 2, 3])]);
    expectClose(y, [0, Math.E, -Math.exp(-1)], 1e-15);
    expectClose(t, [d[0], 2 * d[1], 3 * d[2]], 1e-15);
    const [y2, pullback] = tg.vjp(g, x);
    expectClose(y2, y, 0);
    expectClose(pullback(tg.tensor([1, 1, 1]))[0], d, 1e-15);
    // the pullback can be called again
    expectClose(pullback(tg.tensor([0, 2, 0]))[0], [0, 2 * d[1], 0], 1e-15);
  });

  it('jacfwd and jacrev give the same full Jacobian, per argument', () => {
    const h = (p: Tensor, q: Tensor) => tg.matmul(p, q);
    const p = tg.tensor(A);
    const q = tg.tensor([[1], [2], [3]]);
    for (const jac of [tg.jacfwd, tg.jacrev]) {
      const [Jp, Jq] = jac(h, { argnums: [0, 1] })(p, q) as Tensor[];
      expect(Jp.shape).toEqual([2, 1, 2, 3]);
      expect(Jq.shape).toEqual([2, 1, 3, 1]);
      expect(flat(Jq)).toEqual(A.flat());
      expect(flat(Jp)).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 0, 1, 2, 3]);
    }
  });

  it('gradcheck passes for correct derivatives and catches a kink', () => {
    expect(tg.gradcheck((x) => tg.tanh(tg.mul(x, x)), [tg.tensor([0.3, -0.8])])).toBe(true);
    // at relu's kink the analytic derivative is 0 but the central difference is 1/2
    const atKink = [tg.tensor([0, 1])];
    expect(tg.gradcheck(tg.relu, atKink, { raiseException: false })).toBe(false);
    expect(() => tg.gradcheck(tg.relu, atKink, { modes: ['reverse'] })).toThrow(
      /gradcheck: reverse-mode Jacobian with respect to input 0 \(shape \[2\]\) differs from finite differences at output element 0, input element 0: analytic 0, numeric 0\.5/,
    );
  });

  it('numericalJacobian is the central difference', () => {
    const J = tg.numericalJacobian((x) => tg.pow(x, 2), [tg.tensor([1, 3])], 0, 1e-3);
    // for a quadratic the central difference is exact up to rounding
    expectClose(J, [
      [2, 0],
      [0, 6],
    ], 1e-9);
  });
});
