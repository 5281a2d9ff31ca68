/**
 * Each native wasm kernel against the js reference, through the Backend interface:
 * elementwise functions (bit for bit, special values included, every length of a partial
 * SIMD vector), binary ops under every broadcast form, reductions over every contiguous run
 * of axes, the strided copies, and the ops that fall back to the op's scalar function.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/core/dtype.js';
import { sizeOf } from '../../src/core/shape.js';
import type { Backend, Storage } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { BINARY_CODES, PARAMETRIC_BINARY, UNARY_CODES } from '../../src/backend/wasm/op-codes.js';
import { reluGradFn } from '../../src/ops/relu.js';
import { sigmoidGradFn } from '../../src/ops/sigmoid.js';
import { tanhGradFn } from '../../src/ops/tanh.js';
import type { FusedFn } from '../../src/ops/util.js';
import * as tg from '../../src/index.js';
import { subScaled } from '../../src/ops/sub.js';

const js = new JsBackend();
const wasm = createWasmBackend();
const FLOATS = ['float32', 'float64'] as const;

const SPECIALS = [0, -0, 1, -1, 0.5, 2, Math.E, 1e-300, 5e-324, 1e300, Infinity, -Infinity, NaN, 709.78, 710, -745.1, -746, 1e-9, -1e-9, 3.4e38];

function values(n: number, seed: number, spread = 6): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push((s / 2 ** 32 - 0.5) * spread);
  }
  return out;
}

/** Runs `f` on both backends with the same inputs and expects identical values (NaN = NaN, -0 = -0). */
function sameOnBoth(inputs: { values: readonly number[]; dtype: DType }[], f: (be: Backend, xs: Storage[]) => Storage, tol = 0): void {
  const run = (be: Backend) => Array.from(be.read(f(be, inputs.map((x) => be.fromArray(x.values, x.dtype)))));
  const got = run(wasm);
  const want = run(js);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = tol === 0 ? Object.is(got[i], want[i]) : Object.is(got[i], want[i]) || Math.abs(got[i] - want[i]) <= tol * Math.max(1, Math.abs(want[i]));
    if (!ok) expect.fail(`element ${i}: wasm ${got[i]} vs js ${want[i]}`);
  }
}

// the ops' own scalar functions, as the op files pass them
const UNARY: Record<string, (x: number) => number> = {
  neg: (v) => -v,
  abs: Math.abs,
  sqrt: Math.sqrt,
  exp: Math.exp,
  log: Math.log,
  relu: (v) => (v > 0 ? v : v !== v ? v : 0),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  sign: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (x, y) => (x > y || x !== x ? x : y),
  minimum: (x, y) => (x < y || x !== x ? x : y),
  equal: (a, b) => (a === b ? 1 : 0),
  notEqual: (a, b) => (a !== b ? 1 : 0),
  less: (a, b) => (a < b ? 1 : 0),
  lessEqual: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greaterEqual: (a, b) => (a >= b ? 1 : 0),
};
/** The fused derivative kernels, whose scalar functions differ by precision. */
const FUSED: Record<string, FusedFn> = { reluGrad: reluGradFn, sigmoidGrad: sigmoidGradFn, tanhGrad: tanhGradFn };

describe('wasm elementwise kernels agree with js bit for bit', () => {
  it('covers every op that has a native kernel', () => {
    expect(Object.keys(UNARY).sort()).toEqual([...UNARY_CODES.keys()].sort());
    expect([...Object.keys(BINARY), ...Object.keys(FUSED), ...PARAMETRIC_BINARY].sort()).toEqual([...BINARY_CODES.keys()].sort());
  });

  for (const dtype of FLOATS) {
    it.each(Object.keys(UNARY))(`%s in ${dtype}, on special values and every tail length`, (name) => {
      const fn = UNARY[name];
      const inputs = [...SPECIALS, ...values(1000, 3, 40), ...values(200, 5, 1500)];
      sameOnBoth([{ values: inputs, dtype }], (be, [x]) => be.unary(name, fn, x, dtype));
      for (let n = 0; n <= 9; n++) sameOnBoth([{ values: values(n, n + 11), dtype }], (be, [x]) => be.unary(name, fn, x, dtype));
    });
  }

  it('exp and log equal Math.exp and Math.log on a million float64 values', () => {
    const xs = [...values(500_000, 17, 1400), ...values(500_000, 19, 8).map((v) => Math.exp(v * 80))];
    for (const name of ['exp', 'log']) sameOnBoth([{ values: xs, dtype: 'float64' }], (be, [x]) => be.unary(name, UNARY[name], x, 'float64'));
  });

  const broadcasts: [string, number[], number[]][] = [
    ['equal shapes', [3, 7], [3, 7]],
    ['scalar on the right', [5, 6], []],
    ['scalar on the left', [], [5, 6]],
    ['a row (bias)', [4, 9], [9]],
    ['a column', [4, 9], [4, 1]],
    ['an outer product', [5, 1], [1, 7]],
    ['three axes, both sides broadcast', [2, 1, 3], [4, 1]],
    ['a middle axis', [3, 1, 5], [3, 4, 5]],
    ['a leading batch', [6, 2, 3], [2, 3]],
    ['empty', [0, 3], [3]],
    ['0-d with 0-d', [], []],
  ];

  for (const dtype of FLOATS) {
    it.each(broadcasts)(`every binary op in ${dtype}: %s`, (_label, aShape, bShape) => {
      const av = values(sizeOf(aShape), 23, 4).map((v, i) => (i % 5 === 0 ? Math.round(v) : v));
      const bv = values(sizeOf(bShape), 29, 4).map((v, i) => (i % 3 === 0 ? Math.round(v) : v));
      if (av.length > 2) av[1] = NaN;
      if (bv.length > 3) bv[2] = -0;
      const outShape = aShape.length >= bShape.length ? broadcast(aShape, bShape) : broadcast(bShape, aShape);
      const fns = [...Object.entries(BINARY), ...Object.entries(FUSED).map(([name, f]) => [name, dtype === 'float32' ? f.f32 : f.f64] as const)];
      for (const [name, fn] of fns) {
        sameOnBoth([{ values: av, dtype }, { values: bv, dtype }], (be, [a, b]) => be.binary(name, fn, a, aShape, b, bShape, outShape, dtype));
      }
    });
  }
});

function broadcast(long: number[], short: number[]): number[] {
  const off = long.length - short.length;
  return long.map((d, i) => (i < off ? d : Math.max(d, short[i - off])));
}

describe('wasm reductions agree with js', () => {
  const cases: [number[], number[]][] = [
    [[7], [0]],
    [[5, 6], [0]],
    [[5, 6], [1]],
    [[5, 6], [0, 1]],
    [[2, 3, 4], [1]],
    [[2, 3, 4], [0, 1]],
    [[2, 3, 4], [1, 2]],
    [[2, 3, 4], [0, 2]], // not one contiguous run: the js kernels run it
    [[3, 1, 5], [0, 2]], // contiguous once the length-1 axis is dropped
    [[4, 0, 3], [1]],
    [[130, 33], [0]],
    [[33, 130], [1]],
  ];
  for (const dtype of FLOATS) {
    it.each(cases)(`sum, max and min in ${dtype} of %j over axes %j`, (shape, axes) => {
      const xs = values(sizeOf(shape), 31, 10);
      // float32 sums accumulate in float64 on both; float64 sums only add in another order
      sameOnBoth([{ values: xs, dtype }], (be, [x]) => be.reduce('sum', x, shape, axes, dtype), dtype === 'float64' ? 1e-14 : 0);
      if (axes.every((a) => shape[a] > 0)) {
        for (const kind of ['max', 'min'] as const) sameOnBoth([{ values: xs, dtype }], (be, [x]) => be.reduce(kind, x, shape, axes, dtype));
      }
    });
  }

  it('lets NaN win in max and min, as js does', () => {
    const xs = [1, NaN, 3, -2, 5, 4, 0, -0, 2, 9, NaN, 1];
    for (const kind of ['max', 'min'] as const) {
      for (const axes of [[0], [1], [0, 1]]) sameOnBoth([{ values: xs, dtype: 'float64' }], (be, [x]) => be.reduce(kind, x, [3, 4], axes, 'float64'));
    }
  });
});

describe('wasm strided copies agree with js', () => {
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    it(`transpose, broadcastTo, slice, scatterSlice and concat in ${dtype}`, () => {
      const xs = values(2 * 3 * 4, 37, 100).map(Math.round);
      const x = [{ values: xs, dtype }];
      for (const perm of [[0, 1, 2], [2, 1, 0], [1, 0, 2], [0, 2, 1], [2, 0, 1]]) {
        sameOnBoth(x, (be, [s]) => be.transpose(s, [2, 3, 4], perm));
      }
      sameOnBoth([{ values: xs.slice(0, 4), dtype }], (be, [s]) => be.broadcastTo(s, [4], [3, 2, 4]));
      sameOnBoth([{ values: xs.slice(0, 3), dtype }], (be, [s]) => be.broadcastTo(s, [3, 1], [3, 5]));
      sameOnBoth([{ values: [7], dtype }], (be, [s]) => be.broadcastTo(s, [], [2, 2]));
      sameOnBoth(x, (be, [s]) => be.slice(s, [2, 3, 4], [1, 0, 1], [1, 2, 2], [1, 2, 2]));
      sameOnBoth(x, (be, [s]) => be.slice(s, [2, 3, 4], [0, 2, 3], [1, -1, -2], [2, 3, 2]));
      sameOnBoth([{ values: xs.slice(0, 4), dtype }], (be, [s]) => be.scatterSlice(s, [1, 2, 2], [1, 0, 1], [1, 2, 2], [2, 3, 4]));
      sameOnBoth(
        [{ values: xs.slice(0, 6), dtype }, { values: xs.slice(6, 10), dtype }],
        (be, [a, b]) => be.concat([a, b], [[2, 3], [2, 2]], 1, [2, 5], dtype),
      );
      sameOnBoth(
        [{ values: xs.slice(0, 6), dtype }, { values: xs.slice(6, 9), dtype }],
        (be, [a, b]) => be.concat([a, b], [[2, 3], [1, 3]], 0, [3, 3], dtype),
      );
    });
  }
});

describe('ops without a native kernel fall back to the scalar function and agree with js', () => {
  it('unary and binary ops by name, int32 arithmetic, mixed dtypes', () => {
    const xs = [...SPECIALS, ...values(50, 41)];
    for (const dtype of FLOATS) {
      sameOnBoth([{ values: xs, dtype }], (be, [x]) => be.unary('cos', Math.cos, x, dtype));
      sameOnBoth([{ values: xs, dtype }], (be, [x]) => be.unary('tanh', Math.tanh, x, dtype));
      sameOnBoth([{ values: xs, dtype }, { values: xs, dtype }], (be, [a, b]) => be.binary('pow', Math.pow, a, [xs.length], b, [xs.length], [xs.length], dtype));
    }
    const ints = [1, -2, 3, 0, 7];
    sameOnBoth([{ values: ints, dtype: 'int32' }], (be, [x]) => be.unary('neg', (v) => -v, x, 'int32'));
    sameOnBoth([{ values: ints, dtype: 'int32' }], (be, [x]) => be.unary('exp', Math.exp, x, 'float64'));
    sameOnBoth([{ values: ints, dtype: 'int32' }, { values: [2], dtype: 'int32' }], (be, [a, b]) => be.binary('add', (p, q) => p + q, a, [5], b, [], [5], 'int32'));
    sameOnBoth([{ values: ints, dtype: 'float32' }, { values: [0.1], dtype: 'float64' }], (be, [a, b]) => be.binary('mul', (p, q) => p * q, a, [5], b, [], [5], 'float64'));
  });

  it('where, argmax / argmin, cast and int32 matmul', () => {
    const xs = values(12, 43);
    sameOnBoth(
      [{ values: [1, 0, 1], dtype: 'float64' }, { values: xs.slice(0, 12), dtype: 'float64' }, { values: [5], dtype: 'float64' }],
      (be, [c, a, b]) => be.where(c, [3], a, [4, 3], b, [], [4, 3], 'float64'),
    );
    for (const kind of ['argmax', 'argmin'] as const) sameOnBoth([{ values: xs, dtype: 'float32' }], (be, [x]) => be.argReduce(kind, x, [3, 4], 1));
    for (const [from, to] of [['float64', 'float32'], ['float32', 'float64'], ['float64', 'int32'], ['int32', 'float32']] as const) {
      sameOnBoth([{ values: [...SPECIALS, 2.5, -2.5, 3e9], dtype: from }], (be, [x]) => be.cast(x, to));
    }
    sameOnBoth(
      [{ values: [1, 2, 3, 4, 5, 6], dtype: 'int32' }, { values: [1, -1, 2, 0, 3, 1], dtype: 'int32' }],
      (be, [a, b]) => be.matmul(a, [2, 3], b, [3, 2], false, false, 'int32'),
    );
  });

  it('reads single values and whole arrays back, and fills', () => {
    const s = wasm.fromArray([1.5, -2, 3], 'float32');
    expect(wasm.readAt(s, 1)).toBe(-2);
    expect(Array.from(wasm.read(s))).toEqual([1.5, -2, 3]);
    expect(Array.from(wasm.read(wasm.full(3, 2.5, 'float64')))).toEqual([2.5, 2.5, 2.5]);
    expect(Array.from(wasm.read(wasm.full(4, 0, 'int32')))).toEqual([0, 0, 0, 0]);
    expect(Array.from(wasm.read(wasm.fromArray([1.9, -1.9], 'int32')))).toEqual([1, -1]);
  });
});

describe('linear (matmul, bias and activation in one call)', () => {
  const ACTS: [string, ((x: number) => number) | null][] = [
    ['none', null],
    ['relu', UNARY.relu],
    ['sigmoid', UNARY.sigmoid],
    ['tanh', Math.tanh],
  ];
  for (const be of [js, wasm]) {
    for (const dtype of FLOATS) {
      it.each(ACTS)(`${be === js ? 'js' : 'wasm'}, ${dtype}, %s: equals matmul, then add, then the activation, bit for bit`, (name, fn) => {
        for (const [M, K, N, bias] of [[7, 5, 3, true], [128, 30, 50, true], [4, 1, 6, false], [3, 6, 1, true], [0, 4, 2, true]] as const) {
          const x = be.fromArray(values(M * K, 41 + M), dtype);
          const w = be.fromArray(values(K * N, 43 + N), dtype);
          const b = bias ? be.fromArray(values(N, 47), dtype) : null;
          const act = fn === null ? null : { name, fn };
          const fused = Array.from(be.read(be.linear(x, w, b, M, K, N, act, dtype)));
          let z = be.matmul(x, [M, K], w, [K, N], false, false, dtype);
          if (b !== null) z = be.binary('add', BINARY.add, z, [M, N], b, [N], [M, N], dtype);
          if (act !== null) z = be.unary(name, act.fn, z, dtype);
          const want = Array.from(be.read(z));
          expect(fused.length).toBe(want.length);
          fused.forEach((v, i) => expect(Object.is(v, want[i]), `[${M},${K},${N}] element ${i}: ${v} vs ${want[i]}`).toBe(true));
        }
      });
    }
  }
});

describe('the cross-entropy kernels (two parameters, equal shapes) agree with the scalar functions of the op', () => {
  // the op's own path: tg.binaryCrossEntropy on each backend, forward and both slopes
  const P = [0, 1e-14, 1e-12, 1e-7, 0.001, 0.3, 0.5, 0.7, 0.999, 1 - 1e-12, 1, NaN, -0.5, 1.5, 5e-324, Math.fround(1e-7), Math.fround(1 - 1e-7)];
  const Y = [0, 1, 0.5, 0.25, 1, 0, 0.3, 1, 0, 1, 0, 1, 1, 0, 0.9, 1, 0];

  function run(backend: string, dtype: 'float32' | 'float64', n: number, eps: number): number[][] {
    const prev = tg.getBackend();
    tg.setBackend(backend);
    try {
      const ps = Array.from({ length: n }, (_, i) => P[i % P.length]);
      const ys = Array.from({ length: n }, (_, i) => Y[(i * 7) % Y.length]);
      const p = tg.tensor(ps, { dtype, requiresGrad: true });
      const y = tg.tensor(ys, { dtype, requiresGrad: true });
      const loss = tg.binaryCrossEntropy(p, y, eps);
      tg.sum(loss).backward();
      return [Array.from(loss.dataSync()), Array.from(p.grad!.dataSync()), Array.from(y.grad!.dataSync())];
    } finally {
      tg.setBackend(prev);
    }
  }

  for (const dtype of FLOATS) {
    it(`${dtype}: values and both slopes bit for bit, every tail length`, () => {
      for (const n of [1, 2, 3, 4, 5, 7, 17, 130]) {
        for (const eps of dtype === 'float32' ? [1e-7, 0.01] : [1e-12, 0.01, 0]) {
          const got = run('wasm', dtype, n, eps);
          const want = run('js', dtype, n, eps);
          got.forEach((part, k) => part.forEach((v, i) => expect(Object.is(v, want[k][i]) || (v === 0 && want[k][i] === 0), `n ${n} eps ${eps} part ${k} element ${i}: ${v} vs ${want[k][i]}`).toBe(true)));
        }
      }
    });
  }
});

describe('subScaled (a - b·s, an optimizer step) agrees with sub and mul, bit for bit', () => {
  for (const dtype of FLOATS) {
    it(`${dtype}, on both backends, every tail length`, () => {
      const prev = tg.getBackend();
      try {
        for (const n of [1, 2, 3, 4, 5, 9, 130]) {
          for (const s of [0.1, 1e-3, 3, 1 / 3]) {
            const av = values(n, 61 + n, 4);
            const bv = values(n, 67 + n, 40);
            const run = (backend: string, fused: boolean) => {
              tg.setBackend(backend);
              const a = tg.tensor(av, { dtype });
              const b = tg.tensor(bv, { dtype });
              return Array.from((fused ? tg.noGrad(() => subScaled(a, b, s)) : tg.sub(a, tg.mul(b, s))).dataSync());
            };
            const want = run('js', false);
            for (const got of [run('wasm', true), run('js', true), run('wasm', false)]) {
              got.forEach((v, i) => expect(Object.is(v, want[i]), `n ${n} s ${s} element ${i}: ${v} vs ${want[i]}`).toBe(true));
            }
          }
        }
      } finally {
        tg.setBackend(prev);
      }
    });
  }
});
