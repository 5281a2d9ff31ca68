// A dedicated worker of the `chromium` project's cross-origin-isolated page (started by
// threads-in-worker.test.ts): a worker may block, so here the calling thread waits for the
// matmul workers in Atomics.wait rather than spinning. Answers one message with what it saw.
import { currentBackend } from '../../../src/backend/index.js';
import type { WasmBackend } from '../../../src/backend/wasm/index.js';
import { mayBlock } from '../../../src/backend/wasm/threads.js';
import * as tg from '../../../src/index.browser.js';

/** What the worker reports back to the test. */
export interface WorkerReport {
  isolated: boolean;
  /** Whether this thread may wait in Atomics.wait (so the pool does not spin). */
  blocking: boolean;
  threads: number;
  workers: number;
  jobs: number;
  maxError: number;
  error?: string;
}

const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(msg: unknown): void };

scope.onmessage = async () => {
  try {
    tg.setNumThreads(3);
    await tg.ready();
    tg.setBackend('wasm');
    const be = currentBackend() as WasmBackend;
    const pool = be.workerThreads;
    const before = pool?.jobsPosted ?? 0;
    const [M, K, N] = [256, 300, 200];
    tg.manualSeed(1);
    const a = tg.randn([M, K], { dtype: 'float64' });
    const b = tg.randn([K, N], { dtype: 'float64' });
    const got = tg.matmul(a, b).dataSync();
    const jobs = (pool?.jobsPosted ?? 0) - before;
    tg.setBackend('js');
    const want = tg.matmul(a, b).dataSync();
    let maxError = 0;
    for (let i = 0; i < want.length; i++) maxError = Math.max(maxError, Math.abs(got[i] - want[i]));
    const report: WorkerReport = { isolated: crossOriginIsolated, blocking: mayBlock(), threads: tg.getNumThreads(), workers: pool?.size ?? 0, jobs, maxError };
    scope.postMessage(report);
  } catch (e) {
    scope.postMessage({ error: String(e) });
  }
};
