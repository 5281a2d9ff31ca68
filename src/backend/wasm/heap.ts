import type { DType, TypedArray } from '../../core/dtype.js';
import { dtypeOfArray, itemSize, typedArrayFor } from '../../core/dtype.js';
import { Allocator, type AllocatorStats } from './allocator.js';
import { PAGE_BYTES, MAX_PAGES, type KernelExports } from './module.js';

/**
 * A tensor's data on the wasm backend. Normally a block of the module's linear memory
 * (`ptr` >= 0), returned to the allocator when the storage object is garbage-collected.
 * When the heap is at its size limit the data lives in an ordinary typed array (`host`)
 * instead and is copied in for each kernel: slower, but a long synchronous loop, during
 * which the garbage collector's finalizers cannot run, does not exhaust memory.
 */
export class WasmStorage {
  /**
   * Set on a storage that is the matrix transpose (last two axes swapped) of another and
   * not yet copied: matmul reads the source with a transpose flag instead, anything else
   * makes the copy first (see WasmBackend.transpose).
   */
  transposeOf: { readonly source: WasmStorage; readonly sourceShape: readonly number[] } | null = null;
  /**
   * Set on a view: a storage over part of another's block (a contiguous slice), which owns
   * the block and is kept alive by this reference. A view is never freed itself.
   */
  viewOf: WasmStorage | null = null;
  /** Outlives any temporaries scope it was created in (see WasmHeap.persist). */
  persistent = false;
  /** Its block was returned by WasmHeap.endTemporaries: any further use is a bug. */
  released = false;

  constructor(
    /** Byte offset in the linear memory; while a kernel runs, also set on host storages. */
    public ptr: number,
    readonly length: number,
    readonly dtype: DType,
    /** The data when it lives outside the heap (set once, or by `settle`). */
    public host: TypedArray | null,
  ) {}
}

export interface HeapStats extends AllocatorStats {
  /** Size of the linear memory in bytes. */
  readonly memoryBytes: number;
  /** Tensors whose data lives outside the heap because it was full. */
  readonly hostStorages: number;
}

/** Bytes of freed blocks the allocator keeps by size for quick reuse (see Allocator). */
const FREED_BLOCK_CACHE_BYTES = 64 * 1024 * 1024;

/** Unfreed tensor bytes per garbage-collector pressure signal (see WasmHeap.signalPressure). */
const PRESSURE_STEP = 8 * 1024 * 1024;

/** Default size limit of the heap for tensor data (temporaries may exceed it). */
export const DEFAULT_HEAP_LIMIT = 1024 * 1024 * 1024;

/**
 * The linear memory of the wasm backend: allocation, typed-array views that follow the
 * memory when it grows, and freeing through a FinalizationRegistry, so that users never
 * dispose of tensors.
 */
export class WasmHeap {
  private readonly allocator: Allocator;
  private buffer: ArrayBufferLike;
  /** Size of the memory in bytes (it only grows, through growTo). */
  private bytes: number;
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  private readonly registry = new FinalizationRegistry<number>((ptr) => {
    this.unreclaimed -= this.allocator.sizeOf(ptr) ?? 0;
    this.allocator.free(ptr);
    this.isFull = false;
  });
  /** Bytes of tensor blocks allocated and not yet freed, beyond what pressure was signalled for. */
  private unreclaimed = 0;
  /**
   * Set when a tensor did not fit under the limit, cleared when a block is freed. While set,
   * new tensors go straight to the host without searching the heap, and the backend runs the
   * js kernels on them: a long synchronous loop, whose garbage cannot be finalized until it
   * yields, then continues at the js backend's speed instead of copying through temporaries.
   */
  private isFull = false;

  get full(): boolean {
    return this.isFull;
  }

  /** A block under the limit, or -1 (and the heap counts as full) when there is none. */
  private tensorBlock(bytes: number): number {
    if (this.isFull) return -1;
    const ptr = this.allocator.alloc(bytes, this.limit);
    if (ptr < 0) this.isFull = true;
    else if ((this.unreclaimed += bytes) > PRESSURE_STEP) this.signalPressure();
    return ptr;
  }
  /**
   * Tells the JavaScript engine's garbage collector about memory it cannot see. Tensor data
   * lives in the wasm memory and a storage object is small, so the collector would let
   * dead storages pile up (and their blocks stay allocated) for hundreds of megabytes,
   * until some unrelated full collection runs their finalizers: memory grows, and every
   * new block touches fresh pages. An ArrayBuffer's size counts as external memory, which
   * the collector does weigh; a dropped buffer of PRESSURE_STEP bytes per PRESSURE_STEP
   * bytes of blocks still allocated makes it collect at its usual external-memory limit,
   * and run the finalizers that free the blocks. (The buffer is never written, so its pages
   * are never touched.) Measured on the brief's 20 epochs: median 10.0 to 10.5 ms with it,
   * 11.4 to 11.9 without (4 MB or 16 MB steps: the same as 8); a buffer that stayed alive
   * with the storages instead (so that the collector saw exactly the unfreed blocks) made
   * full collections so frequent that the median rose to 17 ms.
   */
  private signalPressure(): void {
    this.unreclaimed -= PRESSURE_STEP;
    void new ArrayBuffer(PRESSURE_STEP);
  }

  /** Blocks to free when the current kernel is done. */
  private readonly temps: number[] = [];
  /** Host storages being written by the current kernel, at temporary blocks. */
  private readonly pending: WasmStorage[] = [];
  private hostCount = 0;
  private readonly hostTracker = new FinalizationRegistry<null>(() => this.hostCount--);

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly kernels: KernelExports,
    /** Tensor data beyond this many bytes of memory goes to host storage. */
    public limit = DEFAULT_HEAP_LIMIT,
  ) {
    this.buffer = memory.buffer;
    this.bytes = this.buffer.byteLength;
    this.setViews();
    this.allocator = new Allocator(
      Math.max(kernels.heapBase(), 1024),
      () => this.bytes,
      (bytes) => this.growTo(bytes),
      FREED_BLOCK_CACHE_BYTES,
    );
  }

  /**
   * Makes sure `f32`, `f64` and `i32` cover the whole memory. They are re-created when the
   * memory grows (an ordinary memory's old buffer is detached then, a shared one's is too
   * short); this check is only a length comparison.
   */
  refreshViews(): void {
    if (this.f64.byteLength !== this.bytes) this.setViews();
  }

  private setViews(): void {
    const buf = this.memory.buffer;
    this.buffer = buf;
    this.bytes = buf.byteLength;
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    this.i32 = new Int32Array(buf);
  }

  private growTo(bytes: number): boolean {
    const have = this.bytes / PAGE_BYTES;
    const need = Math.ceil(bytes / PAGE_BYTES);
    if (need > MAX_PAGES) return false;
    // grow by at least a quarter, so that a growing workload needs few steps
    const pages = Math.min(MAX_PAGES, Math.max(need, Math.ceil(have * 1.25)));
    try {
      this.memory.grow(pages - have);
    } catch {
      try {
        this.memory.grow(need - have);
      } catch {
        return false;
      }
    }
    this.setViews();
    return true;
  }

  /** Allocates a block that the caller frees itself (scratch space); throws when out of memory. */
  allocBlock(bytes: number): number {
    const ptr = this.allocator.alloc(bytes);
    if (ptr < 0) throw new RangeError(`wasm backend: out of memory allocating ${bytes} bytes (${this.describe()})`);
    return ptr;
  }

  freeBlock(ptr: number): void {
    this.allocator.free(ptr);
  }

  /** A block for one kernel call, freed by `done()`. */
  temp(bytes: number): number {
    const ptr = this.allocBlock(bytes);
    this.temps.push(ptr);
    return ptr;
  }

  /** A storage without data yet: the transpose of `source` (of `sourceShape`), copied on first use. */
  lazyTranspose(source: WasmStorage, sourceShape: readonly number[]): WasmStorage {
    const s = new WasmStorage(-1, source.length, source.dtype, null);
    s.transposeOf = { source, sourceShape };
    this.track(s);
    return s;
  }

  /** Gives a lazy storage the data made for it in `filled` (a fresh storage nothing else holds). */
  settle(lazy: WasmStorage, filled: WasmStorage): void {
    lazy.transposeOf = null;
    lazy.ptr = filled.ptr;
    lazy.host = filled.host;
    // the block (or host array) now belongs to `lazy`: `filled` must not release it when collected
    if (filled.host === null) {
      this.registry.unregister(filled);
      this.registry.register(lazy, lazy.ptr, lazy);
    } else {
      this.hostTracker.unregister(filled);
      this.hostTracker.register(lazy, null, lazy);
    }
    // `filled` is an empty shell now: a temporaries scope must not free the block through it
    filled.ptr = -1;
    filled.host = null;
    filled.persistent = true;
  }

  /** A storage over `length` values of `owner`'s block from element `start` on (no copy). */
  viewInto(owner: WasmStorage, start: number, length: number): WasmStorage {
    const root = owner.viewOf ?? owner;
    const s = new WasmStorage(owner.ptr + start * itemSize(owner.dtype), length, owner.dtype, null);
    s.viewOf = root;
    this.track(s);
    return s;
  }

  /** Storage for JavaScript to fill (through `view`): on the heap if it fits, else on the host. */
  create(length: number, dtype: DType): WasmStorage {
    const ptr = this.tensorBlock(length * itemSize(dtype));
    if (ptr >= 0) {
      const s = new WasmStorage(ptr, length, dtype, null);
      this.registry.register(s, ptr, s);
      this.track(s);
      this.refreshViews();
      return s;
    }
    return this.hostStorage(typedArrayFor(dtype, length));
  }

  /** Storage holding `values` (a host storage adopts the array itself: pass a fresh one). */
  adopt(values: TypedArray, dtype: DType): WasmStorage {
    const ptr = this.tensorBlock(values.length * itemSize(dtype));
    if (ptr < 0) return this.hostStorage(values);
    const s = new WasmStorage(ptr, values.length, dtype, null);
    this.registry.register(s, ptr, s);
    this.track(s);
    this.refreshViews();
    this.view(s).set(values);
    return s;
  }

  /**
   * Storage for a kernel to write: `ptr` is valid until `done()`. When the heap is full the
   * kernel writes a temporary block that `done()` copies to the host.
   */
  output(length: number, dtype: DType): WasmStorage {
    const bytes = length * itemSize(dtype);
    const ptr = this.tensorBlock(bytes);
    if (ptr >= 0) {
      const s = new WasmStorage(ptr, length, dtype, null);
      this.registry.register(s, ptr, s);
      this.track(s);
      return s;
    }
    const s = this.hostStorage(typedArrayFor(dtype, length));
    s.ptr = this.temp(bytes);
    this.pending.push(s);
    return s;
  }

  /** Byte offset at which a kernel can read `s` until `done()`. */
  input(s: WasmStorage): number {
    if (s.host === null) return s.ptr;
    if (s.ptr >= 0) return s.ptr; // written by this same kernel call
    const ptr = this.temp(s.host.byteLength);
    this.refreshViews();
    this.viewAt(ptr, s.length, s.dtype).set(s.host);
    return ptr;
  }

  /** Ends a kernel call: copies host outputs out of their temporary blocks, frees temporaries. */
  done(): void {
    this.refreshViews();
    for (const s of this.pending) {
      s.host!.set(this.viewAt(s.ptr, s.length, s.dtype));
      s.ptr = -1;
    }
    this.pending.length = 0;
    for (const ptr of this.temps) this.allocator.free(ptr);
    this.temps.length = 0;
  }

  /**
   * A typed array over the storage's values: the heap's memory itself (valid until the next
   * allocation, which may grow the memory) or the host array.
   */
  view(s: WasmStorage): TypedArray {
    if (s.host !== null && s.ptr < 0) return s.host;
    return this.viewAt(s.ptr, s.length, s.dtype);
  }

  viewAt(ptr: number, length: number, dtype: DType): TypedArray {
    const buf = this.buffer;
    if (dtype === 'float64') return new Float64Array(buf, ptr, length);
    if (dtype === 'float32') return new Float32Array(buf, ptr, length);
    return new Int32Array(buf, ptr, length);
  }

  /** Storages created since each open beginTemporaries, innermost last. */
  private readonly scopes: WasmStorage[][] = [];

  private track(s: WasmStorage): void {
    if (this.scopes.length > 0) this.scopes[this.scopes.length - 1].push(s);
  }

  /**
   * Starts recording the storages created from now on, so that `endTemporaries` can free
   * them at once instead of when the garbage collector gets to them (which, for small
   * storage objects holding large blocks, can take hundreds of megabytes; see
   * signalPressure). Scopes nest.
   */
  beginTemporaries(): void {
    this.scopes.push([]);
  }

  /**
   * Frees the blocks of the storages created since the matching `beginTemporaries`, except
   * `keep` (and the sources of kept pending transposes) and persistent ones, which pass to
   * the enclosing scope if there is one. The caller guarantees that nothing else can reach
   * the others; a released storage that is used anyway fails loudly (see `released`).
   */
  endTemporaries(keep: Iterable<WasmStorage>): void {
    const list = this.scopes.pop();
    if (list === undefined) throw new Error('wasm heap: endTemporaries without beginTemporaries');
    const kept = new Set<WasmStorage>();
    for (const k of keep) {
      for (let s: WasmStorage | undefined = k; s !== undefined && !kept.has(s); s = s.viewOf ?? s.transposeOf?.source) kept.add(s);
    }
    const outer = this.scopes[this.scopes.length - 1];
    for (const s of list) {
      if (kept.has(s) || s.persistent) outer?.push(s);
      else this.release(s);
    }
  }

  /** Takes a storage out of the open temporaries scopes (a cache that outlives them). */
  persist(s: WasmStorage): void {
    s.persistent = true;
  }

  private release(s: WasmStorage): void {
    if (s.released) return;
    if (s.host === null && s.ptr >= 0 && s.viewOf === null) {
      this.registry.unregister(s);
      this.unreclaimed -= this.allocator.sizeOf(s.ptr) ?? 0;
      this.allocator.free(s.ptr);
      this.isFull = false;
    }
    s.ptr = -1;
    s.host = null;
    s.transposeOf = null;
    s.released = true;
  }

  stats(): HeapStats {
    return { ...this.allocator.stats(), memoryBytes: this.bytes, hostStorages: this.hostCount };
  }

  /** Storage over an array that stays where it is (for data of another backend, read-only here). */
  wrapHost(values: TypedArray): WasmStorage {
    return new WasmStorage(-1, values.length, dtypeOfArray(values), values);
  }

  private hostStorage(values: TypedArray): WasmStorage {
    const s = this.wrapHost(values);
    this.hostCount++;
    this.hostTracker.register(s, null, s);
    return s;
  }

  private describe(): string {
    const st = this.stats();
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    return `memory ${mb(st.memoryBytes)}, live ${mb(st.liveBytes)} in ${st.liveBlocks} blocks, free ${mb(st.freeBytes)}`;
  }
}
