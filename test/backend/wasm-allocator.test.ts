/**
 * The wasm heap's allocator on a simulated memory: alignment, reuse of freed blocks,
 * merging of free neighbours, returning the top to the heap, growth, the size limit, and a
 * random workload checked for overlaps and consistent bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { Allocator } from '../../src/backend/wasm/allocator.js';

const PAGE = 65536;

/** An allocator over a pretend memory of `pages` pages that grows in whole pages up to `maxPages`. */
function makeAllocator(pages = 1, maxPages = 1024, base = 1024, cacheBytes = 0) {
  const mem = { bytes: pages * PAGE, grows: 0 };
  const alloc = new Allocator(
    base,
    () => mem.bytes,
    (bytes) => {
      const want = Math.ceil(bytes / PAGE);
      if (want > maxPages) return false;
      mem.bytes = want * PAGE;
      mem.grows++;
      return true;
    },
    cacheBytes,
  );
  return { alloc, mem };
}

describe('wasm allocator', () => {
  it('hands out 16-byte aligned, non-overlapping blocks starting at the base', () => {
    const { alloc } = makeAllocator(1, 1024, 1000);
    const a = alloc.alloc(1);
    const b = alloc.alloc(17);
    const c = alloc.alloc(0);
    expect(a).toBe(1008);
    expect([a, b, c].every((p) => p % 16 === 0)).toBe(true);
    expect(b).toBeGreaterThanOrEqual(a + 16);
    expect(c).toBeGreaterThanOrEqual(b + 32);
    expect(alloc.sizeOf(b)).toBe(32);
    expect(alloc.stats()).toMatchObject({ liveBlocks: 3, liveBytes: 16 + 32 + 16 });
  });

  it('reuses a freed block for a request of the same size', () => {
    const { alloc } = makeAllocator();
    const a = alloc.alloc(4000);
    alloc.alloc(16); // keeps `a` from being the top
    alloc.free(a);
    expect(alloc.stats().freeBlocks).toBe(1);
    expect(alloc.alloc(4000)).toBe(a);
    expect(alloc.stats().freeBlocks).toBe(0);
  });

  it('splits a larger free block and keeps the rest', () => {
    const { alloc } = makeAllocator();
    const a = alloc.alloc(8192);
    alloc.alloc(16);
    alloc.free(a);
    const b = alloc.alloc(1024);
    expect(b).toBe(a);
    expect(alloc.stats()).toMatchObject({ freeBlocks: 1, freeBytes: 8192 - 1024 });
    expect(alloc.alloc(7168)).toBe(a + 1024);
  });

  it('merges free neighbours, so that a larger request fits in their space', () => {
    const { alloc } = makeAllocator();
    const blocks = [alloc.alloc(1024), alloc.alloc(1024), alloc.alloc(1024)];
    alloc.alloc(16);
    const heapBefore = alloc.stats().heapBytes;
    // free the outer ones first, then the middle: all three become one block
    alloc.free(blocks[0]);
    alloc.free(blocks[2]);
    alloc.free(blocks[1]);
    expect(alloc.stats()).toMatchObject({ freeBlocks: 1, freeBytes: 3072 });
    expect(alloc.alloc(3000)).toBe(blocks[0]);
    expect(alloc.stats().heapBytes).toBe(heapBefore);
  });

  it('returns a free block at the top to the heap', () => {
    const { alloc } = makeAllocator();
    alloc.alloc(100);
    const before = alloc.stats().heapBytes;
    const a = alloc.alloc(5000);
    const b = alloc.alloc(5000);
    alloc.free(a);
    alloc.free(b);
    expect(alloc.stats()).toMatchObject({ heapBytes: before, freeBlocks: 0, freeBytes: 0 });
  });

  it('grows the memory when the heap passes its end', () => {
    const { alloc, mem } = makeAllocator(1);
    const p = alloc.alloc(3 * PAGE);
    expect(p).toBeGreaterThan(0);
    expect(mem.bytes).toBeGreaterThanOrEqual(p + 3 * PAGE);
    expect(mem.grows).toBe(1);
  });

  it('returns -1 beyond the limit or when the memory cannot grow, and stays usable', () => {
    const { alloc } = makeAllocator(1, 4);
    expect(alloc.alloc(10 * PAGE)).toBe(-1);
    expect(alloc.alloc(PAGE, PAGE / 2)).toBe(-1);
    const p = alloc.alloc(PAGE);
    expect(p).toBeGreaterThan(0);
    expect(alloc.stats().liveBlocks).toBe(1);
  });

  it('refuses to free what it did not allocate', () => {
    const { alloc } = makeAllocator();
    const a = alloc.alloc(64);
    expect(() => alloc.free(a + 16)).toThrow(/not allocated/);
    alloc.free(a);
    expect(() => alloc.free(a)).toThrow(/not allocated/);
  });

  it.each([0, 256 * 1024])('keeps blocks disjoint and its counts right under a random workload (cache of %i bytes)', (cacheBytes) => {
    const { alloc } = makeAllocator(1, 4096, 1024, cacheBytes);
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const live = new Map<number, number>();
    for (let step = 0; step < 5000; step++) {
      if (live.size > 0 && rand() < 0.45) {
        const keys = [...live.keys()];
        const p = keys[Math.floor(rand() * keys.length)];
        alloc.free(p);
        live.delete(p);
      } else {
        // mostly small, sometimes large, often repeated sizes (as in a training loop)
        const size = rand() < 0.5 ? [64, 512, 4000, 51200][Math.floor(rand() * 4)] : Math.floor(rand() ** 3 * 200000);
        const p = alloc.alloc(size);
        expect(p % 16).toBe(0);
        live.set(p, alloc.sizeOf(p)!);
        expect(alloc.sizeOf(p)!).toBeGreaterThanOrEqual(size);
      }
    }
    const spans = [...live.entries()].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][0] + spans[i - 1][1]);
    const st = alloc.stats();
    expect(st.liveBlocks).toBe(live.size);
    expect(st.liveBytes).toBe(spans.reduce((s, [, n]) => s + n, 0));
    expect(st.liveBytes + st.freeBytes).toBe(st.heapBytes);
    // everything freed: the heap shrinks back to nothing
    for (const p of live.keys()) alloc.free(p);
    alloc.flushCache();
    expect(alloc.stats()).toMatchObject({ heapBytes: 0, liveBytes: 0, freeBytes: 0, freeBlocks: 0 });
  });

  it('with a size cache, hands a freed block straight back to the next request of its size', () => {
    const { alloc } = makeAllocator(1, 1024, 1024, 4096);
    const a = alloc.alloc(1000);
    const b = alloc.alloc(1000);
    const guard = alloc.alloc(16);
    alloc.free(a);
    alloc.free(b);
    // cached, not merged: two free blocks of 1008 bytes, still counted as free
    expect(alloc.stats()).toMatchObject({ freeBlocks: 2, freeBytes: 2016, liveBlocks: 1 });
    // last freed, first reused; a request of another size does not take them
    expect(alloc.alloc(1000)).toBe(b);
    const other = alloc.alloc(500);
    expect([a, b]).not.toContain(other);
    expect(alloc.alloc(1000)).toBe(a);
    expect(alloc.stats().liveBytes + alloc.stats().freeBytes).toBe(alloc.stats().heapBytes);
    alloc.free(guard);
  });

  it('keeps at most cacheBytes in the cache; the rest is merged as without it', () => {
    const { alloc } = makeAllocator(1, 1024, 1024, 2048);
    const blocks = [alloc.alloc(1024), alloc.alloc(1024), alloc.alloc(1024), alloc.alloc(1024)];
    const guard = alloc.alloc(16);
    for (const p of blocks) alloc.free(p);
    // two fit in the cache; the other two are adjacent and merge into one free block
    expect(alloc.stats()).toMatchObject({ freeBlocks: 3, freeBytes: 4096 });
    alloc.flushCache();
    expect(alloc.stats()).toMatchObject({ freeBlocks: 1, freeBytes: 4096 });
    alloc.free(guard);
    alloc.flushCache();
    expect(alloc.stats()).toMatchObject({ heapBytes: 0, freeBlocks: 0 });
  });

  it('empties the cache into merged free space when a request would otherwise fail', () => {
    // a memory of one page that cannot grow: four cached quarters are the only room for a half
    const { alloc } = makeAllocator(1, 1, 0, PAGE);
    const quarters = [0, 1, 2, 3].map(() => alloc.alloc(PAGE / 4));
    expect(alloc.alloc(16)).toBe(-1);
    for (const p of quarters) alloc.free(p);
    expect(alloc.stats().freeBlocks).toBe(4);
    const half = alloc.alloc(PAGE / 2);
    expect(half).toBeGreaterThanOrEqual(0);
    expect(alloc.stats()).toMatchObject({ liveBytes: PAGE / 2, freeBytes: 0 });
  });
});
