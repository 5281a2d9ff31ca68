// Runs in Chromium only (the `chromium` vitest project, whose pages are cross-origin
// isolated): the wasm backend's large products split over web workers, the page's main
// thread working on the first band and spinning (it may not block) until the workers finish.
import { afterEach, describe, expect, it } from 'vitest';
import { currentBackend } from '../../../src/backend/index.js';
import type { WasmBackend } from '../../../src/backend/wasm/index.js';
import { mayBlock } from '../../../src/backend/wasm/threads.js';
import * as tg from '../../../src/index.browser.js';
import { lcgValues } from '../../values.js';

type Float = 'float32' | 'float64';


/** A·B in float64 by the textbook loop, on the values as `dtype` stores them. */
function reference(a: number[], b: number[], M: number, K: number, N: number, dtype: Float): number[] {
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  const out = new Array<number>(M * N).fill(0);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += round(a[i * K + k]) * round(b[k * N + j]);
      out[i * N + j] = s;
    }
  }
  return out;
}

function wasmBackend(): WasmBackend {
  tg.setBackend('wasm');
  return currentBackend() as WasmBackend;
}

// 256·300·200 = 15.4 M multiply-adds, well above the parallel threshold (2^20)
const [M, K, N] = [256, 300, 200];
const A = lcgValues(M * K, 5);
const B = lcgValues(K * N, 9);

describe('wasm matmul on web workers in a cross-origin-isolated page', () => {
  const before = tg.getBackend();
  const threads = tg.getNumThreads();
  afterEach(async () => {
    tg.setNumThreads(threads);
    await tg.ready();
    tg.setBackend(before);
  });

  it('the page is cross-origin isolated: shared memory exists', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
    expect(wasmBackend().heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(mayBlock()).toBe(false); // the main thread: the pool spins while workers finish
  });

  it('after await tg.ready(), the backend reports the cores and its workers run', () => {
    // setup.ts awaited tg.ready()
    expect(tg.getNumThreads()).toBe(Math.max(1, navigator.hardwareConcurrency));
    expect(wasmBackend().workerThreads?.size ?? 0).toBe(tg.getNumThreads() - 1);
  });

  it('setNumThreads(3) then await tg.ready(): three threads, two of them workers', async () => {
    tg.setNumThreads(3);
    await tg.ready();
    expect(tg.getNumThreads()).toBe(3);
    expect(wasmBackend().workerThreads?.size).toBe(2);
  });

  it.each(['float32', 'float64'] as const)('a %s 256x300 @ 300x200 product runs on the workers and agrees with the js backend and a plain loop', async (dtype) => {
    tg.setNumThreads(3);
    await tg.ready();
    const be = wasmBackend();
    const pool = be.workerThreads!;
    const posted = pool.jobsPosted;
    const got = tg.matmul(tg.tensor(A, { dtype }).reshape([M, K]), tg.tensor(B, { dtype }).reshape([K, N])).dataSync();
    expect(pool.jobsPosted - posted).toBe(2); // one band for each worker
    expect(be.workerThreads).toBe(pool);

    tg.setBackend('js');
    const js = tg.matmul(tg.tensor(A, { dtype }).reshape([M, K]), tg.tensor(B, { dtype }).reshape([K, N])).dataSync();
    const want = reference(A, B, M, K, N, dtype);
    // float32 sums of 300 products of size <= 1 (|sum| < 20, typically ~5) in another order
    const tol = dtype === 'float32' ? 2e-4 : 1e-12;
    let worstJs = 0;
    let worstRef = 0;
    for (let i = 0; i < M * N; i++) {
      worstJs = Math.max(worstJs, Math.abs(got[i] - js[i]));
      worstRef = Math.max(worstRef, Math.abs(got[i] - want[i]));
    }
    expect(got.length).toBe(M * N);
    expect(worstJs).toBeLessThan(tol);
    expect(worstRef).toBeLessThan(tol);
  });

  it.each(['float32', 'float64'] as const)('%s: the same bits on 3 threads as on 1, bands that do not divide evenly', async (dtype) => {
    const be = wasmBackend();
    const run = (m: number): number[] => {
      const a = be.fromArray(lcgValues(m * K, 7), dtype);
      const b = be.fromArray(lcgValues(K * N, 11), dtype);
      return Array.from(be.read(be.matmul(a, [m, K], b, [K, N], false, false, dtype)));
    };
    tg.setNumThreads(3);
    await tg.ready();
    const pool = be.workerThreads!;
    const posted = pool.jobsPosted;
    const threaded = run(261);
    expect(pool.jobsPosted - posted).toBe(2);
    tg.setNumThreads(1);
    const single = run(261);
    expect(threaded).toEqual(single);
  });

  it('switching the count back and forth replaces the pool, and every pool gives the one-thread bits', async () => {
    const be = wasmBackend();
    const run = (): number[] => {
      const a = be.fromArray(lcgValues(203 * K, 3), 'float32');
      const b = be.fromArray(lcgValues(K * N, 4), 'float32');
      return Array.from(be.read(be.matmul(a, [203, K], b, [K, N], false, false, 'float32')));
    };
    tg.setNumThreads(1);
    const single = run();
    for (const n of [3, 2, 4, 3, 2]) {
      tg.setNumThreads(n);
      await tg.ready();
      expect(be.workerThreads?.size).toBe(n - 1);
      expect(run()).toEqual(single);
      expect(be.workerThreads?.jobsPosted).toBe(n - 1);
    }
  });

  it('without tg.ready(), a new setting starts its pool on the first large product, which runs on one thread meanwhile', async () => {
    const be = wasmBackend();
    const run = (): number[] => {
      const a = be.fromArray(lcgValues(M * K, 3), 'float64');
      const b = be.fromArray(lcgValues(K * N, 4), 'float64');
      return Array.from(be.read(be.matmul(a, [M, K], b, [K, N], false, false, 'float64')));
    };
    tg.setNumThreads(1);
    const single = run();
    tg.setNumThreads(3);
    expect(run()).toEqual(single); // the old pool is gone, the new one is starting
    expect(be.workerThreads).toBeNull();
    await tg.ready(); // resolves once the pool started by that product runs
    const pool = be.workerThreads!;
    expect(pool.size).toBe(2);
    expect(run()).toEqual(single);
    expect(pool.jobsPosted).toBe(2);
  });

  it('workers that fail to start (e.g. a CSP refusing Blob URL workers) leave one thread, without errors', async () => {
    const be = wasmBackend();
    const real = globalThis.Worker;
    /** A worker the page refuses: it reports an error instead of starting. */
    class Refused extends EventTarget {
      onmessage: ((e: MessageEvent) => void) | null = null;
      onerror: ((e: ErrorEvent) => void) | null = null;
      constructor() {
        super();
        setTimeout(() => this.onerror?.(new ErrorEvent('error', { message: 'refused by the test' })), 0);
      }
      postMessage(): void {}
      terminate(): void {}
    }
    tg.setNumThreads(1);
    const a = lcgValues(M * K, 3);
    const b = lcgValues(K * N, 4);
    const run = (): number[] => Array.from(be.read(be.matmul(be.fromArray(a, 'float64'), [M, K], be.fromArray(b, 'float64'), [K, N], false, false, 'float64')));
    const single = run();
    globalThis.Worker = Refused as unknown as typeof Worker;
    try {
      tg.setNumThreads(3);
      await tg.ready();
    } finally {
      globalThis.Worker = real;
    }
    expect(be.workerThreads).toBeNull();
    expect(run()).toEqual(single); // one thread; no new attempt until the setting changes
    expect(be.workerThreads).toBeNull();
    tg.setNumThreads(3); // a new setting tries again, with real workers this time
    await tg.ready();
    expect(be.workerThreads?.size).toBe(2);
    expect(run()).toEqual(single);
  });

  it('a product below the threshold stays on the calling thread', async () => {
    tg.setNumThreads(3);
    await tg.ready();
    const pool = wasmBackend().workerThreads!;
    const posted = pool.jobsPosted;
    const c = tg.matmul(tg.ones([64, 64]), tg.ones([64, 64])).dataSync();
    expect(c[0]).toBe(64);
    expect(pool.jobsPosted).toBe(posted);
  });
});
