import { ValueError } from '../core/errors.js';
import { Generator, globalGenerator } from '../core/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBatchSize, checkXY, permutation, takeRows } from './rows.js';

export interface DataLoaderOptions {
  /** Examples per batch (default 32). */
  batchSize?: number;
  /** Draw a new order of the examples at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Seed of a private generator for the shuffling (the same seed gives the same epochs). */
  seed?: number;
  /** Shuffle with this generator instead (default: the global one, see `tg.manualSeed`). */
  generator?: Generator;
  /** Skip the last batch when it would be shorter than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Mini-batches `[xBatch, yBatch]`, optionally reshuffled every epoch. Each iteration over
 * the loader is one epoch; with a seed, the sequence of epochs is reproducible.
 */
export class DataLoader implements Iterable<[Tensor, Tensor]> {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly generator: Generator;

  constructor(x: Tensor, y: Tensor, options: DataLoaderOptions = {}) {
    checkXY('DataLoader', x, y);
    const { batchSize = 32, shuffle = false, seed, generator, dropLast = false } = options;
    if (seed !== undefined && generator !== undefined) throw new ValueError('DataLoader', 'pass either seed or generator, not both');
    if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
      throw new ValueError('DataLoader', `seed must be a finite number, got ${String(seed)}`);
    }
    this.x = x;
    this.y = y;
    this.batchSize = checkBatchSize('DataLoader', batchSize);
    if (dropLast && this.batchSize > x.shape[0]) {
      throw new ValueError('DataLoader', `batchSize ${this.batchSize} exceeds the ${x.shape[0]} examples and dropLast is set: every batch would be dropped`);
    }
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator ?? (seed !== undefined ? new Generator(seed) : globalGenerator);
  }

  /** Number of examples. */
  get size(): number {
    return this.x.shape[0];
  }

  /** Number of batches per epoch. */
  get length(): number {
    return this.dropLast ? Math.floor(this.size / this.batchSize) : Math.ceil(this.size / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    const n = this.size;
    const order = this.shuffle ? permutation(n, this.generator) : Int32Array.from({ length: n }, (_, i) => i);
    const end = this.length * this.batchSize;
    for (let start = 0; start < Math.min(end, n); start += this.batchSize) {
      const idx = order.subarray(start, Math.min(start + this.batchSize, n));
      yield [takeRows(this.x, idx), takeRows(this.y, idx)];
    }
  }
}
