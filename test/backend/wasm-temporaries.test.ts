/**
 * Temporaries of a backward pass on the wasm backend: the heap frees what a scope made
 * except what it is told to keep (with the sources of kept pending transposes), scopes
 * nest, persistent storages survive, a released storage fails loudly; and backward()
 * frees its cotangents at once while gradients, retained gradients, cached constants and
 * tensors moved from another backend stay intact.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { currentBackend } from '../../src/backend/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

describe('wasm heap temporaries scopes', () => {
  it('frees what the scope made except what is kept, and kept storages move to the enclosing scope', () => {
    const be = createWasmBackend();
    const heap = be.heap;
    const before = be.fromArray([1, 2, 3], 'float64');
    const live0 = heap.stats().liveBlocks;
    be.beginTemporaries();
    const a = be.fromArray([4, 5, 6], 'float64');
    const b = be.binary('add', (x, y) => x + y, a, [3], before, [3], [3], 'float64');
    be.beginTemporaries();
    const c = be.unary('neg', (x) => -x, b, 'float64');
    const d = be.unary('neg', (x) => -x, c, 'float64');
    be.endTemporaries([c]);
    expect(heap.stats().liveBlocks).toBe(live0 + 3); // a, b, c
    expect(() => be.read(d)).toThrow(/freed as a temporary/);
    expect(Array.from(be.read(c))).toEqual([-5, -7, -9]);
    be.endTemporaries([b]);
    // c was kept by the inner scope only: the outer one frees it
    expect(heap.stats().liveBlocks).toBe(live0 + 1);
    expect(Array.from(be.read(b))).toEqual([5, 7, 9]);
    expect(Array.from(be.read(before))).toEqual([1, 2, 3]);
    expect(() => be.read(a)).toThrow(/freed/);
  });

  it('keeps the source of a kept pending transpose, and persistent storages', () => {
    const be = createWasmBackend();
    be.beginTemporaries();
    const m = be.fromArray([1, 2, 3, 4, 5, 6], 'float64');
    const t = be.transpose(m, [2, 3], [1, 0]);
    const cached = be.fromArray([42], 'float64');
    be.persist(cached);
    be.endTemporaries([t]);
    expect(Array.from(be.read(t))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(be.read(cached))).toEqual([42]);
  });

  it('refuses an unmatched end', () => {
    expect(() => createWasmBackend().endTemporaries([])).toThrow(/without beginTemporaries/);
  });
});

describe('backward() frees its temporaries on the wasm backend', () => {
  it('leaves only the gradients behind, and they and the model stay correct over many steps', () => {
    const prev = tg.getBackend();
    tg.setBackend('wasm');
    try {
      const gen = new tg.Generator(3);
      const w = tg.randn([4, 3], { generator: gen, requiresGrad: true });
      const b = tg.randn([3], { generator: gen, requiresGrad: true });
      const x = tg.randn([5, 4], { generator: gen });
      const step = () => tg.mean(tg.sigmoid(tg.add(tg.matmul(x, w), b)).mul(0.5).sub(0.25).pow(2));
      // the reference gradient, with a graph kept (nothing freed)
      step().backward(undefined, { createGraph: true });
      const wantW = Array.from(w.grad!.detach().dataSync());
      const wantB = Array.from(b.grad!.detach().dataSync());
      const heap = (currentBackend() as WasmBackend).heap;
      for (let i = 0; i < 50; i++) {
        w.grad = null;
        b.grad = null;
        const loss = step();
        const live = heap.stats().liveBlocks;
        loss.backward();
        // the pass made a dozen tensors; two gradients are left (the first pass may also
        // cache a scalar constant for good)
        if (i > 0) expect(heap.stats().liveBlocks).toBe(live + 2);
        expectClose(w.grad!, wantW, 1e-15);
        expectClose(b.grad!, wantB, 1e-15);
      }
    } finally {
      tg.setBackend(prev);
    }
  });

  it('keeps retained gradients, accumulates into existing ones, and moves tensors from js for good', () => {
    const prev = tg.getBackend();
    try {
      tg.setBackend('js');
      const w = tg.tensor([[0.5, -1], [2, 0.25]], { requiresGrad: true });
      tg.setBackend('wasm');
      const h = tg.matmul(tg.tensor([[1, 2]]), w).retainGrad();
      const loss = tg.sum(tg.mul(h, h));
      loss.backward(undefined, { retainGraph: true });
      loss.backward();
      // h = [4.5, -0.5]; dloss/dh = 2h, twice accumulated into w.grad
      expectClose(h.grad!, [[9, -1]], 1e-15);
      expectClose(w.grad!, [[18, -2], [36, -4]], 1e-15);
      // w was moved to wasm during the first pass: its data must have survived both
      expectClose(w, [[0.5, -1], [2, 0.25]], 0);
      expectClose(tg.mul(w, 2), [[1, -2], [4, 0.5]], 0);
      // scalar constants cached during the pass are still usable
      expectClose(tg.sub(1, tg.tensor([0.25])), [0.75], 0);
      // so is a seed gradient the caller passed
      const seed = tg.tensor([[2, 3]]);
      w.grad = null;
      tg.matmul(tg.tensor([[1, 2]]), w).backward(seed);
      expectClose(seed, [[2, 3]], 0);
      expectClose(w.grad!, [[2, 3], [4, 6]], 0);
    } finally {
      tg.setBackend(prev);
    }
  });
});

describe('optimizer.step frees its temporaries on the wasm backend and keeps its state', () => {
  const run = (backend: string, make: (ps: tg.Tensor[]) => tg.optim.Optimizer): number[] => {
    const prev = tg.getBackend();
    tg.setBackend(backend);
    try {
      const gen = new tg.Generator(9);
      const w = tg.randn([3, 2], { generator: gen, requiresGrad: true });
      const x = tg.randn([4, 3], { generator: gen });
      const opt = make([w]);
      for (let i = 0; i < 6; i++) {
        opt.zeroGrad();
        tg.sum(tg.tanh(tg.matmul(x, w))).backward();
        opt.step();
      }
      return Array.from(w.dataSync());
    } finally {
      tg.setBackend(prev);
    }
  };
  it.each([
    ['SGD with Nesterov momentum', (ps: tg.Tensor[]) => new tg.optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['Adam with amsgrad', (ps: tg.Tensor[]) => new tg.optim.Adam(ps, { lr: 0.05, amsgrad: true })],
    ['AdamW', (ps: tg.Tensor[]) => new tg.optim.AdamW(ps, { lr: 0.05 })],
  ])('%s: the same parameters on wasm as on js', (_label, make) => {
    const wasm = run('wasm', make);
    const js = run('js', make);
    wasm.forEach((v, i) => expect(Math.abs(v - js[i])).toBeLessThanOrEqual(1e-12));
  });
});
