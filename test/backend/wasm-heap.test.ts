/**
 * The wasm heap: views that follow the memory when it grows (ordinary and shared memories),
 * data kept intact across growth, blocks returned when tensors are garbage-collected, and
 * host storage once the heap is at its limit.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { JsBackend } from '../../src/backend/js.js';
import type { Storage } from '../../src/backend/index.js';
import { PAGE_BYTES } from '../../src/backend/wasm/module.js';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe.each([false, true])('wasm heap (shared memory: %s)', (shared) => {
  it('refreshes its views when the memory grows, and keeps the data', () => {
    const be = createWasmBackend({ shared, initialPages: 1 });
    const heap = be.heap;
    const first = be.fromArray([1.25, -2.5, 3.75], 'float64');
    const oldView = heap.f64;
    const before = heap.stats().memoryBytes;
    // far more than one page: the memory must grow
    const big = be.full(300_000, 7, 'float32');
    expect(heap.stats().memoryBytes).toBeGreaterThan(before);
    expect(heap.f64 === oldView).toBe(false);
    expect(heap.f64.byteLength).toBe(heap.stats().memoryBytes);
    if (!shared) expect(oldView.byteLength).toBe(0); // an ordinary memory's old buffer is detached
    expect(Array.from(be.read(first))).toEqual([1.25, -2.5, 3.75]);
    expect(be.readAt(first, 2)).toBe(3.75);
    expect(be.readAt(big, 299_999)).toBe(7);
    // kernels see the grown memory too
    const sum = be.reduce('sum', big, [300_000], [0], 'float32');
    expect(be.readAt(sum, 0)).toBe(2_100_000);
  });
});

describe('wasm heap lifetime', () => {
  it('frees the blocks of tensors the garbage collector has collected', async () => {
    const be = createWasmBackend({ initialPages: 1 });
    const heap = be.heap;
    const base = heap.stats().liveBlocks;
    (() => {
      for (let i = 0; i < 100; i++) be.full(1000, i, 'float64');
    })();
    expect(heap.stats().liveBlocks).toBe(base + 100);
    // collection and finalization are up to the engine: give it a few rounds
    for (let round = 0; round < 20 && heap.stats().liveBlocks > base; round++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(heap.stats().liveBlocks).toBe(base);
    // and the space is used again: the memory does not grow for the next ones
    const memory = heap.stats().memoryBytes;
    for (let i = 0; i < 100; i++) be.full(1000, i, 'float64');
    expect(heap.stats().memoryBytes).toBe(memory);
  });

  it('keeps tensors in ordinary arrays past its limit, with the same results', () => {
    const be = createWasmBackend({ initialPages: 1, heapLimit: 4 * PAGE_BYTES });
    const heap = be.heap;
    const keep = [];
    for (let i = 0; i < 12; i++) keep.push(be.full(8192, i, 'float64')); // 64 KiB each
    expect(heap.stats().hostStorages).toBeGreaterThan(0);
    expect(heap.stats().memoryBytes).toBeLessThanOrEqual(8 * PAGE_BYTES);
    // kernels read host storages and write new ones correctly
    const last = keep[11];
    const doubled = be.binary('add', (a, b) => a + b, last, [8192], last, [8192], [8192], 'float64');
    expect(be.readAt(doubled, 8191)).toBe(22);
    const e = be.unary('exp', Math.exp, be.fromArray([0, 1], 'float64'), 'float64');
    expect(Array.from(be.read(e))).toEqual([1, Math.E]);
    // no temporaries are left behind
    const st = heap.stats();
    expect(st.liveBytes).toBeLessThanOrEqual(4 * PAGE_BYTES);
  });
});

describe('wasm heap at its limit in a synchronous loop', () => {
  it('once full, new tensors go to the host without searching the heap and every kernel matches js', () => {
    const be = createWasmBackend({ initialPages: 1, heapLimit: 4 * PAGE_BYTES });
    const js = new JsBackend();
    const keep = [];
    for (let i = 0; i < 6; i++) keep.push(be.full(8192, i + 1, 'float64')); // 64 KiB each: past the limit
    expect(be.heap.full).toBe(true);
    const hostBefore = be.heap.stats().hostStorages;
    tg.manualSeed(1);
    const a = Array.from(tg.randn([3, 4]).dataSync());
    const b = Array.from(tg.randn([4, 2]).dataSync());
    const sa = be.fromArray(a, 'float64');
    const sb = be.fromArray(b, 'float64');
    const ja = js.fromArray(a, 'float64');
    const jb = js.fromArray(b, 'float64');
    const same = (w: Storage, j: Storage) => expect(Array.from(be.read(w))).toEqual(Array.from(js.read(j)));
    same(be.matmul(sa, [3, 4], sb, [4, 2], false, false, 'float64'), js.matmul(ja, [3, 4], jb, [4, 2], false, false, 'float64'));
    same(be.unary('exp', Math.exp, sa, 'float64'), js.unary('exp', Math.exp, ja, 'float64'));
    same(be.binary('mul', (x, y) => x * y, sa, [3, 4], sa, [3, 4], [3, 4], 'float64'), js.binary('mul', (x, y) => x * y, ja, [3, 4], ja, [3, 4], [3, 4], 'float64'));
    same(be.reduce('sum', sa, [3, 4], [0], 'float64'), js.reduce('sum', ja, [3, 4], [0], 'float64'));
    same(be.transpose(sa, [3, 4], [1, 0]), js.transpose(ja, [3, 4], [1, 0]));
    same(be.broadcastTo(sb, [4, 2], [3, 4, 2]), js.broadcastTo(jb, [4, 2], [3, 4, 2]));
    same(be.slice(sa, [3, 4], [2, 3], [-1, -2], [3, 2]), js.slice(ja, [3, 4], [2, 3], [-1, -2], [3, 2]));
    same(be.scatterSlice(sb, [4, 2], [0, 1], [1, 2], [4, 5]), js.scatterSlice(jb, [4, 2], [0, 1], [1, 2], [4, 5]));
    same(be.concat([sa, sa], [[3, 4], [3, 4]], 1, [3, 8], 'float64'), js.concat([ja, ja], [[3, 4], [3, 4]], 1, [3, 8], 'float64'));
    expect(be.heap.stats().hostStorages).toBeGreaterThan(hostBefore);
  });

  it('is no longer full once a block is freed', async () => {
    const be = createWasmBackend({ initialPages: 1, heapLimit: 4 * PAGE_BYTES });
    for (let i = 0; i < 6; i++) be.full(8192, i, 'float64'); // dropped at once
    expect(be.heap.full).toBe(true);
    for (let i = 0; i < 10 && be.heap.full; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(be.heap.full).toBe(false);
  });
});

describe('backend selection', () => {
  const initial = tg.getBackend();

  it('switches between js and wasm, and rejects unknown names', () => {
    try {
      tg.setBackend('js');
      expect(tg.getBackend()).toBe('js');
      tg.setBackend('wasm');
      expect(tg.getBackend()).toBe('wasm');
      expect(tg.tensor([1, 2]).backend.name).toBe('wasm');
      expect(() => tg.setBackend('gpu')).toThrow(/setBackend: unknown backend "gpu"; available: js, wasm/);
    } finally {
      tg.setBackend(initial);
    }
  });

  it('lets tensors from different backends meet: inputs move to the current backend, gradients flow', () => {
    try {
      tg.setBackend('js');
      const w = tg.tensor([[1, 2], [3, 4]], { requiresGrad: true });
      tg.setBackend('wasm');
      const x = tg.tensor([[0.5, -1]]);
      const y = tg.matmul(x, w).sigmoid().sum();
      expect(y.backend.name).toBe('wasm');
      expect(w.backend.name).toBe('wasm'); // moved, same tensor
      y.backward();
      const s = [1 / (1 + Math.exp(2.5)), 1 / (1 + Math.exp(3))];
      const ds = s.map((v) => v * (1 - v));
      expectClose(w.grad!, [0.5 * ds[0], 0.5 * ds[1], -ds[0], -ds[1]], 1e-15);
      // and back the other way
      tg.setBackend('js');
      expect(tg.add(x, 1).backend.name).toBe('js');
      expect(x.toArray()).toEqual([[0.5, -1]]);
    } finally {
      tg.setBackend(initial);
    }
  });

  it('ready() resolves and leaves a chosen backend alone', async () => {
    try {
      tg.setBackend('js');
      await tg.ready();
      expect(tg.getBackend()).toBe('js');
    } finally {
      tg.setBackend(initial);
    }
  });
});
