/**
 * Property tests (fast-check) for the shape rules: NumPy broadcasting, the adjoint pair
 * broadcastTo / sumToShape, reshape and transpose round trips, and NumPy-style indexing
 * against a slow reference written from Python's slice rules.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as tg from '../src/index.js';
import { expectClose, flat } from './helpers.js';

type Tensor = tg.Tensor;
const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** A tensor of `shape` with distinct, reproducible values. */
function filled(shape: readonly number[], seed: number): Tensor {
  const n = sizeOf(shape);
  return tg.tensor(
    Array.from({ length: n }, (_, i) => Math.sin(seed * 7.31 + i * 1.37) * 3),
    { shape },
  );
}

/** NumPy's broadcasting rule, written out: align right; each pair equal or one of them 1. */
function numpyBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.unshift(x === 1 ? y : x);
  }
  return out;
}

const shapeArb = (maxRank = 4, minDim = 1) => fc.array(fc.integer({ min: minDim, max: 4 }), { minLength: 0, maxLength: maxRank });

/** A target shape and an operand that broadcasts to it (leading axes dropped, some set to 1). */
const broadcastableTo = shapeArb().chain((target) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: target.length }),
      fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }),
    )
    .map(([drop, ones]) => ({ target, operand: target.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)) })),
);

/** Two operands that broadcast together. */
const broadcastPair = shapeArb().chain((target) => {
  const operand = fc
    .tuple(fc.integer({ min: 0, max: target.length }), fc.array(fc.boolean(), { minLength: target.length, maxLength: target.length }))
    .map(([drop, ones]) => target.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
  return fc.tuple(operand, operand);
});

describe('broadcasting', () => {
  it('result shapes follow NumPy\'s rule (zero-size axes too), and clashing shapes are rejected naming both', () => {
    fc.assert(
      fc.property(shapeArb(3, 0), shapeArb(3, 0), (a, b) => {
        const expected = numpyBroadcast(a, b);
        if (expected === null) {
          expect(() => tg.add(tg.zeros(a), tg.zeros(b))).toThrow(`add: shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together`);
        } else {
          expect(tg.add(tg.zeros(a), tg.zeros(b)).shape).toEqual(expected);
          expect(tg.mul(tg.zeros(b), tg.zeros(a)).shape).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('add and mul commute under broadcasting', () => {
    fc.assert(
      fc.property(broadcastPair, fc.integer(), ([sa, sb], seed) => {
        const a = filled(sa, seed);
        const b = filled(sb, seed + 1);
        expect(flat(tg.add(a, b))).toEqual(flat(tg.add(b, a)));
        expect(flat(tg.mul(a, b))).toEqual(flat(tg.mul(b, a)));
      }),
    );
  });

  it('a broadcasting op equals the op on operands explicitly broadcastTo\'ed to the result shape', () => {
    const ops = [tg.add, tg.sub, tg.mul, tg.div, tg.maximum, tg.minimum, tg.pow];
    fc.assert(
      fc.property(broadcastPair, fc.integer({ min: 0, max: ops.length - 1 }), fc.integer(), ([sa, sb], k, seed) => {
        const op = ops[k];
        // a positive base keeps pow real
        const a = op === tg.pow ? tg.exp(filled(sa, seed)) : filled(sa, seed);
        const b = filled(sb, seed + 1);
        const y = op(a, b);
        expect(flat(op(tg.broadcastTo(a, y.shape), tg.broadcastTo(b, y.shape)))).toEqual(flat(y));
      }),
    );
  });

  it('sumToShape is the adjoint of broadcastTo: <broadcastTo(x), y> = <x, sumToShape(y)>', () => {
    fc.assert(
      fc.property(broadcastableTo, fc.integer(), ({ target, operand }, seed) => {
        const x = filled(operand, seed);
        const y = filled(target, seed + 1);
        const bx = tg.broadcastTo(x, target);
        const sy = tg.sumToShape(y, operand);
        expect(bx.shape).toEqual(target);
        expect(sy.shape).toEqual(operand);
        expectClose(tg.sum(tg.mul(bx, y)).item(), tg.sum(tg.mul(x, sy)).item(), 1e-12, 1e-12);
      }),
    );
  });

  it('the gradient of a broadcast operand sums the cotangent over the broadcast axes, in both modes', () => {
    fc.assert(
      fc.property(broadcastableTo, fc.integer(), fc.constantFrom('forward' as const, 'reverse' as const), ({ target, operand }, seed, mode) => {
        const x = tg.tensor(filled(operand, seed), { requiresGrad: true });
        const c = filled(target, seed + 2);
        tg.withGradMode(mode, () => tg.sum(tg.mul(tg.add(x, tg.zeros(target)), c))).backward();
        expect(x.grad!.shape).toEqual(operand);
        expectClose(x.grad!, tg.sumToShape(c, operand), 1e-12, 1e-12);
      }),
      { numRuns: 60 },
    );
  });
});

/** A shape and a permutation of its axes. */
const shapeAndPerm = shapeArb().chain((shape) =>
  fc.shuffledSubarray(
    shape.map((_, i) => i),
    { minLength: shape.length, maxLength: shape.length },
  ).map((perm) => ({ shape, perm })),
);

/** Row-major multi-index of flat position i. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  return idx.reduce((acc, v, d) => acc * shape[d] + v, 0);
}

describe('reshape and transpose', () => {
  it('reshape round-trips, keeps row-major order, and infers one -1', () => {
    fc.assert(
      fc.property(shapeArb(), shapeArb(), fc.integer(), (s1, s2, seed) => {
        const n = sizeOf(s1);
        // a second shape of the same size: s2's dims then the rest folded into one axis
        const m = sizeOf(s2);
        const target = n % m === 0 ? [...s2, n / m] : [n];
        const x = filled(s1, seed);
        const y = tg.reshape(x, target);
        expect(y.shape).toEqual(target);
        expect(flat(y)).toEqual(flat(x));
        expect(flat(tg.reshape(y, s1))).toEqual(flat(x));
        expect(tg.reshape(x, [-1]).shape).toEqual([n]);
        if (target.length > 0) expect(tg.reshape(x, [...target.slice(0, -1), -1]).shape).toEqual(target);
      }),
    );
  });

  it('transpose moves element idx to idx permuted, and the inverse permutation undoes it', () => {
    fc.assert(
      fc.property(shapeAndPerm, fc.integer(), ({ shape, perm }, seed) => {
        const x = filled(shape, seed);
        const y = tg.transpose(x, perm);
        expect(y.shape).toEqual(perm.map((p) => shape[p]));
        const xv = flat(x);
        const yv = flat(y);
        for (let i = 0; i < yv.length; i++) {
          const yi = unravel(i, y.shape);
          const xi = new Array<number>(shape.length);
          perm.forEach((p, k) => (xi[p] = yi[k]));
          expect(yv[i]).toBe(xv[ravel(xi, shape)]);
        }
        const inverse = new Array<number>(perm.length);
        perm.forEach((p, i) => (inverse[p] = i));
        expect(flat(tg.transpose(y, inverse))).toEqual(xv);
        // default: reversed axes, the same as .T
        expect(flat(x.T)).toEqual(flat(tg.transpose(x, shape.map((_, i) => shape.length - 1 - i))));
      }),
    );
  });
});

/** The indices a Python slice start:stop:step selects on an axis of length n (from the language reference). */
function pythonSlice(n: number, start: number | null, stop: number | null, step: number): number[] {
  const out: number[] = [];
  if (step > 0) {
    let lo = start === null ? 0 : start < 0 ? Math.max(start + n, 0) : Math.min(start, n);
    const hi = stop === null ? n : stop < 0 ? Math.max(stop + n, 0) : Math.min(stop, n);
    for (; lo < hi; lo += step) out.push(lo);
  } else {
    let hi = start === null ? n - 1 : start < 0 ? Math.max(start + n, -1) : Math.min(start, n - 1);
    const lo = stop === null ? -1 : stop < 0 ? Math.max(stop + n, -1) : Math.min(stop, n - 1);
    for (; hi > lo; hi += step) out.push(hi);
  }
  return out;
}

type Entry = { kind: 'int'; i: number } | { kind: 'range'; start: number | null; stop: number | null; step: number };

const entryFor = (n: number): fc.Arbitrary<Entry> =>
  fc.oneof(
    fc.integer({ min: -n, max: n - 1 }).map((i): Entry => ({ kind: 'int', i })),
    fc
      .tuple(
        fc.option(fc.integer({ min: -n - 2, max: n + 2 })),
        fc.option(fc.integer({ min: -n - 2, max: n + 2 })),
        fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      )
      .map(([start, stop, step]): Entry => ({ kind: 'range', start, stop, step })),
  );

const indexCase = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map(entryFor)), fc.boolean()));

describe('indexing', () => {
  it('index(x, ...) selects what Python slicing selects, as objects or as strings', () => {
    fc.assert(
      fc.property(indexCase, fc.integer(), ([shape, entries, asString], seed) => {
        const x = filled(shape, seed);
        const perAxis = entries.map((e, d) => (e.kind === 'int' ? [e.i < 0 ? e.i + shape[d] : e.i] : pythonSlice(shape[d], e.start, e.stop, e.step)));
        const keptShape = entries.flatMap((e, d) => (e.kind === 'int' ? [] : [perAxis[d].length]));
        // the reference: every combination of the selected indices, row-major
        const xv = flat(x);
        const expected: number[] = [];
        const walk = (d: number, idx: number[]) => {
          if (d === shape.length) return void expected.push(xv[ravel(idx, shape)]);
          for (const i of perAxis[d]) walk(d + 1, [...idx, i]);
        };
        walk(0, []);
        const specs = entries.map((e) =>
          e.kind === 'int' ? e.i : asString ? `${e.start ?? ''}:${e.stop ?? ''}:${e.step}` : { start: e.start, stop: e.stop, step: e.step },
        );
        const y = tg.index(x, ...specs);
        expect(y.shape).toEqual(keptShape);
        expect(flat(y)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('the gradient of index scatters the cotangent back to the selected positions', () => {
    fc.assert(
      fc.property(indexCase, fc.integer(), ([shape, entries], seed) => {
        const x = tg.tensor(filled(shape, seed), { requiresGrad: true });
        const specs = entries.map((e) => (e.kind === 'int' ? e.i : { start: e.start, stop: e.stop, step: e.step }));
        const y = tg.index(x, ...specs);
        const c = filled(y.shape, seed + 3);
        tg.sum(tg.mul(y, c)).backward();
        // a step never repeats an index, so each selected position gets exactly one cotangent entry
        const grad = new Array<number>(sizeOf(shape)).fill(0);
        const perAxis = entries.map((e, d) => (e.kind === 'int' ? [e.i < 0 ? e.i + shape[d] : e.i] : pythonSlice(shape[d], e.start, e.stop, e.step)));
        const cv = flat(c);
        let k = 0;
        const walk = (d: number, idx: number[]) => {
          if (d === shape.length) return void (grad[ravel(idx, shape)] += cv[k++]);
          for (const i of perAxis[d]) walk(d + 1, [...idx, i]);
        };
        walk(0, []);
        expect(flat(x.grad!)).toEqual(grad);
      }),
      { numRuns: 100 },
    );
  });

  it('ellipsis and new axes: x[..., 0] and x[null, ...] have NumPy\'s shapes', () => {
    const x = filled([2, 3, 4], 1);
    expect(tg.index(x, '...', 0).shape).toEqual([2, 3]);
    expect(tg.index(x, null, '...').shape).toEqual([1, 2, 3, 4]);
    expect(tg.index(x, 1, '...', null).shape).toEqual([3, 4, 1]);
    expect(tg.index(x, '1, ..., ::2').shape).toEqual([3, 2]);
    expect(flat(tg.index(x, '...', 0))).toEqual(flat(x).filter((_, i) => i % 4 === 0));
  });
});
