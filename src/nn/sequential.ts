import { ValueError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';

/**
 * Modules applied one after another: `new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 3))`.
 * The children are named by position, so parameter names are `0.weight`, `2.bias`, ...
 * (the names PyTorch's `nn.Sequential` gives).
 */
export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ValueError('Sequential', `argument ${i} must be a Module, got ${m === null ? 'null' : typeof m}`);
      this[i] = m;
    });
  }

  /** Number of modules. */
  get length(): number {
    return this.children().length;
  }

  /** The module at position `i` (negative counts from the end). */
  at(i: number): Module {
    const list = this.children();
    const m = list.at(i);
    if (m === undefined) throw new ValueError('Sequential.at', `index ${i} is out of range for ${list.length} modules`);
    return m;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.children()) y = m.forward(y);
    return y;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}
