import { sharedMemoryWasm, singleMemoryWasm } from './generated/kernels.js';

/** The functions the AssemblyScript module in assembly/ exports (pointers are byte offsets). */
export interface KernelExports {
  heapBase(): number;
  matmulScratchBytes(): number;
  matmulF32(a: number, b: number, c: number, M: number, N: number, K: number, rsA: number, csA: number, rsB: number, csB: number, m0: number, m1: number, scratch: number): void;
  matmulF64(a: number, b: number, c: number, M: number, N: number, K: number, rsA: number, csA: number, rsB: number, csB: number, m0: number, m1: number, scratch: number): void;
  gemvF32(a: number, rs: number, cs: number, x: number, xs: number, y: number, rows: number, cols: number): void;
  gemvF64(a: number, rs: number, cs: number, x: number, xs: number, y: number, rows: number, cols: number): void;
  unaryF32(op: number, x: number, out: number, n: number): void;
  unaryF64(op: number, x: number, out: number, n: number): void;
  binaryF32(op: number, a: number, b: number, out: number, rows: number, cols: number, aRow: number, aCol: number, bRow: number, bCol: number, p0: number, p1: number): void;
  binaryF64(op: number, a: number, b: number, out: number, rows: number, cols: number, aRow: number, aCol: number, bRow: number, bCol: number, p0: number, p1: number): void;
  reduceF32(kind: number, x: number, out: number, outer: number, n: number, inner: number, acc: number): void;
  reduceF64(kind: number, x: number, out: number, outer: number, n: number, inner: number, acc: number): void;
  copy32(src: number, dst: number, ndim: number, args: number): void;
  copy64(src: number, dst: number, ndim: number, args: number): void;
}

/** WebAssembly pages are 64 KiB. */
export const PAGE_BYTES = 65536;
/** The largest memory wasm32 can address: 4 GiB. */
export const MAX_PAGES = 65536;

/** The compiled bytes for an ordinary or a shared memory. */
export function kernelBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const b64 = shared ? sharedMemoryWasm : singleMemoryWasm;
  // atob exists in browsers and in Node >= 16
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Whether this environment can create shared WebAssembly memories (Node; isolated pages). */
export function canShareMemory(): boolean {
  try {
    if (typeof SharedArrayBuffer === 'undefined') return false;
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** A fresh memory of `pages` pages, shared if asked (shared memories must declare a maximum). */
export function newMemory(pages: number, shared: boolean): WebAssembly.Memory {
  return shared ? new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: pages });
}

/** The compiled module (workers instantiate it again on the same memory) and its exports. */
export interface Kernels {
  readonly module: WebAssembly.Module;
  readonly exports: KernelExports;
}

/** Compiles and instantiates synchronously (fine in Node and in workers; see `instantiateAsync`). */
export function instantiateSync(memory: WebAssembly.Memory, shared: boolean): Kernels {
  const module = new WebAssembly.Module(kernelBytes(shared));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  return { module, exports };
}

/** Compiles and instantiates without blocking (what browsers require on their main thread). */
export async function instantiateAsync(memory: WebAssembly.Memory, shared: boolean): Promise<Kernels> {
  const module = await WebAssembly.compile(kernelBytes(shared));
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return { module, exports: instance.exports as unknown as KernelExports };
}
