import { index } from '../ops/indexing.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkBatchSize, checkXY } from './rows.js';

/**
 * The project brief's DataSet: mini-batches `[xBatch, yBatch]` of `batchSize` examples, in
 * order, the last one shorter when the examples do not divide evenly. Iterate it once per
 * epoch (`for (const [xb, yb] of data)`); `length` is the number of batches.
 */
export class DataSet implements Iterable<[Tensor, Tensor]> {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly batchSize: number;

  constructor(x: Tensor, y: Tensor, batchSize = 28) {
    checkXY('DataSet', x, y);
    this.x = x;
    this.y = y;
    this.batchSize = checkBatchSize('DataSet', batchSize);
  }

  /** Number of examples. */
  get size(): number {
    return this.x.shape[0];
  }

  /** Number of batches per epoch. */
  get length(): number {
    return Math.ceil(this.size / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<[Tensor, Tensor]> {
    for (let start = 0; start < this.size; start += this.batchSize) {
      const range = { start, stop: Math.min(start + this.batchSize, this.size) };
      yield [index(this.x.detach(), range), index(this.y.detach(), range)];
    }
  }
}
