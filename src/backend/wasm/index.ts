import { WasmBackend } from './wasm-backend.js';
import { WasmHeap } from './heap.js';
import { canShareMemory, instantiateAsync, instantiateSync, newMemory } from './module.js';

export { WasmBackend } from './wasm-backend.js';
export { WasmHeap, WasmStorage, type HeapStats } from './heap.js';

export interface WasmBackendOptions {
  /** Use a shared memory (needed for threads). Default: whenever the environment allows it. */
  shared?: boolean;
  /** Pages (64 KiB) the memory starts with. Default 16 (1 MiB); it grows as needed. */
  initialPages?: number;
  /** Bytes of memory beyond which tensor data is kept in ordinary arrays instead. */
  heapLimit?: number;
  /** Threads a large matmul may use (default: the machine's cores, where workers exist). */
  threads?: number;
}

function withThreads(backend: WasmBackend, opts: WasmBackendOptions): WasmBackend {
  if (opts.threads !== undefined) backend.setNumThreads(opts.threads);
  return backend;
}

function settings(opts: WasmBackendOptions): { shared: boolean; pages: number } {
  return { shared: opts.shared ?? canShareMemory(), pages: opts.initialPages ?? 16 };
}

/**
 * Creates a wasm backend, compiling the kernels synchronously. Works in Node and in
 * workers; a browser's main thread may refuse to compile synchronously (use
 * `createWasmBackendAsync` there).
 */
export function createWasmBackend(opts: WasmBackendOptions = {}): WasmBackend {
  const { shared, pages } = settings(opts);
  const memory = newMemory(pages, shared);
  const { module, exports } = instantiateSync(memory, shared);
  return withThreads(new WasmBackend(new WasmHeap(memory, exports, opts.heapLimit), shared ? module : null), opts);
}

/** Creates a wasm backend, compiling the kernels without blocking. */
export async function createWasmBackendAsync(opts: WasmBackendOptions = {}): Promise<WasmBackend> {
  const { shared, pages } = settings(opts);
  const memory = newMemory(pages, shared);
  const { module, exports } = await instantiateAsync(memory, shared);
  return withThreads(new WasmBackend(new WasmHeap(memory, exports, opts.heapLimit), shared ? module : null), opts);
}
