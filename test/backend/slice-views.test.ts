/**
 * Slices that are one contiguous run of their source (a batch of rows, one row) share its
 * data on both backends instead of copying it; every other slice is copied. Either way the
 * values are those of the strided copy, and nothing written later reaches the other side.
 */
import { describe, expect, it } from 'vitest';
import { contiguousSliceStart } from '../../src/core/shape.js';
import { JsBackend } from '../../src/backend/js.js';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

describe('contiguousSliceStart', () => {
  it.each<[string, number[], number[], number[], number[], number]>([
    ['rows 2..4 of a matrix', [5, 3], [2, 0], [1, 1], [3, 3], 6],
    ['one row', [5, 3], [4, 0], [1, 1], [1, 3], 12],
    ['part of one row', [5, 3], [1, 1], [1, 1], [1, 2], 4],
    ['one matrix of a batch, rows 1..2', [2, 3, 4], [1, 1, 0], [1, 1, 1], [1, 2, 4], 16],
    ['the whole tensor', [2, 3], [0, 0], [1, 1], [2, 3], 0],
    ['a 0-d slice of a vector', [4], [3], [1], [1], 3],
  ])('%s is one run from element %i', (_label, shape, begin, step, out, want) => {
    expect(contiguousSliceStart(shape, begin, step, out)).toBe(want);
  });

  it.each<[string, number[], number[], number[], number[]]>([
    ['a column', [5, 3], [0, 1], [1, 1], [5, 1]],
    ['columns 0..1 of two rows', [5, 3], [0, 0], [1, 1], [2, 2]],
    ['every other row', [6, 2], [0, 0], [2, 1], [3, 2]],
    ['rows reversed', [3, 2], [2, 0], [-1, 1], [3, 2]],
    ['empty', [3, 2], [1, 0], [1, 1], [0, 2]],
  ])('%s is not', (_label, shape, begin, step, out) => {
    expect(contiguousSliceStart(shape, begin, step, out)).toBe(-1);
  });
});

describe('slices that are one run share their source', () => {
  it('js: a view of the same array', () => {
    const js = new JsBackend();
    const src = js.fromArray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'float64');
    const rows = js.slice(src, [5, 2], [1, 0], [1, 1], [2, 2]) as unknown as Float64Array;
    expect(Array.from(rows)).toEqual([2, 3, 4, 5]);
    expect(rows.buffer).toBe((src as unknown as Float64Array).buffer);
    const col = js.slice(src, [5, 2], [0, 1], [1, 1], [5, 1]) as unknown as Float64Array;
    expect(col.buffer).not.toBe((src as unknown as Float64Array).buffer);
  });

  it('wasm: a storage inside the same block, kept apart from the allocator', () => {
    const wasm = createWasmBackend();
    const src = wasm.fromArray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'float32');
    const live = wasm.heap.stats().liveBlocks;
    const rows = wasm.slice(src, [5, 2], [3, 0], [1, 1], [2, 2]);
    expect(wasm.heap.stats().liveBlocks).toBe(live);
    expect(Array.from(wasm.read(rows))).toEqual([6, 7, 8, 9]);
    // a view of a view reads the right place too, and kernels take views as inputs
    const last = wasm.slice(rows, [2, 2], [1, 0], [1, 1], [1, 2]);
    expect(Array.from(wasm.read(last))).toEqual([8, 9]);
    expect(Array.from(wasm.read(wasm.binary('mul', (a, b) => a * b, last, [1, 2], rows, [2, 2], [2, 2], 'float32')))).toEqual([48, 63, 64, 81]);
  });

  it('the data set batches of a training loop are views with the right values on every backend', () => {
    const x = tg.reshape(tg.arange(40), [10, 4]);
    const y = tg.arange(10);
    const batches = [...new tg.data.DataSet(x, y, 4)];
    expect(batches.map(([xb]) => xb.shape)).toEqual([[4, 4], [4, 4], [2, 4]]);
    expectClose(batches[2][0], [[32, 33, 34, 35], [36, 37, 38, 39]], 0);
    expectClose(batches[1][1], [4, 5, 6, 7], 0);
    // a result computed from a view is a new tensor: the source keeps its values
    expectClose(tg.mul(batches[0][0], 2), [[0, 2, 4, 6], [8, 10, 12, 14], [16, 18, 20, 22], [24, 26, 28, 30]], 0);
    expectClose(tg.index(x, 0), [0, 1, 2, 3], 0);
  });
});
