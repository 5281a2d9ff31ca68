import { isFloat } from '../core/dtype.js';
import { ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { noGrad } from '../autodiff/grad-mode.js';
import { currentBackend } from '../backend/index.js';
import { Tensor } from '../tensor/tensor.js';

/** Anything with trainable parameters, such as an `nn.Module`. */
export interface HasParameters {
  parameters(): Tensor[];
}

/** What an optimizer takes: a module, or the tensors to update. */
export type ParamsOrModule = HasParameters | Iterable<Tensor>;

/** Checks a hyper-parameter: a finite number, at least `min`, below `below` if given. */
export function checkHyper(op: string, name: string, value: unknown, min: number, below?: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (below !== undefined && value >= below)) {
    const range = below === undefined ? `>= ${min}` : `in [${min}, ${below})`;
    throw new ValueError(op, `${name} must be a finite number ${range}, got ${String(value)}`);
  }
  return value;
}

/**
 * Base of the optimizers: collects the parameters (from a module, as the project brief's
 * Optimizer does, or from a list), clears their gradients and applies an update rule.
 * Updates run under `noGrad` and replace each parameter's values with `assign_`, so that
 * results computed earlier keep theirs.
 */
export abstract class Optimizer {
  /** The tensors this optimizer updates. */
  readonly params: readonly Tensor[];
  private lrValue: number;

  constructor(paramsOrModule: ParamsOrModule, lr: number) {
    const op = this.constructor.name;
    this.params = collectParams(op, paramsOrModule);
    this.lrValue = checkHyper(op, 'lr', lr, 0);
  }

  /** The learning rate; settable (learning-rate schedules set it each epoch). */
  get lr(): number {
    return this.lrValue;
  }

  set lr(value: number) {
    this.lrValue = checkHyper(`${this.constructor.name}.lr`, 'lr', value, 0);
  }

  /** Forgets the accumulated gradients (sets every parameter's `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** Alias of `zeroGrad`, the project brief's (and PyTorch's) spelling. */
  zero_grad(): void {
    this.zeroGrad();
  }

  /** One update of every parameter that has a gradient; parameters whose `.grad` is null are skipped. */
  step(): void {
    // An optimizer that names its state lets the backend free the step's temporaries at
    // once (see Backend.beginTemporaries): all but the new parameter values and that state.
    const backend = this.stateTensors() === null ? null : currentBackend();
    backend?.beginTemporaries?.();
    try {
      this.updateAll();
    } finally {
      backend?.endTemporaries?.([...this.params, ...(this.stateTensors() ?? [])].map((t) => t.storage));
    }
  }

  /**
   * The tensors this optimizer keeps from one step to the next (momentum buffers, moment
   * estimates), or null when it does not list them: then the temporaries of `step` are left
   * to the garbage collector. A subclass that returns a list must list all of them.
   */
  protected stateTensors(): Tensor[] | null {
    return null;
  }

  private updateAll(): void {
    noGrad(() => {
      this.params.forEach((p, i) => {
        if (p.grad === null) return;
        if (p.grad.dtype !== p.dtype || !shapesEqual(p.grad.shape, p.shape)) {
          throw new ValueError(
            `${this.constructor.name}.step`,
            `parameter ${i} (${p.dtype} ${fmtShape(p.shape)}) has a gradient of ${p.grad.dtype} ${fmtShape(p.grad.shape)}`,
          );
        }
        p.assign_(this.update(p, p.grad.detach(), i));
      });
      this.afterStep();
    });
  }

  /** The new value of parameter `index` given its gradient (runs under noGrad). */
  protected abstract update(param: Tensor, grad: Tensor, index: number): Tensor;

  /** Called once after every step (step counters). */
  protected afterStep(): void {}
}

function collectParams(op: string, source: ParamsOrModule): Tensor[] {
  let list: unknown[];
  if (source !== null && typeof source === 'object' && typeof (source as HasParameters).parameters === 'function') {
    list = (source as HasParameters).parameters();
  } else if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
    list = [...(source as Iterable<unknown>)];
  } else {
    throw new ValueError(op, `expected a module or a list of parameter tensors, got ${source === null ? 'null' : typeof source}`);
  }
  if (list.length === 0) throw new ValueError(op, 'got no parameters to optimize');
  const seen = new Set<Tensor>();
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new ValueError(op, `parameter ${i} is not a Tensor`);
    if (!isFloat(p.dtype)) throw new ValueError(op, `parameter ${i} (${fmtShape(p.shape)}) is ${p.dtype}; only float tensors can be optimized`);
    if (!p.requiresGrad || !p.isLeaf) {
      throw new ValueError(op, `parameter ${i} (${fmtShape(p.shape)}) must be a leaf tensor with requiresGrad = true`);
    }
    if (seen.has(p)) throw new ValueError(op, `parameter ${i} (${fmtShape(p.shape)}) appears more than once`);
    seen.add(p);
  });
  return list as Tensor[];
}
