import { normalizeAxis } from '../core/shape.js';
import { ValueError } from '../core/errors.js';
import { relu } from '../ops/relu.js';
import { sigmoid } from '../ops/sigmoid.js';
import { logSoftmax, softmax } from '../ops/softmax.js';
import { tanh } from '../ops/tanh.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/** max(x, 0) elementwise, as a module for `Sequential`. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** 1 / (1 + e^-x) elementwise, as a module. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** tanh(x) elementwise, as a module. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

function checkAxis(op: string, axis: unknown): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ValueError(op, `axis must be an integer, got ${String(axis)}`);
  return axis;
}

/** softmax along `axis` (default last): probabilities that sum to 1 over that axis. */
export class Softmax extends Module {
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = checkAxis('Softmax', axis);
  }
  forward(x: Tensor): Tensor {
    normalizeAxis('Softmax', this.axis, x.ndim);
    return softmax(x, this.axis);
  }
  protected override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/** log softmax along `axis` (default last), computed stably; pairs with an NLL-type loss. */
export class LogSoftmax extends Module {
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = checkAxis('LogSoftmax', axis);
  }
  forward(x: Tensor): Tensor {
    normalizeAxis('LogSoftmax', this.axis, x.ndim);
    return logSoftmax(x, this.axis);
  }
  protected override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}
