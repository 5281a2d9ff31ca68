import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

/**
 * Worker threads that run the matmul kernel on the heap's shared memory, so that one large
 * product is split over the cores: each worker takes a band of rows, the calling thread
 * takes the first band and then waits for the others (Atomics on a control block in the
 * same memory, no messages per call).
 *
 * In Node the workers are node:worker_threads, reached through `process.getBuiltinModule`
 * (Node >= 20.16) so that browser bundles never see them; they start synchronously and are
 * unref'd, so an idle pool never keeps a process alive. In a cross-origin-isolated page
 * they are web workers, which only start once their creator yields to the event loop, so
 * they are started asynchronously (threads-browser.ts). Where the calling thread may not
 * block (a page's main thread), it spins on the control block instead of `Atomics.wait`.
 */

/** Int32 slots of one worker's control block (one 128-byte block per worker). */
const SEQ = 0; // jobs posted so far
const DONE = 1; // jobs finished so far
const READY = 2; // 1 once the worker has instantiated the module
const FAILED = 3; // 1 if the last job threw
const OP = 4; // which kernel
const ARGS = 5; // its arguments
const BLOCK_INTS = 32;

export const OP_MATMUL_F32 = 1;
export const OP_MATMUL_F64 = 2;
/** Not a kernel: the worker acknowledges and leaves its loop, never to touch the memory again. */
const OP_STOP = 3;
/** How long `stop` waits for the workers to acknowledge before it abandons their blocks. */
const STOP_TIMEOUT_MS = 2000;

/**
 * The workers' loop (plain JavaScript, the same in Node and in browsers): instantiates the
 * kernels on the shared memory, marks the control block READY, calls `started()`, then
 * serves jobs, blocking in `Atomics.wait` between them (workers may block), until a STOP
 * job, which it acknowledges before it returns.
 */
export const SERVE_SOURCE = `
function serve(module, memory, control, started) {
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(memory.buffer, control, ${BLOCK_INTS});
  Atomics.store(c, ${READY}, 1);
  Atomics.notify(c, ${READY});
  started();
  let seen = 0;
  for (;;) {
    Atomics.wait(c, ${SEQ}, seen);
    const seq = Atomics.load(c, ${SEQ});
    if (seq === seen) continue;
    seen = seq;
    if (c[${OP}] === ${OP_STOP}) {
      Atomics.store(c, ${DONE}, seq);
      Atomics.notify(c, ${DONE});
      return;
    }
    const a = ${ARGS};
    try {
      const gemm = c[${OP}] === ${OP_MATMUL_F32} ? k.matmulF32 : k.matmulF64;
      gemm(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], c[a + 10], c[a + 11], c[a + 12]);
      c[${FAILED}] = 0;
    } catch (e) {
      c[${FAILED}] = 1;
    }
    Atomics.store(c, ${DONE}, seq);
    Atomics.notify(c, ${DONE});
  }
}
`;

/** The Node worker's program (evaluated by node:worker_threads). */
const NODE_WORKER_SOURCE = `${SERVE_SOURCE}
const { workerData } = process.getBuiltinModule('node:worker_threads');
serve(workerData.module, workerData.memory, workerData.control, () => {});
// serve returned (STOP): nothing is left to run, so the worker ends
`;

interface NodeBuiltins {
  worker_threads?: typeof WorkerThreads;
  os?: typeof Os;
}

function nodeBuiltin<K extends keyof NodeBuiltins>(name: K): NodeBuiltins[K] | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.(`node:${name}`) as NodeBuiltins[K] | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether this is a browser context (page or worker) that allows web workers on shared
 * memory: cross-origin isolated, with `Worker`, `SharedArrayBuffer` and Blob URLs.
 */
export function webThreadsAllowed(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; URL?: { createObjectURL?: unknown } };
  return (
    g.crossOriginIsolated === true &&
    typeof g.Worker === 'function' &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Blob === 'function' &&
    typeof g.URL?.createObjectURL === 'function'
  );
}

/** Whether worker threads start synchronously here (Node), so a kernel call may start them. */
export function threadsStartSynchronously(): boolean {
  return nodeBuiltin('worker_threads') !== undefined;
}

/** How many threads the machine offers (1 where threads are not available). */
export function hardwareThreads(): number {
  if (threadsStartSynchronously()) return nodeBuiltin('os')?.availableParallelism?.() ?? 1;
  if (!webThreadsAllowed()) return 1;
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof cores === 'number' && cores >= 1 ? Math.floor(cores) : 1;
}

/** Whether this thread may block in `Atomics.wait` (a browser's main thread may not). */
export function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signature shared by matmulF32 and matmulF64. */
export type GemmFn = (
  a: number, b: number, c: number, M: number, N: number, K: number,
  rsA: number, csA: number, rsB: number, csB: number, m0: number, m1: number, scratch: number,
) => void;

/** A worker of either kind, as far as the pool needs it. */
export interface ThreadHandle {
  terminate(): unknown;
}

/** The heap blocks a pool works in: control blocks, one per worker, and their packing scratch. */
export class ThreadSpace {
  private constructor(
    readonly blocks: number,
    readonly control: Int32Array,
    readonly scratch: number[],
  ) {}

  /** Allocates (and zeroes) the control blocks and scratch of `count` workers. */
  static allocate(heap: WasmHeap, count: number, scratchBytes: number): ThreadSpace {
    const blocks = heap.allocBlock(count * BLOCK_INTS * 4);
    const scratch = Array.from({ length: count }, () => heap.allocBlock(scratchBytes));
    const control = new Int32Array(heap.memory.buffer, blocks, count * BLOCK_INTS);
    control.fill(0);
    return new ThreadSpace(blocks, control, scratch);
  }

  /** Byte offset of worker `w`'s control block. */
  controlAt(w: number): number {
    return this.blocks + w * BLOCK_INTS * 4;
  }

  /** Whether worker `w` has marked its block READY. */
  isReady(w: number): boolean {
    return Atomics.load(this.control, w * BLOCK_INTS + READY) === 1;
  }

  /** Posts a STOP job to every worker (one that starts later leaves as soon as it serves). */
  postStop(): void {
    const ctl = this.control;
    for (let base = 0; base < ctl.length; base += BLOCK_INTS) {
      ctl[base + OP] = OP_STOP;
      Atomics.store(ctl, base + SEQ, ctl[base + SEQ] + 1);
      Atomics.notify(ctl, base + SEQ);
    }
  }

  /** Frees everything: only once no worker can touch it any more. */
  free(heap: WasmHeap): void {
    this.scratch.forEach((p) => heap.freeBlock(p));
    heap.freeBlock(this.blocks);
  }

  /**
   * Gives up on `workers` that did not start or did not acknowledge a stop: tells them to
   * stop, terminates them, frees the scratch (only jobs touch it) and keeps the control
   * blocks, where a worker that still runs might write (a few hundred bytes, once).
   */
  abandon(heap: WasmHeap, workers: ThreadHandle[]): void {
    this.postStop();
    for (const worker of workers) void worker.terminate();
    this.scratch.forEach((p) => heap.freeBlock(p));
  }
}

export class KernelThreads {
  private jobs = 0;

  /**
   * A pool over workers that all run `serve` on their block of `space` and reported READY
   * (use `start`, or `startWebThreads` in threads-browser.ts).
   *
   * @param canBlock whether the calling thread may wait in `Atomics.wait` (else it spins)
   */
  constructor(
    private readonly workers: ThreadHandle[],
    private readonly space: ThreadSpace,
    private readonly canBlock: boolean,
  ) {}

  /** Number of worker threads (the calling thread works too). */
  get size(): number {
    return this.workers.length;
  }

  /** Jobs (row bands) handed to the workers so far (for tests and diagnostics). */
  get jobsPosted(): number {
    return this.jobs;
  }

  /**
   * Starts `count` Node workers on the heap's (shared) memory and waits until they are
   * ready, or returns null where they are not available or do not start.
   */
  static start(heap: WasmHeap, module: WebAssembly.Module, count: number, scratchBytes: number): KernelThreads | null {
    const wt = nodeBuiltin('worker_threads');
    if (!wt || count < 1 || !(heap.memory.buffer instanceof SharedArrayBuffer)) return null;
    const space = ThreadSpace.allocate(heap, count, scratchBytes);
    const workers: ThreadHandle[] = [];
    try {
      for (let w = 0; w < count; w++) {
        const worker = new wt.Worker(NODE_WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory: heap.memory, control: space.controlAt(w) },
        });
        worker.unref();
        workers.push(worker);
      }
      for (let w = 0; w < count; w++) {
        if (Atomics.wait(space.control, w * BLOCK_INTS + READY, 0, 10_000) === 'timed-out') throw new Error('a worker did not start');
      }
    } catch {
      space.abandon(heap, workers);
      return null;
    }
    return new KernelThreads(workers, space, true);
  }

  /**
   * C = A·B over rows [0, M), split into bands of whole register tiles: band 0 on the
   * calling thread (`gemm` with `scratch`), the others on the workers. Same arguments as the
   * kernels' (see assembly/matmul.ts).
   */
  matmul(op: number, gemm: GemmFn, a: number, b: number, c: number, M: number, N: number, K: number, rsA: number, csA: number, rsB: number, csB: number, scratch: number): void {
    const ctl = this.space.control;
    const band = Math.ceil(M / (this.workers.length + 1) / 4) * 4;
    let posted = 0;
    for (let w = 0; w < this.workers.length; w++) {
      const m0 = (w + 1) * band;
      const m1 = Math.min(M, m0 + band);
      if (m0 >= m1) break;
      const base = w * BLOCK_INTS;
      ctl[base + OP] = op;
      const args = [a, b, c, M, N, K, rsA, csA, rsB, csB, m0, m1, this.space.scratch[w]];
      for (let i = 0; i < args.length; i++) ctl[base + ARGS + i] = args[i];
      Atomics.store(ctl, base + SEQ, ctl[base + SEQ] + 1);
      Atomics.notify(ctl, base + SEQ);
      posted++;
    }
    this.jobs += posted;
    gemm(a, b, c, M, N, K, rsA, csA, rsB, csB, 0, Math.min(M, band), scratch);
    let failed = false;
    for (let w = 0; w < posted; w++) {
      const base = w * BLOCK_INTS;
      this.waitFor(base + DONE, ctl[base + SEQ]);
      failed ||= ctl[base + FAILED] !== 0;
    }
    if (failed) throw new Error('wasm backend: a matmul kernel failed in a worker thread');
  }

  /**
   * Waits until control slot `slot` holds `value`, in `Atomics.wait` if allowed, else
   * spinning; false if `timeoutMs` passed first.
   */
  private waitFor(slot: number, value: number, timeoutMs = Infinity): boolean {
    const ctl = this.space.control;
    const deadline = Date.now() + timeoutMs;
    let now: number;
    if (this.canBlock) {
      while ((now = Atomics.load(ctl, slot)) !== value) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        Atomics.wait(ctl, slot, now, Math.min(1000, left));
      }
    } else {
      // a page's main thread may not block; the workers' bands are as long as this one's
      for (let spins = 1; Atomics.load(ctl, slot) !== value; spins++) {
        if (timeoutMs !== Infinity && spins % 1024 === 0 && Date.now() > deadline) return false;
      }
    }
    return true;
  }

  /**
   * Stops the workers and frees their memory (the heap stays usable). Each worker is told
   * to leave its loop and acknowledges first: `terminate()` takes effect only later, and a
   * worker still waiting on a block that was freed and reused could wake up and run a job
   * meant for another. If one does not answer in time, its blocks are abandoned instead.
   */
  stop(heap: WasmHeap): void {
    const ctl = this.space.control;
    this.space.postStop();
    let acknowledged = true;
    for (let w = 0; w < this.workers.length; w++) {
      const base = w * BLOCK_INTS;
      acknowledged = this.waitFor(base + DONE, ctl[base + SEQ], STOP_TIMEOUT_MS) && acknowledged;
    }
    if (!acknowledged) {
      this.space.abandon(heap, this.workers);
      return;
    }
    for (const worker of this.workers) void worker.terminate();
    this.space.free(heap);
  }
}
