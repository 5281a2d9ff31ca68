/**
 * A general-purpose allocator for the byte range [base, memory end) of a WebAssembly memory,
 * with its bookkeeping kept on the JavaScript side.
 *
 * - Blocks are 16-byte aligned (SIMD loads), 16 bytes at least.
 * - Free blocks sit in size-class bins: exact classes of 16 bytes up to 1 KiB, then four
 *   classes per power of two. A bitmap of non-empty bins finds a large-enough class in a
 *   few steps; the block found is split when the rest is worth keeping.
 * - Freed blocks merge with free neighbours, and a free block that reaches the top of the
 *   heap is handed back to it, so alternating sizes do not fragment memory for good.
 * - Above the top, memory is taken by bumping; when the memory is too small, `grow` is
 *   asked for more (and the caller must refresh its views of the buffer afterwards).
 * - Optionally (`cacheBytes`), freed blocks of up to CACHE_MAX_BLOCK bytes wait in a stack
 *   per exact size, unmerged, for the next request of that size: a training loop frees and
 *   asks for the same few sizes over and over, and a stack pop costs a fraction of the
 *   bins and merging. The cache is bounded, and emptied into the bins before a request
 *   would have to grow the memory or fail.
 */
export interface AllocatorStats {
  /** Bytes from the heap's base to its top (everything ever in use, freed or not). */
  readonly heapBytes: number;
  /** Bytes in live blocks. */
  readonly liveBytes: number;
  /** Bytes in free blocks below the top. */
  readonly freeBytes: number;
  readonly liveBlocks: number;
  readonly freeBlocks: number;
}

const ALIGN = 16;
/** A split leaves a free block only if it is at least this large. */
const MIN_SPLIT = 64;
const SMALL_LIMIT = 1024;
const SMALL_BINS = SMALL_LIMIT / ALIGN; // bins 0..63 hold sizes 16..1024 exactly (bin = size/16 - 1)
const BIN_COUNT = SMALL_BINS + 4 * 24; // four bins per power of two from 2^10 to 2^34
/** How many blocks of a mixed-size bin to try before moving on to a larger bin. */
const BIN_PROBES = 8;
/** Largest block the size cache keeps. */
export const CACHE_MAX_BLOCK = 1 << 20;

/** The bin of a free block of `size` bytes (sizes in a bin grow with the bin index). */
function binOf(size: number): number {
  if (size <= SMALL_LIMIT) return size / ALIGN - 1;
  const e = 31 - Math.clz32(size); // 2^e <= size < 2^(e+1), e >= 10
  const sub = Math.floor(size / 2 ** (e - 2)) & 3;
  return Math.min(BIN_COUNT - 1, SMALL_BINS + (e - 10) * 4 + sub);
}

export class Allocator {
  private top: number;
  private readonly live = new Map<number, number>(); // start -> size
  private readonly freeStart = new Map<number, number>(); // start -> size
  private readonly freeEnd = new Map<number, number>(); // end -> start
  private readonly bins: Set<number>[] = Array.from({ length: BIN_COUNT }, () => new Set<number>());
  private readonly nonEmpty = new Uint32Array(Math.ceil(BIN_COUNT / 32));
  private liveBytes = 0;
  private freeBytes = 0;
  /** Freed blocks by exact size, waiting for a request of that size (see `cacheBytes`). */
  private readonly cache = new Map<number, number[]>();
  private cachedBytes = 0;
  private cachedBlocks = 0;

  /**
   * @param base first usable byte (rounded up to the alignment)
   * @param memoryBytes current size of the memory in bytes
   * @param grow makes the memory at least `bytes` long; returns false if it cannot
   * @param cacheBytes how many bytes of freed blocks the size cache may hold (0: no cache)
   */
  constructor(
    private readonly base: number,
    private readonly memoryBytes: () => number,
    private readonly grow: (bytes: number) => boolean,
    private readonly cacheBytes = 0,
  ) {
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.top = this.base;
  }

  /**
   * Start of a block of at least `bytes` bytes, or -1 when that would need the memory to be
   * larger than `limit` bytes (or larger than it can grow).
   */
  alloc(bytes: number, limit = Infinity): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    const stack = this.cachedBlocks > 0 ? this.cache.get(size) : undefined;
    if (stack !== undefined && stack.length > 0) {
      const start = stack.pop()!;
      this.cachedBytes -= size;
      this.cachedBlocks--;
      this.freeBytes -= size;
      this.live.set(start, size);
      this.liveBytes += size;
      return start;
    }
    let start = this.takeFree(size);
    let granted = this.granted;
    if (start < 0) {
      const end = this.top + size;
      if (end > limit || (end > this.memoryBytes() && !this.grow(end))) {
        // the cached blocks may merge into room for this request
        if (this.cachedBlocks === 0) return -1;
        this.flushCache();
        return this.alloc(bytes, limit);
      }
      start = this.top;
      this.top = end;
      granted = size;
    }
    this.live.set(start, granted);
    this.liveBytes += granted;
    return start;
  }

  /** Returns a block to the allocator. Freeing anything else is an error. */
  free(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) throw new Error(`wasm allocator: free(${start}) of a block that is not allocated`);
    this.live.delete(start);
    this.liveBytes -= size;
    if (size <= CACHE_MAX_BLOCK && this.cachedBytes + size <= this.cacheBytes) {
      let stack = this.cache.get(size);
      if (stack === undefined) this.cache.set(size, (stack = []));
      stack.push(start);
      this.cachedBytes += size;
      this.cachedBlocks++;
      this.freeBytes += size;
      return;
    }
    this.release(start, size);
  }

  /** Moves every cached block to the bins (merging it with its free neighbours). */
  flushCache(): void {
    for (const [size, stack] of this.cache) {
      for (const start of stack) {
        this.freeBytes -= size;
        this.release(start, size);
      }
      stack.length = 0;
    }
    this.cachedBytes = 0;
    this.cachedBlocks = 0;
  }

  /** Returns a block that is no longer live to the bins or to the top. */
  private release(start: number, size: number): void {
    // merge with the free neighbours on either side
    const before = this.freeEnd.get(start);
    if (before !== undefined) {
      const beforeSize = this.freeStart.get(before)!;
      this.removeFree(before, beforeSize);
      start = before;
      size += beforeSize;
    }
    const afterSize = this.freeStart.get(start + size);
    if (afterSize !== undefined) {
      this.removeFree(start + size, afterSize);
      size += afterSize;
    }
    if (start + size === this.top) this.top = start;
    else this.addFree(start, size);
  }

  /** Size in bytes of a live block (its request rounded up). */
  sizeOf(start: number): number | undefined {
    return this.live.get(start);
  }

  stats(): AllocatorStats {
    return {
      heapBytes: this.top - this.base,
      liveBytes: this.liveBytes,
      freeBytes: this.freeBytes,
      liveBlocks: this.live.size,
      freeBlocks: this.freeStart.size + this.cachedBlocks,
    };
  }

  private takeFree(size: number): number {
    let bin = binOf(size);
    // the own bin may hold smaller blocks: try a few of them
    if (this.bins[bin].size > 0) {
      let probes = 0;
      for (const start of this.bins[bin]) {
        const blockSize = this.freeStart.get(start)!;
        if (blockSize >= size) return this.use(start, blockSize, size);
        if (++probes >= BIN_PROBES) break;
      }
    }
    // every block in a larger bin is large enough
    bin = this.nextNonEmpty(bin + 1);
    if (bin < 0) return -1;
    const start = this.bins[bin].values().next().value as number;
    return this.use(start, this.freeStart.get(start)!, size);
  }

  /** Takes a free block for a request of `size` bytes, splitting off the rest when worth it. */
  private use(start: number, blockSize: number, size: number): number {
    this.removeFree(start, blockSize);
    if (blockSize - size >= MIN_SPLIT) {
      this.addFree(start + size, blockSize - size);
      this.granted = size;
    } else {
      this.granted = blockSize;
    }
    return start;
  }

  /** Size of the block `use` handed out last (the request, or the whole block when unsplit). */
  private granted = 0;

  private addFree(start: number, size: number): void {
    this.freeStart.set(start, size);
    this.freeEnd.set(start + size, start);
    const bin = binOf(size);
    this.bins[bin].add(start);
    this.nonEmpty[bin >>> 5] |= 1 << (bin & 31);
    this.freeBytes += size;
  }

  private removeFree(start: number, size: number): void {
    this.freeStart.delete(start);
    this.freeEnd.delete(start + size);
    const bin = binOf(size);
    const set = this.bins[bin];
    set.delete(start);
    if (set.size === 0) this.nonEmpty[bin >>> 5] &= ~(1 << (bin & 31));
    this.freeBytes -= size;
  }

  /** The first non-empty bin at or after `from`, or -1. */
  private nextNonEmpty(from: number): number {
    for (let word = from >>> 5; word < this.nonEmpty.length; word++) {
      let bits = this.nonEmpty[word];
      if (word === from >>> 5) bits &= ~0 << (from & 31);
      if (bits !== 0) return word * 32 + (31 - Math.clz32(bits & -bits));
    }
    return -1;
  }
}
