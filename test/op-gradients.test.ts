/**
 * Table-driven derivative tests: every entry of the op table, in float64, in both modes.
 *
 * For each differentiable case, with inputs x, a random direction t and a random cotangent c:
 * - forward mode: tg.jvp(f, x, t) equals the central difference (f(x + εt) - f(x - εt)) / 2ε;
 * - reverse mode: <tg.vjp(f, x)(c), t> equals the central difference of <c, f(x + εt)>;
 * - the dot-product test <vjp(c), t> = <c, jvp(t)> (to rounding: both are exact);
 * - the full Jacobians of tg.jacfwd, tg.jacrev and tg.numericalJacobian agree, and
 *   tg.gradcheck passes in both modes;
 * - `y.backward()` and `y.jacobian(w)` give the same answers in forward and reverse mode;
 * - the reverse rules are themselves differentiable: a Hessian-vector product through
 *   `backward({ createGraph: true })` equals central differences of the gradient.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import * as ops from '../src/ops/index.js';
import { registeredOps } from '../src/autodiff/define-op.js';
import { expectClose, flat } from './helpers.js';
import { allCases, makeInputs, opTable, randomLike, type OpCase, type OpEntry } from './op-table.js';

type Tensor = tg.Tensor;

const tableNames = new Set(opTable.map((e) => e.name));

describe('the op table covers the library', () => {
  it('has an entry for every primitive registered through defineOp', () => {
    const missing = registeredOps()
      .map((o) => o.name)
      .filter((n) => !tableNames.has(n));
    expect(missing, 'registered primitives without a table entry').toEqual([]);
  });

  it('has an entry for every op function the ops layer exports', () => {
    const exported = Object.entries(ops)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    expect(exported.length).toBeGreaterThan(30);
    expect(exported.filter((n) => !tableNames.has(n)), 'exported ops without a table entry').toEqual([]);
  });

  it('marks primitives as registered and differentiable exactly as the registry says', () => {
    const registry = new Map(registeredOps().map((o) => [o.name, o.differentiable]));
    for (const e of opTable) {
      if (e.kind === 'primitive') {
        expect(registry.has(e.name), `${e.name} is listed as a primitive`).toBe(true);
        expect(e.differentiable, `${e.name} differentiable`).toBe(registry.get(e.name));
      } else {
        expect(registry.has(e.name), `${e.name} is listed as a composite but is registered`).toBe(false);
      }
      expect(e.cases.length, `${e.name} has cases`).toBeGreaterThan(0);
    }
  });
});

/** Σ a_i b_i over all elements. */
function dot(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** x + s·t for every input, as fresh float64 tensors. */
function shifted(xs: readonly Tensor[], ts: readonly Tensor[], s: number): Tensor[] {
  return xs.map((x, i) => {
    const v = Float64Array.from(x.dataSync());
    const d = ts[i].dataSync();
    for (let j = 0; j < v.length; j++) v[j] += s * d[j];
    return tg.tensor(v, { shape: x.shape, dtype: x.dtype });
  });
}

/** (F(x + εt) - F(x - εt)) / 2ε for a function F returning flat values. */
function centralDifference(F: (xs: Tensor[]) => number[], xs: readonly Tensor[], ts: readonly Tensor[], eps: number): number[] {
  const plus = F(shifted(xs, ts, eps));
  const minus = F(shifted(xs, ts, -eps));
  return plus.map((p, i) => (p - minus[i]) / (2 * eps));
}

const evalFlat = (f: OpCase['fn']) => (xs: Tensor[]) => flat(tg.noGrad(() => f(...xs)));

/** The reverse-mode gradient of <c, f(xs)> with respect to every input. */
function vjpAt(f: OpCase['fn'], xs: readonly Tensor[], cot: Tensor): Tensor[] {
  const [, pullback] = tg.vjp(f, ...xs);
  return pullback(cot);
}

function tolerances(k: OpCase) {
  return { eps: k.eps ?? 1e-5, atol: k.atol ?? 1e-7, rtol: k.rtol ?? 1e-6, exact: k.exact ?? 1e-12 };
}

function sumDots(as: readonly Tensor[], bs: readonly Tensor[]): number {
  return as.reduce((s, a, i) => s + dot(a, bs[i]), 0);
}

describe.each(allCases((e) => e.differentiable).map(([e, k]) => ({ name: `${e.name}: ${k.label}`, e, k })))('$name', ({ e, k }) => {
  const xs = makeInputs(e, k);
  const { eps, atol, rtol, exact } = tolerances(k);
  const out = tg.noGrad(() => k.fn(...xs));
  const ts = randomLike(k.shapes, 101);
  const [cot] = randomLike([out.shape], 202);

  it('forward mode: jvp matches central differences', () => {
    const [value, tangent] = tg.jvp(k.fn, xs, ts);
    expectClose(value, out, 0);
    expect(tangent.shape).toEqual(out.shape);
    expectClose(tangent, centralDifference(evalFlat(k.fn), xs, ts, eps), atol, rtol);
  });

  it('reverse mode: <vjp(c), t> matches central differences of <c, f>', () => {
    const grads = vjpAt(k.fn, xs, cot);
    grads.forEach((g, i) => expect(g.shape, `gradient ${i} shape`).toEqual(xs[i].shape));
    const lhs = sumDots(grads, ts);
    const [rhs] = centralDifference((ys) => [dot(tg.noGrad(() => k.fn(...ys)), cot)], xs, ts, eps);
    expectClose(lhs, rhs, atol * 10, rtol);
  });

  it('dot-product test: <vjp(c), t> = <c, jvp(t)>', () => {
    const lhs = sumDots(vjpAt(k.fn, xs, cot), ts);
    const rhs = dot(cot, tg.jvp(k.fn, xs, ts)[1]);
    expectClose(lhs, rhs, exact, exact);
  });

  it('jacfwd, jacrev and numericalJacobian agree; gradcheck passes in both modes', () => {
    const argnums = xs.map((_, i) => i);
    const fwd = tg.jacfwd(k.fn, { argnums })(...xs) as Tensor[];
    const rev = tg.jacrev(k.fn, { argnums })(...xs) as Tensor[];
    xs.forEach((x, i) => {
      const num = tg.numericalJacobian(k.fn, xs, i, eps);
      expect(fwd[i].shape).toEqual([...out.shape, ...x.shape]);
      expect(rev[i].shape).toEqual([...out.shape, ...x.shape]);
      expectClose(fwd[i], rev[i], exact, exact);
      expectClose(fwd[i], num, atol, rtol);
    });
    expect(tg.gradcheck(k.fn, xs, { eps, atol, rtol })).toBe(true);
  });

  it('backward() and y.jacobian(w) agree between forward and reverse mode', () => {
    const results = (['forward', 'reverse'] as const).map((mode) => {
      const ws = xs.map((x) => tg.tensor(x, { requiresGrad: true }));
      const y = tg.withGradMode(mode, () => k.fn(...ws));
      const jacs = ws.map((w) => y.jacobian(w));
      const loss = tg.withGradMode(mode, () => tg.sum(tg.mul(y, cot)));
      loss.backward();
      return { jacs, grads: ws.map((w) => w.grad ?? tg.zerosLike(w)) };
    });
    const expected = vjpAt(k.fn, xs, cot);
    xs.forEach((_, i) => {
      expectClose(results[0].jacs[i], results[1].jacs[i], exact, exact);
      expectClose(results[0].grads[i], expected[i], exact, exact);
      expectClose(results[1].grads[i], expected[i], exact, exact);
    });
  });

  it('second order: backward with createGraph gives Hessian-vector products', () => {
    const ws = xs.map((x) => tg.tensor(x, { requiresGrad: true }));
    const loss = tg.sum(tg.mul(k.fn(...ws), cot));
    loss.backward(undefined, { createGraph: true });
    const gs = ws.map((w) => w.grad ?? tg.zerosLike(w));
    ws.forEach((w) => (w.grad = null));
    const tracked = gs.map((g, i) => (g.requiresGrad ? tg.sum(tg.mul(g, ts[i])) : null)).filter((z): z is Tensor => z !== null);
    if (tracked.length > 0) tracked.reduce((a, b) => tg.add(a, b)).backward();
    const hvp = ws.map((w) => flat(w.grad ?? tg.zerosLike(w))).flat();
    const numeric = centralDifference((ys) => vjpAt(k.fn, ys, cot).flatMap((g) => flat(g)), xs, ts, eps);
    expectClose(hvp, numeric, atol * 10, rtol * 10);
  });
});

/** Forward values of an elementwise entry against its scalar reference, with broadcasting. */
function elementwiseReference(e: OpEntry, xs: readonly Tensor[], outShape: readonly number[]): number[] {
  const n = outShape.reduce((a, b) => a * b, 1);
  const values = xs.map((x) => x.dataSync());
  const ref: number[] = [];
  for (let flatIndex = 0; flatIndex < n; flatIndex++) {
    // multi-index of the output, then each input's own (broadcast) flat index
    const idx: number[] = [];
    let rest = flatIndex;
    for (let d = outShape.length - 1; d >= 0; d--) {
      idx[d] = rest % outShape[d];
      rest = Math.floor(rest / outShape[d]);
    }
    const args = xs.map((x, i) => {
      const off = outShape.length - x.ndim;
      let j = 0;
      for (let d = 0; d < x.ndim; d++) j = j * x.shape[d] + (x.shape[d] === 1 ? 0 : idx[d + off]);
      return values[i][j];
    });
    ref.push(e.elementwise!(...args));
  }
  return ref;
}

describe('forward values of elementwise entries match their scalar reference', () => {
  const direct = allCases((e) => e.elementwise !== undefined).filter(([, k]) => k.plain);
  it.each(direct.map(([e, k]) => ({ name: `${e.name}: ${k.label}`, e, k })))('$name', ({ e, k }) => {
    const xs = makeInputs(e, k);
    const out = k.fn(...xs);
    expectClose(out, elementwiseReference(e, xs, out.shape), 1e-15, 1e-15);
  });
});

describe.each(allCases((e) => !e.differentiable).map(([e, k]) => ({ name: `${e.name}: ${k.label}`, e, k })))('$name (not differentiable)', ({ e, k }) => {
  it.each(['forward', 'reverse'] as const)('is not tracked in %s mode', (mode) => {
    const ws = makeInputs(e, k).map((x) => tg.tensor(x, { requiresGrad: true }));
    const y = tg.withGradMode(mode, () => k.fn(...ws));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(y.tangents).toBeNull();
    expect(() => y.jacobian(ws[0])).toThrow(/jacobian: .*carries no derivatives/);
  });
});
