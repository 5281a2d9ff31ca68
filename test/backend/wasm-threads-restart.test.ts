/**
 * Changing the thread count replaces the worker pool (Node): the old workers acknowledge a
 * stop before their blocks are freed, so a block reused by the new pool never wakes a
 * worker that is still on its way out. Products stay bit-identical to one thread's.
 */
import { describe, expect, it } from 'vitest';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm/index.js';
import { lcgValues } from '../values.js';


function product(be: WasmBackend, dtype: 'float32' | 'float64'): number[] {
  const [M, K, N] = [203, 300, 180];
  const a = be.fromArray(lcgValues(M * K, 3), dtype);
  const b = be.fromArray(lcgValues(K * N, 4), dtype);
  return Array.from(be.read(be.matmul(a, [M, K], b, [K, N], false, false, dtype)));
}

describe('wasm matmul threads: switching the count back and forth (Node)', () => {
  it.each(['float32', 'float64'] as const)('%s: every pool gives the one-thread bits', (dtype) => {
    const single = product(createWasmBackend({ threads: 1 }), dtype);
    const be = createWasmBackend({ threads: 2 });
    for (const n of [3, 2, 4, 3, 1, 2, 3]) {
      be.setNumThreads(n);
      const got = product(be, dtype);
      expect(got).toEqual(single);
      if (n > 1) {
        expect(be.workerThreads?.size).toBe(n - 1);
        expect(be.workerThreads?.jobsPosted).toBe(n - 1);
      }
    }
  });
});
