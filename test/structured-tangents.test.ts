/**
 * Structured (Kronecker-factored) forward-mode tangents, against the dense ones they stand for.
 *
 * Forward mode keeps the Jacobian of a value with respect to a matrix leaf W [K, N] as two
 * factors (src/autodiff/kronecker.ts). Turning that off (`withStructuredTangents(false)`)
 * gives the plain dense computation, so every test here runs a function both ways and
 * requires the same Jacobians to 1e-12:
 * - every differentiable case of the op table, with each input carrying a factored tangent
 *   made in one of several ways (x·W, tanh(x·W), tanh(x·W)·D, x·Wᵀ, one leaf shared by all
 *   inputs), so each op meets one-hot, scaled and dense factors, shared and unshared ones;
 * - which ops keep the form, and which expand it (and still agree);
 * - the size limit counts what is allocated; the brief's model in both forms.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { defineOp, registeredOps } from '../src/autodiff/define-op.js';
import { KroneckerTangent, isKronecker, withStructuredTangents } from '../src/autodiff/kronecker.js';
import { expectClose } from './helpers.js';
import { allCases, makeInputs, opTable, randomLike, type OpCase, type OpEntry } from './op-table.js';

type Tensor = tg.Tensor;
type Shape = readonly number[];

/** Rows of every leaf (the k of T[k·N + n]). */
const K = 2;
const last = (s: Shape) => (s.length > 0 ? s[s.length - 1] : 1);

/** c·m reshaped to `s` (c [..., K] or [K]); a 0-d target comes from a [1] result. */
const product = (c: Tensor, m: Tensor, s: Shape) => {
  const p = tg.matmul(c, m);
  return s.length === 0 ? tg.reshape(p, []) : p;
};
/** A constant left operand giving a product of shape `s`. */
const leftShape = (s: Shape) => (s.length >= 2 ? [...s.slice(0, -1), K] : [K]);

/** One way of giving an input of shape `s` a tangent factored with respect to a leaf. */
interface Lift {
  readonly label: string;
  leafShape(s: Shape): number[];
  /** The constants it needs (drawn once per case). */
  consts(s: Shape): number[][];
  build(w: Tensor, s: Shape, cs: readonly Tensor[]): Tensor;
}

const lifts: readonly Lift[] = [
  // A = x (moved), B = δ(n, j): one-hot
  { label: 'x·W', leafShape: (s) => [K, last(s)], consts: (s) => [leftShape(s)], build: (w, s, [c]) => product(c, w, s) },
  // B one-hot with a scale
  { label: 'tanh(x·W)', leafShape: (s) => [K, last(s)], consts: (s) => [leftShape(s)], build: (w, s, [c]) => tg.tanh(product(c, w, s)) },
  // B dense after a second product
  {
    label: 'tanh(x·W)·D',
    leafShape: () => [K, 3],
    consts: (s) => [leftShape(s), s.length === 0 ? [3] : [3, last(s)]],
    build: (w, _s, [c, d]) => tg.matmul(tg.tanh(tg.matmul(c, w)), d),
  },
  // a transposed leaf: A and B one-hot on swapped axes
  { label: 'x·Wᵀ', leafShape: (s) => [last(s), K], consts: (s) => [leftShape(s)], build: (w, s, [c]) => product(c, tg.transpose(w), s) },
];

const SCALE = 0.01;

/**
 * The case's function as a function of leaves: input i is x_i + 0.01·lift(W_i), so its
 * value stays (nearly) the table's and its tangent is factored.
 */
function lifted(k: OpCase, xs: readonly Tensor[], lift: Lift, consts: readonly Tensor[][]): tg.TensorFn {
  return (...ws) => k.fn(...xs.map((x, i) => tg.add(x, tg.mul(lift.build(ws[i], x.shape, consts[i]), SCALE))));
}

/**
 * All inputs from one leaf: inputs of the same shape share one product (so their tangents
 * share a factor and sums of them stay factored); other shapes get their own.
 */
function sharedLeaf(k: OpCase, xs: readonly Tensor[], consts: readonly Tensor[][]): tg.TensorFn | null {
  const n = last(xs[0].shape);
  if (xs.some((x) => x.ndim === 0 || last(x.shape) !== n)) return null;
  return (w) => {
    const made = new Map<string, Tensor>();
    return k.fn(
      ...xs.map((x, i) => {
        const key = x.shape.join(',');
        if (!made.has(key)) made.set(key, tg.tanh(product(consts[i][0], w, x.shape)));
        return tg.add(x, tg.mul(made.get(key)!, SCALE * (i + 1)));
      }),
    );
  };
}

/** Jacobians of f at `ws`, with the structured form on and off. */
function bothWays(f: tg.TensorFn, ws: readonly Tensor[]): [Tensor[], Tensor[]] {
  const argnums = ws.map((_, i) => i);
  const jac = () => tg.jacfwd(f, { argnums })(...ws) as Tensor[];
  return [withStructuredTangents(true, jac), withStructuredTangents(false, jac)];
}

/** Equal to 1e-12 (or the case's own tolerance between analytic results, for float32 round trips). */
function expectSame(structured: readonly Tensor[], dense: readonly Tensor[], tol = 1e-12): void {
  structured.forEach((j, i) => {
    expect(j.shape).toEqual(dense[i].shape);
    expectClose(j, dense[i], tol, tol);
  });
}

const byEntry = new Map<OpEntry, OpCase[]>();
for (const [e, k] of allCases((e) => e.differentiable)) byEntry.set(e, [...(byEntry.get(e) ?? []), k]);

describe.each([...byEntry].map(([e, cases]) => ({ name: e.name, e, cases })))('structured = dense Jacobians through $name', ({ e, cases }) => {
  it.each(cases.map((k) => ({ label: k.label, k })))('$label', ({ k }) => {
    const xs = makeInputs(e, k);
    lifts.forEach((lift, li) => {
      const consts = xs.map((x, i) => randomLike(lift.consts(x.shape), 1000 + 10 * i + li));
      const ws = xs.map((x, i) => randomLike([lift.leafShape(x.shape)], 2000 + 10 * i + li)[0]);
      const [s, d] = bothWays(lifted(k, xs, lift, consts), ws);
      expectSame(s, d, k.exact);
    });
    const consts = xs.map((x, i) => randomLike([leftShape(x.shape)], 3000 + i));
    const shared = sharedLeaf(k, xs, consts);
    if (shared) {
      const [s, d] = bothWays(shared, randomLike([[K, last(xs[0].shape)]], 4000));
      expectSame(s, d, k.exact);
    }
  });
});

describe('which primitives keep tangents factored', () => {
  const registry = new Map(registeredOps().map((o) => [o.name, o.structured]));

  it('every elementwise primitive of the table is flagged elementwise', () => {
    const elementwise = opTable.filter((e) => e.kind === 'primitive' && e.differentiable && e.elementwise).map((e) => e.name);
    expect(elementwise.length).toBeGreaterThan(15);
    expect(elementwise.filter((n) => registry.get(n) !== 'elementwise')).toEqual([]);
    expect(registry.get('where')).toBe('elementwise');
  });

  it('matmul, the reductions and the shape ops have rules; slices, concat and cast move factors', () => {
    for (const n of ['matmul', 'sum', 'max', 'min', 'transpose', 'reshape', 'broadcastTo']) expect(registry.get(n), n).toBe('rule');
    for (const n of ['slice', 'scatterSlice', 'concat', 'cast']) expect(registry.get(n), n).toBe('layout');
  });
});

/** A primitive with rules but no structured ones (the engine expands tangents for it). */
const twice = defineOp<void>({
  name: 'test.twice',
  forward: ([x]) => tg.noGrad(() => tg.mul(x.detach(), 2)),
  jvp: (_, [dx]) => tg.mul(dx!, 2),
  vjp: (_, g) => [tg.mul(g, 2)],
});

/** The tangent of `f(h)` with respect to W, for h = tanh(x·W) (x [4, 3], W [3, 5]). */
function tangentThrough(f: (h: Tensor, w: Tensor) => Tensor): { out: Tensor; w: Tensor; check: () => void } {
  const [x, w0] = randomLike([[4, 3], [3, 5]], 7);
  const w = w0.requiresGrad_(true);
  const out = tg.withGradMode('forward', () => f(tg.tanh(tg.matmul(x, w)), w));
  const check = () => {
    const dense = withStructuredTangents(false, () => tg.withGradMode('forward', () => f(tg.tanh(tg.matmul(x, w)), w)));
    expectClose(out.jacobian(w), dense.jacobian(w), 1e-12, 1e-12);
  };
  return { out, w, check };
}

describe('factored through, and expanded where they must be', () => {
  const [c1, c2, m, x2] = randomLike([[5, 2], [4, 4], [4, 5], [4, 3]], 8);
  const stays: [string, (h: Tensor, w: Tensor) => Tensor][] = [
    ['the leaf itself', (_h, w) => tg.mul(w, 1)],
    ['x·W', (h) => h],
    ['relu, sigmoid, exp, log, pow', (h) => tg.log(tg.pow(tg.exp(tg.sigmoid(tg.relu(h))), 2))],
    ['h + b and h·m (constants)', (h) => tg.mul(tg.add(h, 1), m)],
    ['h·h (one tangent, twice)', (h) => tg.mul(h, h)],
    ['y·log p + (1 - y)·log(1 - p)', (h) => {
      const p = tg.sigmoid(h);
      return tg.add(tg.mul(m, tg.log(p)), tg.mul(tg.sub(1, m), tg.log(tg.sub(1, p))));
    }],
    ['where, maximum, clamp', (h) => tg.clamp(tg.where(tg.greater(m, 0), h, tg.maximum(h, 0.1)), -0.5, 0.5)],
    ['h·C (second layer)', (h) => tg.matmul(tg.relu(h), c1)],
    ['x·W·C·D', (h) => tg.matmul(tg.matmul(h, c1), tg.transpose(c1))],
    ['transpose', (h) => tg.transpose(h)],
    ['reshape (size-1 axes)', (h) => tg.reshape(h, [1, 4, 1, 5])],
    ['reshape (merging axes)', (h) => tg.reshape(h, [20])],
    ['broadcastTo', (h) => tg.broadcastTo(h, [2, 4, 5])],
    ['sum over the last axis', (_h, w) => tg.sum(tg.matmul(m, tg.transpose(w)), -1)],
    ['mean over rows of x·Wᵀ', (_h, w) => tg.mean(tg.matmul(m, tg.transpose(w)), 0)],
    ['slice, concat', (h) => tg.concat([tg.index(h, '1:3'), h], 0)],
    ['softmax', (h) => tg.softmax(h, -1)],
    ['max over the last axis', (h) => tg.max(h, 1)],
  ];
  it.each(stays.map(([label, f]) => ({ label, f })))('stays factored: $label', ({ f }) => {
    const { out, w, check } = tangentThrough(f);
    expect(isKronecker(out.tangents!.get(w) as KroneckerTangent)).toBe(true);
    check();
  });

  const expands: [string, (h: Tensor, w: Tensor) => Tensor][] = [
    ['a sum over every axis (the loss): one contraction', (h) => tg.sum(h)],
    ['a sum over the batch axis', (h) => tg.sum(h, 0)],
    ['yᵀ·log p', (h) => tg.matmul(tg.transpose(m), tg.log(tg.sigmoid(h)))],
    ['C·h (both factors vary along the contracted rows)', (h) => tg.matmul(c2, h)],
    ['an op without structured rules', (h) => twice([h], undefined)],
    ['max over the batch axis', (h) => tg.max(h, 0)],
    ['W·W (both operands carry tangents)', (_h, w) => tg.matmul(tg.transpose(w), w)],
    ['sums of tangents without a common factor', (h, w) => tg.add(h, tg.tanh(tg.matmul(x2, w)))],
  ];
  it.each(expands.map(([label, f]) => ({ label, f })))('dense, and equal: $label', ({ f }) => {
    const { out, w, check } = tangentThrough(f);
    expect(out.tangents!.get(w)).toBeInstanceOf(tg.Tensor);
    check();
  });

  it('backward of a factored result contracts it directly', () => {
    const { out, w } = tangentThrough((h) => h);
    const seed = randomLike([out.shape], 9)[0];
    out.backward(seed);
    const g = w.grad!;
    w.grad = null;
    const rev = tg.matmul(randomLike([[4, 3], [3, 5]], 7)[0], w);
    tg.tanh(rev).backward(seed);
    expectClose(g, w.grad!, 1e-12, 1e-12);
  });
});

describe('memory: the factors, not the Jacobian', () => {
  it("the brief's first layer holds a few thousand entries instead of 9.6 million", () => {
    const [x, w1, b1] = randomLike([[128, 30], [30, 50], [1, 50]], 10);
    w1.requiresGrad_(true);
    b1.requiresGrad_(true);
    const h = tg.withGradMode('forward', () => tg.relu(tg.add(tg.matmul(x, w1), b1)));
    const t = h.tangents!.get(w1) as KroneckerTangent;
    expect(t).toBeInstanceOf(KroneckerTangent);
    expect(t.directions * h.size).toBe(9_600_000);
    expect(t.storedSize).toBeLessThan(128 * 30 + 128 * 50 + 1);
  });

  it('the size limit counts what is allocated; reading the dense Jacobian is checked', () => {
    const initial = tg.getForwardModeLimit();
    try {
      tg.setForwardModeLimit(64 * 1024);
      const w = tg.ones([100, 10], { requiresGrad: true });
      const x = tg.ones([20, 100]);
      // factored, x·W holds 20·100 + 1 entries, far under the limit
      const y = tg.withGradMode('forward', () => tg.matmul(x, w));
      expect(() => y.jacobian(w)).toThrow(/^jacobian: forward mode would allocate a Jacobian of \[20, 10\] with respect to a leaf of \[100, 10\]: 200 x 1000 = 200000 entries/);
      // dense, the leaf's own 1000 x 1000 identity is already over it
      expect(() => withStructuredTangents(false, () => tg.withGradMode('forward', () => tg.matmul(x, w)))).toThrow(/1000 x 1000 = 1000000 entries/);
      tg.setForwardModeLimit(1e9);
      expect(y.jacobian(w).shape).toEqual([20, 10, 100, 10]);
    } finally {
      tg.setForwardModeLimit(initial);
    }
  });
});

describe("the brief's model, one batch", () => {
  it('loss, Jacobians and gradients are the same structured, dense and in reverse mode', () => {
    const [x0, w1, b1, w2, b2] = randomLike([[16, 30], [30, 50], [1, 50], [50, 1], [1, 1]], 11);
    const x = tg.mul(x0, 0.05); // keeps p away from 0 and 1
    const y = tg.cast(tg.greater(randomLike([[16, 1]], 12)[0], 0), 'float64');
    const params = [w1, b1, w2, b2].map((p) => p.requiresGrad_(true));
    const model = (mode: tg.GradMode) =>
      tg.withGradMode(mode, () => {
        const p = tg.sigmoid(tg.add(tg.matmul(tg.relu(tg.add(tg.matmul(x, w1), b1)), w2), b2));
        return tg.mean(tg.neg(tg.add(tg.mul(y, tg.log(p)), tg.mul(tg.sub(1, y), tg.log(tg.sub(1, p))))));
      });
    const grads = (run: () => Tensor) => {
      params.forEach((p) => (p.grad = null));
      const loss = run();
      loss.backward();
      return [loss, ...params.map((p) => p.grad!)];
    };
    const structured = grads(() => model('forward'));
    const dense = withStructuredTangents(false, () => grads(() => model('forward')));
    const reverse = grads(() => model('reverse'));
    structured.forEach((t, i) => {
      expectClose(t, dense[i], 1e-12, 1e-12);
      expectClose(t, reverse[i], 1e-12, 1e-12);
    });
  });
});

describe('readers of tangents', () => {
  it('tg.jvp sums the seeded directions only, not those of leaves the function closes over', () => {
    const [w0, x, t] = randomLike([[3, 2], [4, 3], [4, 3]], 13);
    const w = w0.requiresGrad_(true);
    const [value, tangent] = tg.jvp((a) => tg.tanh(tg.matmul(a, w)), [x], [t]);
    expectClose(value, tg.tanh(tg.matmul(x, w)), 0);
    // d tanh(a·W) = (1 - tanh²)·(t·W)
    const expected = tg.mul(tg.sub(1, tg.mul(value, value)), tg.matmul(t, w0.detach()));
    expectClose(tangent, expected, 1e-12, 1e-12);
  });

  it('y.jacobians reads factored tangents as their dense forms', () => {
    const { out, w } = tangentThrough((h) => tg.sigmoid(h));
    expect(out.tangents!.get(w)).toBeInstanceOf(KroneckerTangent);
    const dense = withStructuredTangents(false, () => tangentThrough((h) => tg.sigmoid(h)));
    expectClose(out.jacobians.get(w)!, dense.out.jacobian(dense.w), 1e-12, 1e-12);
  });
});

/**
 * Random programs: chains of the ops above (elementwise with constants and with values
 * derived from the same tangent, products on either side, transposes, reshapes, sums,
 * slices, concatenation) from tanh(x·W), with a second leaf V joining half way. Each
 * program's Jacobians with respect to W and V must not depend on the form.
 */
describe('random programs: structured = dense', () => {
  type Step = (v: Tensor, g: tg.Generator, v2: Tensor) => Tensor;
  const rand = (g: tg.Generator, shape: number[]) => tg.tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * g.uniform() - 1), { shape });
  const pick = (g: tg.Generator, n: number) => Math.min(n - 1, Math.floor(g.uniform() * n));
  const steps: Step[] = [
    (v) => tg.tanh(v),
    (v) => tg.sigmoid(v),
    (v) => tg.relu(v),
    (v) => tg.exp(tg.mul(v, 0.3)),
    (v, g) => tg.mul(v, rand(g, [...v.shape])),
    (v, g) => tg.add(v, rand(g, [1, v.shape[1]])),
    (v, g) => tg.mul(v, rand(g, [v.shape[0], 1])),
    (v) => tg.add(v, tg.mul(tg.tanh(v), v)),
    (v) => tg.sub(tg.sigmoid(v), tg.mul(v, 0.5)),
    (v, g) => tg.matmul(v, rand(g, [v.shape[1], 1 + pick(g, 4)])),
    (v, g) => tg.matmul(rand(g, [1 + pick(g, 4), v.shape[0]]), v),
    (v) => tg.transpose(v),
    (v) => tg.sum(v, 0, true),
    (v) => tg.sum(v, 1, true),
    (v) => tg.reshape(v, [v.shape[1], v.shape[0]]),
    (v) => (v.shape[0] > 1 ? tg.index(v, `0:${v.shape[0] - 1}`) : v),
    (v) => tg.concat([v, tg.tanh(v)], 0),
    (v) => (v.shape[0] === 1 ? tg.broadcastTo(v, [3, v.shape[1]]) : tg.max(v, 0, true)),
    (v, _g, v2) => tg.add(v, tg.sum(v2)),
  ];
  const programs = Array.from({ length: 120 }, (_, i) => i);
  it.each(programs)('program %i', (i) => {
    const build = (w: Tensor, wv: Tensor) => {
      const g = new tg.Generator(5000 + i);
      const x = rand(g, [4, 3]);
      let v = tg.tanh(tg.matmul(x, w));
      const first = v;
      for (let s = 0; s < 6; s++) {
        // V [8, 3] joins: v·V[:c] (or, for a wider v, through a sum)
        if (s === 3) v = v.shape[1] <= 8 ? tg.matmul(v, tg.index(wv, `0:${v.shape[1]}`)) : tg.add(v, tg.sum(wv));
        const step = steps[pick(g, steps.length)];
        v = v.shape[0] > 8 ? tg.sum(v, 0, true) : step(v, g, first);
      }
      return v;
    };
    const ws = randomLike([[3, 4], [8, 3]], 6000 + i);
    const [s, d] = bothWays(build, ws);
    expectSame(s, d);
  });
});
