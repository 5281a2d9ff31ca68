/**
 * The wasm matmul kernel against the js reference: every combination of transpose flags,
 * sizes that do not fill the register tiles or cross the cache blocks, batches that
 * broadcast on either side, float32 and float64, empty and zero-depth products, and
 * operands kept outside the heap.
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../../src/core/dtype.js';
import { sizeOf } from '../../src/core/shape.js';
import type { Storage } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';

const js = new JsBackend();
const wasm = createWasmBackend();

function values(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Case {
  a: number[];
  b: number[];
  transA?: boolean;
  transB?: boolean;
}

/** Runs one product on both backends; returns both results as plain arrays. */
function both({ a, b, transA = false, transB = false }: Case, dtype: DType): { got: number[]; want: number[] } {
  const av = values(sizeOf(a), 1 + a.length);
  const bv = values(sizeOf(b), 7 + b.length);
  const run = (be: typeof js | typeof wasm): number[] => {
    const out: Storage = be.matmul(be.fromArray(av, dtype), a, be.fromArray(bv, dtype), b, transA, transB, dtype);
    return Array.from(be.read(out));
  };
  return { got: run(wasm), want: run(js) };
}

function expectNear(got: number[], want: number[], rtol: number): void {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= rtol * scale)) expect.fail(`element ${i}: ${got[i]} vs ${want[i]}`);
  }
}

// float32: the wasm kernel accumulates in float32, the js one in float64
const RTOL: Record<'float32' | 'float64', number> = { float32: 2e-5, float64: 1e-13 };

describe.each(['float32', 'float64'] as const)('wasm matmul in %s', (dtype) => {
  it.each([
    [1, 1, 1],
    [2, 3, 4],
    [5, 7, 3],
    [4, 8, 16],
    [9, 17, 33],
    [128, 50, 30],
    [130, 9, 257],
    [3, 1030, 5],
    // a single column or row: matrix-vector products
    [7, 1, 33],
    [130, 1, 9],
    [1, 9, 17],
    [1, 130, 1],
    [5, 1, 0],
  ])('%i x %i with depth %i, every transpose combination', (M, N, K) => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = transA ? [K, M] : [M, K];
        const b = transB ? [N, K] : [K, N];
        const { got, want } = both({ a, b, transA, transB }, dtype);
        expectNear(got, want, RTOL[dtype]);
      }
    }
  });

  it.each<Case & { label: string }>([
    { label: 'batched on both sides', a: [3, 5, 6], b: [3, 6, 4] },
    { label: 'A batched, B shared (stacked into one product)', a: [2, 3, 5, 6], b: [6, 7] },
    { label: 'A shared, B batched', a: [5, 6], b: [4, 6, 7] },
    { label: 'batch axes broadcast against each other', a: [2, 1, 5, 6], b: [1, 3, 6, 4] },
    { label: 'A batched and transposed, B shared', a: [2, 6, 5], b: [6, 3], transA: true },
    { label: 'batched with B transposed', a: [4, 5, 6], b: [4, 7, 6], transB: true },
  ])('$label', (c) => {
    const { got, want } = both(c, dtype);
    expectNear(got, want, RTOL[dtype]);
  });

  it('gives an outer product (depth 1) exactly, signed zeros and special values included', () => {
    const a = [0, -0, 1.5, -2, Infinity, NaN, 1e-300];
    const b = [-0, 3, 0, -1e30, 0.25];
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const run = (be: typeof js | typeof wasm): number[] =>
          Array.from(be.read(be.matmul(be.fromArray(a, dtype), transA ? [1, 7] : [7, 1], be.fromArray(b, dtype), transB ? [5, 1] : [1, 5], transA, transB, dtype)));
        const got = run(wasm);
        const want = run(js);
        got.forEach((v, i) => expect(Object.is(v, want[i]), `element ${i}: ${v} vs ${want[i]}`).toBe(true));
      }
    }
  });

  it('handles empty results and zero depth (all zeros)', () => {
    expect(both({ a: [0, 3], b: [3, 4] }, dtype).got).toEqual([]);
    expect(both({ a: [2, 3, 0, 3], b: [3, 4] }, dtype).got).toEqual([]);
    const { got } = both({ a: [3, 0], b: [0, 2] }, dtype);
    expect(got).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('wasm matmul on data kept outside the heap', () => {
  it('gives the same product when operands and result live in ordinary arrays', () => {
    const small = createWasmBackend({ heapLimit: 1 }); // nothing fits: every tensor is a host storage
    const a = values(40 * 30, 3);
    const b = values(30 * 20, 4);
    const out = small.matmul(small.fromArray(a, 'float64'), [40, 30], small.fromArray(b, 'float64'), [30, 20], false, false, 'float64');
    const want = js.matmul(js.fromArray(a, 'float64'), [40, 30], js.fromArray(b, 'float64'), [30, 20], false, false, 'float64');
    expectNear(Array.from(small.read(out)), Array.from(js.read(want)), 1e-13);
    expect(small.heap.stats().hostStorages).toBeGreaterThanOrEqual(3);
    // with the heap full, the product ran the js kernel on the host arrays: nothing is left on the heap
    expect(small.heap.full).toBe(true);
    expect(small.heap.stats().liveBlocks).toBe(0);
  });
});

describe('wasm matrix transposes are read in place by matmul', () => {
  it('multiplies a pending transpose without copying it, and copies it for anything else', () => {
    const a = values(6 * 4, 11);
    const b = values(6 * 5, 12);
    const sa = wasm.fromArray(a, 'float64');
    const sb = wasm.fromArray(b, 'float64');
    const heap = wasm.heap;
    const before = heap.stats().liveBlocks;
    const aT = wasm.transpose(sa, [2, 3, 4], [0, 2, 1]); // [2, 4, 3], pending
    expect(heap.stats().liveBlocks).toBe(before);
    const got = wasm.matmul(aT, [2, 4, 3], sb, [3, 5], false, false, 'float64');
    const want = js.matmul(js.transpose(js.fromArray(a, 'float64'), [2, 3, 4], [0, 2, 1]), [2, 4, 3], js.fromArray(b, 'float64'), [3, 5], false, false, 'float64');
    expectNear(Array.from(wasm.read(got)), Array.from(js.read(want)), 1e-14);
    // a transpose flag on a pending transpose cancels out
    const again = wasm.matmul(aT, [2, 4, 3], wasm.transpose(sb, [3, 5], [1, 0]), [5, 3], false, true, 'float64');
    expectNear(Array.from(wasm.read(again)), Array.from(js.read(want)), 1e-14);
    // transposing back gives the source; other kernels see the copied values
    expect(wasm.transpose(aT, [2, 4, 3], [0, 2, 1])).toBe(sa);
    const doubled = wasm.binary('add', (x, y) => x + y, aT, [2, 4, 3], aT, [2, 4, 3], [2, 4, 3], 'float64');
    const jsT = js.read(js.transpose(js.fromArray(a, 'float64'), [2, 3, 4], [0, 2, 1]));
    expect(Array.from(wasm.read(doubled))).toEqual(Array.from(jsT, (v) => 2 * v));
    expect(Array.from(wasm.read(aT))).toEqual(Array.from(jsT));
  });
});
