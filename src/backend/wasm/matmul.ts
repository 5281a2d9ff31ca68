import { itemSize, type DType } from '../../core/dtype.js';
import { matmulDims, sizeOf, type Shape } from '../../core/shape.js';
import type { WasmHeap, WasmStorage } from './heap.js';
import { forEachOuter, stridesFor, type Folded } from './layout.js';
import { KernelThreads, OP_MATMUL_F32, OP_MATMUL_F64, hardwareThreads, threadsStartSynchronously } from './threads.js';
import { startWebThreads } from './threads-browser.js';

/** Products with fewer multiply-adds than this stay on one thread (waking workers costs ~10 µs). */
const PARALLEL_MIN_MACS = 1 << 20;

/** Each heap's matmul, so that `startThreads(heap)` (what `tg.ready()` calls) reaches it. */
const matmulOfHeap = new WeakMap<WasmHeap, WasmMatmul>();

/**
 * Starts the worker threads of the backend on `heap` where they must start asynchronously
 * (browsers) and resolves once they run or could not start; does nothing elsewhere (Node
 * starts them on the first large product).
 */
export function startThreads(heap: WasmHeap): Promise<void> {
  return matmulOfHeap.get(heap)?.startThreads() ?? Promise.resolve();
}

/**
 * The wasm backend's float matmul: batches (broadcast, or stacked into one tall product
 * when B is shared), the blocked SIMD kernel, the matrix-vector kernel when one side is a
 * single row or column, and worker threads for large products. Owns the packing scratch
 * and the thread pool.
 */
export class WasmMatmul {
  private scratchBlock = -1;
  private threadCount: number;
  private threads: KernelThreads | null = null;
  private threadsFailed = false;
  /** A pool being started asynchronously (browsers), until it runs or fails. */
  private starting: Promise<void> | null = null;

  /**
   * @param heap the memory and the kernels
   * @param module the compiled kernels, for worker threads to instantiate (null: no threads)
   */
  constructor(
    private readonly heap: WasmHeap,
    private readonly module: WebAssembly.Module | null,
  ) {
    this.threadCount = module ? hardwareThreads() : 1;
    matmulOfHeap.set(heap, this);
  }

  /**
   * Threads a large product may use, the calling one included: the setting, or 1 where
   * worker threads are not available (no shared memory) or failed to start.
   */
  get numThreads(): number {
    return this.module === null || this.threadsFailed ? 1 : this.threadCount;
  }

  setNumThreads(n: number): void {
    this.threadCount = Math.max(1, Math.floor(n));
    this.threadsFailed = false;
  }

  /** The worker threads, once a large product has started them. */
  get workerThreads(): KernelThreads | null {
    return this.threads;
  }

  /**
   * Batched A·B of float operands of `dtype` (shapes of the stored operands; the flags read
   * their last two axes swapped), as the Backend interface's matmul.
   */
  run(a: WasmStorage, aShape: Shape, b: WasmStorage, bShape: Shape, transA: boolean, transB: boolean, dtype: DType): WasmStorage {
    const { M, K, N, aBatch, bBatch, batchShape, batches } = matmulDims(aShape, bShape, transA, transB);
    const h = this.heap;
    const out = h.output(batches * M * N, dtype);
    if (batches * M * N > 0) {
      const pa = h.input(a);
      const pb = h.input(b);
      const size = itemSize(dtype);
      const f32 = dtype === 'float32';
      const rsA = transA ? 1 : K;
      const csA = transA ? M : 1;
      const rsB = transB ? 1 : N;
      const csB = transB ? K : 1;
      if (sizeOf(bBatch) === 1 && !transA) {
        // one B for every batch: the batches of A stack into one tall matrix
        this.gemm(f32, pa, pb, out.ptr, batches * M, N, K, rsA, csA, rsB, csB);
      } else {
        const folded: Folded = { shape: batchShape, strides: [stridesFor(aBatch, batchShape), stridesFor(bBatch, batchShape)] };
        let t = 0;
        forEachOuter(folded, 0, ([oa, ob]) => {
          const c = out.ptr + t++ * M * N * size;
          this.gemm(f32, pa + oa * M * K * size, pb + ob * K * N * size, c, M, N, K, rsA, csA, rsB, csB);
        });
      }
    }
    h.done();
    return out;
  }

  /** One product C = A·B (see assembly/matmul.ts), on worker threads too when it is large. */
  private gemm(f32: boolean, a: number, b: number, c: number, M: number, N: number, K: number, rsA: number, csA: number, rsB: number, csB: number): void {
    const kernels = this.heap.kernels;
    // a single column or row on one side: a matrix-vector product
    if (N === 1 || M === 1) {
      const gemv = f32 ? kernels.gemvF32 : kernels.gemvF64;
      if (N === 1) gemv(a, rsA, csA, b, rsB, c, M, K);
      else gemv(b, csB, rsB, a, csA, c, N, K);
      return;
    }
    const gemm = f32 ? kernels.matmulF32 : kernels.matmulF64;
    const scratch = this.scratch();
    if (this.threadCount > 1 && M >= 16 && M * N * K >= PARALLEL_MIN_MACS) {
      const pool = this.pool();
      if (pool) {
        pool.matmul(f32 ? OP_MATMUL_F32 : OP_MATMUL_F64, gemm, a, b, c, M, N, K, rsA, csA, rsB, csB, scratch);
        return;
      }
    }
    gemm(a, b, c, M, N, K, rsA, csA, rsB, csB, 0, M, scratch);
  }

  /**
   * The worker threads for the current setting, started on first need; null when
   * unavailable, or while they are still starting (browsers: see `startThreads`).
   */
  private pool(): KernelThreads | null {
    const want = this.threadCount - 1;
    if (this.threads && this.threads.size === want) return this.threads;
    if (this.threads) {
      this.threads.stop(this.heap);
      this.threads = null;
    }
    if (this.module === null || this.threadsFailed) return null;
    if (!threadsStartSynchronously()) {
      void this.startThreads();
      return null;
    }
    this.threads = KernelThreads.start(this.heap, this.module, want, this.heap.kernels.matmulScratchBytes());
    this.threadsFailed = this.threads === null;
    return this.threads;
  }

  /**
   * Starts the worker threads for the current setting without blocking, where they can
   * only start so (web workers start once their creator yields to the event loop); resolves
   * once they run or could not start. Large products use one thread meanwhile. Nothing to
   * do where threads start synchronously (Node) or are off.
   */
  startThreads(): Promise<void> {
    if (this.starting) return this.starting;
    const want = this.threadCount - 1;
    if (this.threads && this.threads.size === want) return Promise.resolve();
    if (this.threads) {
      this.threads.stop(this.heap);
      this.threads = null;
    }
    const module = this.module;
    if (want < 1 || module === null || this.threadsFailed || threadsStartSynchronously()) return Promise.resolve();
    this.starting = startWebThreads(this.heap, module, want, this.heap.kernels.matmulScratchBytes()).then((pool) => {
      this.starting = null;
      this.threads = pool;
      this.threadsFailed = pool === null;
      // the setting changed meanwhile: start the pool it asks for
      if (pool && pool.size !== this.threadCount - 1) return this.startThreads();
    });
    return this.starting;
  }

  /** The blocked kernel's packing space, allocated on first use and kept. */
  private scratch(): number {
    if (this.scratchBlock < 0) this.scratchBlock = this.heap.allocBlock(this.heap.kernels.matmulScratchBytes());
    return this.scratchBlock;
  }
}
