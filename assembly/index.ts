// Entry point of the WebAssembly kernels: re-exports every kernel the TypeScript side calls.
// All kernels work on memory the caller allocated; none allocates.

/** First byte past the module's own static data: the caller's heap starts here. */
export function heapBase(): usize {
  return __heap_base;
}

export { matmulF32, matmulF64, matmulScratchBytes } from './matmul';
export { unaryF32, unaryF64 } from './unary';
export { binaryF32, binaryF64 } from './binary';
export { reduceF32, reduceF64 } from './reduce';
export { copy32, copy64 } from './copy';
export { gemvF32, gemvF64 } from './gemv';
