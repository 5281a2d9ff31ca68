import type * as Os from 'node:os';
import type * as WorkerThreads from 'node:worker_threads';
import type { Worker as NodeWorker } from 'node:worker_threads';
import type { WasmHeap } from './heap.js';

/**
 * Worker threads that run the matmul kernel on the heap's shared memory, so that one large
 * product is split over the cores: each worker takes a band of rows, the calling thread
 * takes the first band and then waits for the others (Atomics on a control block in the
 * same memory, no messages per call).
 *
 * Node only, for now: the workers are node:worker_threads, reached through
 * `process.getBuiltinModule` (Node >= 20.16) so that browser bundles never see them, and
 * the calling thread blocks in `Atomics.wait`, which a browser's main thread may not do.
 * Workers are unref'd: an idle pool never keeps a process alive.
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

/** The worker's program (plain JavaScript, evaluated by node:worker_threads). */
const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule('node:worker_threads');
const { module, memory, control } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const c = new Int32Array(memory.buffer, control, ${BLOCK_INTS});
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let seen = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seen);
  const seq = Atomics.load(c, ${SEQ});
  if (seq === seen) continue;
  seen = seq;
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

/** How many threads the machine offers (1 where threads are not available). */
export function hardwareThreads(): number {
  if (!nodeBuiltin('worker_threads')) return 1;
  return nodeBuiltin('os')?.availableParallelism?.() ?? 1;
}

/** Signature shared by matmulF32 and matmulF64. */
export type GemmFn = (
  a: number, b: number, c: number, M: number, N: number, K: number,
  rsA: number, csA: number, rsB: number, csB: number, m0: number, m1: number, scratch: number,
) => void;

export class KernelThreads {
  private constructor(
    private readonly workers: NodeWorker[],
    private readonly control: Int32Array,
    private readonly scratch: number[],
    private readonly blocks: number,
  ) {}

  /** Number of worker threads (the calling thread works too). */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Starts `count` workers on the heap's (shared) memory and waits until they are ready,
   * or returns null where workers are not available or do not start.
   */
  static start(heap: WasmHeap, module: WebAssembly.Module, count: number, scratchBytes: number): KernelThreads | null {
    const wt = nodeBuiltin('worker_threads');
    if (!wt || count < 1 || !(heap.memory.buffer instanceof SharedArrayBuffer)) return null;
    const blocks = heap.allocBlock(count * BLOCK_INTS * 4);
    const control = new Int32Array(heap.memory.buffer, blocks, count * BLOCK_INTS);
    control.fill(0);
    const scratch = Array.from({ length: count }, () => heap.allocBlock(scratchBytes));
    const workers: NodeWorker[] = [];
    try {
      for (let w = 0; w < count; w++) {
        const worker = new wt.Worker(WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory: heap.memory, control: blocks + w * BLOCK_INTS * 4 },
        });
        worker.unref();
        workers.push(worker);
      }
      for (let w = 0; w < count; w++) {
        if (Atomics.wait(control, w * BLOCK_INTS + READY, 0, 10_000) === 'timed-out') throw new Error('a worker did not start');
      }
    } catch {
      for (const worker of workers) void worker.terminate();
      scratch.forEach((p) => heap.freeBlock(p));
      heap.freeBlock(blocks);
      return null;
    }
    return new KernelThreads(workers, control, scratch, blocks);
  }

  /**
   * C = A·B over rows [0, M), split into bands of whole register tiles: band 0 on the
   * calling thread (`gemm` with `scratch`), the others on the workers. Same arguments as the
   * kernels' (see assembly/matmul.ts).
   */
  matmul(op: number, gemm: GemmFn, a: number, b: number, c: number, M: number, N: number, K: number, rsA: number, csA: number, rsB: number, csB: number, scratch: number): void {
    const ctl = this.control;
    const band = Math.ceil(M / (this.workers.length + 1) / 4) * 4;
    let posted = 0;
    for (let w = 0; w < this.workers.length; w++) {
      const m0 = (w + 1) * band;
      const m1 = Math.min(M, m0 + band);
      if (m0 >= m1) break;
      const base = w * BLOCK_INTS;
      ctl[base + OP] = op;
      const args = [a, b, c, M, N, K, rsA, csA, rsB, csB, m0, m1, this.scratch[w]];
      for (let i = 0; i < args.length; i++) ctl[base + ARGS + i] = args[i];
      Atomics.store(ctl, base + SEQ, ctl[base + SEQ] + 1);
      Atomics.notify(ctl, base + SEQ);
      posted++;
    }
    gemm(a, b, c, M, N, K, rsA, csA, rsB, csB, 0, Math.min(M, band), scratch);
    let failed = false;
    for (let w = 0; w < posted; w++) {
      const base = w * BLOCK_INTS;
      const seq = ctl[base + SEQ];
      let done: number;
      while ((done = Atomics.load(ctl, base + DONE)) !== seq) Atomics.wait(ctl, base + DONE, done, 1000);
      failed ||= ctl[base + FAILED] !== 0;
    }
    if (failed) throw new Error('wasm backend: a matmul kernel failed in a worker thread');
  }

  /** Stops the workers and frees their memory (the heap stays usable). */
  stop(heap: WasmHeap): void {
    for (const worker of this.workers) void worker.terminate();
    this.scratch.forEach((p) => heap.freeBlock(p));
    heap.freeBlock(this.blocks);
  }
}
