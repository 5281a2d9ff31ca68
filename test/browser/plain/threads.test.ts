// Runs in Chromium only (the `chromium-plain` vitest project): a page without cross-origin
// isolation has no shared memory, so the wasm backend keeps to one thread, without errors.
import { afterEach, describe, expect, it } from 'vitest';
import { currentBackend } from '../../../src/backend/index.js';
import type { WasmBackend } from '../../../src/backend/wasm/index.js';
import * as tg from '../../../src/index.browser.js';

describe('wasm matmul in a page that is not cross-origin isolated', () => {
  const before = tg.getBackend();
  const threads = tg.getNumThreads();
  afterEach(() => {
    tg.setNumThreads(threads);
    tg.setBackend(before);
  });

  it('has no shared memory, and the backend reports one thread', () => {
    expect(crossOriginIsolated).toBe(false);
    expect(typeof SharedArrayBuffer).toBe('undefined');
    expect(tg.getNumThreads()).toBe(1);
    tg.setBackend('wasm');
    expect(tg.getBackend()).toBe('wasm');
  });

  it.each(['float32', 'float64'] as const)('a large %s product runs on one thread and agrees with js', async (dtype) => {
    tg.setNumThreads(4); // asks for threads the page cannot have
    await tg.ready();
    // what a product actually runs on, not the setting
    expect(tg.getNumThreads()).toBe(1);
    tg.manualSeed(0);
    const a = tg.randn([256, 300], { dtype });
    const b = tg.randn([300, 200], { dtype });
    tg.setBackend('wasm');
    const got = tg.matmul(a, b).dataSync();
    expect((currentBackend() as WasmBackend).workerThreads).toBeNull();
    tg.setBackend('js');
    const want = tg.matmul(a, b).dataSync();
    const tol = dtype === 'float32' ? 1e-3 : 1e-10;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    expect(worst).toBeLessThan(tol);
  });
});
