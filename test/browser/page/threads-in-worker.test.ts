// Runs in Chromium only (the `chromium` project, cross-origin isolated): the library inside
// a dedicated worker of the page, as the demo uses it, starts its own matmul workers and
// waits for them in Atomics.wait (threads-worker.ts).
import { describe, expect, it } from 'vitest';
import type { WorkerReport } from './threads-worker.js';

describe('wasm matmul threads from inside a web worker', () => {
  it('a large float64 product in a worker runs on 2 more workers and agrees with js', async () => {
    const worker = new Worker(new URL('./threads-worker.ts', import.meta.url), { type: 'module' });
    try {
      const report = await new Promise<WorkerReport>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<WorkerReport>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage('go');
      });
      expect(report.error).toBeUndefined();
      expect(report.isolated).toBe(true);
      expect(report.blocking).toBe(true);
      expect(report.threads).toBe(3);
      expect(report.workers).toBe(2);
      expect(report.jobs).toBe(2);
      expect(report.maxError).toBeLessThan(1e-12);
    } finally {
      worker.terminate();
    }
  });
});
