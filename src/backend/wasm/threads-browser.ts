import type { WasmHeap } from './heap.js';
import { KernelThreads, SERVE_SOURCE, ThreadSpace, mayBlock, webThreadsAllowed, type ThreadHandle } from './threads.js';

/**
 * Web workers for the matmul kernel, in a cross-origin-isolated page (or a worker of one):
 * classic scripts from a Blob URL (no file for bundlers to find), each sent the compiled
 * module and the shared memory in one message and answering once it runs `serve`.
 *
 * A web worker only starts after its creator yields to the event loop, so the pool is
 * started asynchronously and used only once every worker has reported in. Workers die with
 * the page; nothing lingers.
 */

/** The web worker's program: waits for its one message, then serves jobs until told to stop. */
const WEB_WORKER_SOURCE = `${SERVE_SOURCE}
self.onmessage = (e) => {
  self.onmessage = null;
  const { module, memory, control } = e.data;
  serve(module, memory, control, () => self.postMessage('ready'));
  self.close();
};
`;

/** How long a worker may take to start before the pool gives up (and products use one thread). */
const START_TIMEOUT_MS = 15_000;

/** Resolves when `worker` says it is ready; rejects on its error or after the timeout. */
function reported(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('a worker did not start')), START_TIMEOUT_MS);
    worker.onmessage = (e: MessageEvent) => {
      if (e.data !== 'ready') return;
      clearTimeout(timer);
      resolve();
    };
    worker.onerror = (e: ErrorEvent) => {
      clearTimeout(timer);
      reject(new Error(e.message || 'a worker failed to start'));
    };
  });
}

/**
 * Starts `count` web workers on the heap's shared memory and resolves once all of them run
 * the kernels; resolves null where that is not possible (no cross-origin isolation, no
 * shared memory, workers refused, failing or too slow to start).
 */
export async function startWebThreads(heap: WasmHeap, module: WebAssembly.Module, count: number, scratchBytes: number): Promise<KernelThreads | null> {
  if (count < 1 || !webThreadsAllowed() || !(heap.memory.buffer instanceof SharedArrayBuffer)) return null;
  const space = ThreadSpace.allocate(heap, count, scratchBytes);
  const workers: ThreadHandle[] = [];
  let url = '';
  try {
    url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
    const started: Promise<void>[] = [];
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url, { name: `tensorgrad matmul ${w + 1}` });
      workers.push(worker);
      started.push(reported(worker));
      worker.postMessage({ module, memory: heap.memory, control: space.controlAt(w) });
    }
    await Promise.all(started);
    for (let w = 0; w < count; w++) if (!space.isReady(w)) throw new Error('a worker did not start');
  } catch {
    space.abandon(heap, workers);
    return null;
  } finally {
    if (url) URL.revokeObjectURL(url);
  }
  return new KernelThreads(workers, space, mayBlock());
}
