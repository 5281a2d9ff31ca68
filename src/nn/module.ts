import { ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { noGrad } from '../autodiff/grad-mode.js';
import { Tensor } from '../tensor/tensor.js';

/** What `stateDict()` returns and `loadStateDict()` takes: dotted name -> tensor. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require exactly the model's keys, no missing and no unexpected ones (default true). */
  strict?: boolean;
}

/** Keys that `loadStateDict` skipped (only ever non-empty with `strict: false`). */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

type Slot = { kind: 'module'; value: Module } | { kind: 'tensor'; value: Tensor };

/**
 * The base class of every layer and model. Subclasses store their parameters and
 * sub-modules as ordinary properties and implement `forward`; the base finds them itself:
 *
 * - an own enumerable property holding a Tensor with `requiresGrad` is a parameter;
 *   a Tensor without it (a frozen weight, a running statistic) is a buffer;
 * - a property holding a Module, or an array of Modules / Tensors (to any nesting), is a
 *   child; array entries are named by position (`hidLayers.0.bias`).
 *
 * Names follow property order. A module or tensor reachable twice is reported once, under
 * the first name found.
 *
 * `train()` and `eval()` switch the `training` flag of the whole tree. As in the project
 * brief, they also switch gradient tracking: in eval mode `forward` runs under `noGrad`,
 * so its results carry no graph and no Jacobians.
 */
export abstract class Module {
  /** True after `train()` (the default), false after `eval()`. */
  training = true;

  constructor() {
    // `forward` is wrapped on the instance so that every subclass's forward honours eval
    // mode without having to remember to. Non-enumerable: it is not a parameter or child.
    const forward = this.forward;
    Object.defineProperty(this, 'forward', {
      enumerable: false,
      configurable: true,
      writable: true,
      value: (...inputs: Tensor[]): Tensor => (this.training ? forward.apply(this, inputs) : noGrad(() => forward.apply(this, inputs))),
    });
  }

  /** The computation of this module. Runs under `noGrad` in eval mode. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /** Own slots in property order: sub-modules and tensors, with array entries flattened. */
  private ownSlots(): [string, Slot][] {
    const out: [string, Slot][] = [];
    const visit = (name: string, value: unknown): void => {
      if (value instanceof Tensor) out.push([name, { kind: 'tensor', value }]);
      else if (value instanceof Module) out.push([name, { kind: 'module', value }]);
      else if (Array.isArray(value)) value.forEach((v, i) => visit(`${name}.${i}`, v));
    };
    for (const key of Object.keys(this)) visit(key, (this as Record<string, unknown>)[key]);
    return out;
  }

  /** Direct sub-modules with their names (`inLayer`, `hidLayers.0`, ...). */
  namedChildren(): [string, Module][] {
    return this.ownSlots().flatMap(([n, s]) => (s.kind === 'module' ? [[n, s.value] as [string, Module]] : []));
  }

  /** Direct sub-modules, in property order. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (name `''`) and every module below it, depth first, with dotted names. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (prefix: string, m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [n, child] of m.namedChildren()) walk(prefix ? `${prefix}.${n}` : n, child);
    };
    walk('', this);
    return out;
  }

  /** Every tensor of the tree (parameters and buffers), with dotted names, each once. */
  private namedTensors(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [n, s] of m.ownSlots()) {
        if (s.kind !== 'tensor' || seen.has(s.value)) continue;
        seen.add(s.value);
        out.push([prefix ? `${prefix}.${n}` : n, s.value]);
      }
    }
    return out;
  }

  /** Trainable tensors (`requiresGrad`) with dotted names, e.g. `['inLayer.weight', W]`. */
  namedParameters(): [string, Tensor][] {
    return this.namedTensors().filter(([, t]) => t.requiresGrad);
  }

  /** Trainable tensors of the whole tree, in property order; what an optimizer updates. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Tensors of the tree that do not require gradients (frozen weights, statistics). */
  namedBuffers(): [string, Tensor][] {
    return this.namedTensors().filter(([, t]) => !t.requiresGrad);
  }

  /** Number of trainable scalars (the sum of the parameters' sizes). */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets the training flag of this module and all below it; `train(false)` is `eval()`. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: forward runs without tracking, Dropout is the identity. */
  eval(): this {
    return this.train(false);
  }

  /** Forgets the accumulated gradients of every parameter (sets `.grad` to null). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Every parameter and buffer by dotted name. The tensors are detached snapshots that
   * share the current values; later training does not change them.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [n, t] of this.namedTensors()) out[n] = t.detach();
    return out;
  }

  /**
   * Replaces the values of parameters and buffers by name. Every key, shape and dtype is
   * checked first; if any is wrong nothing is changed and the error names the key. With
   * `strict: false`, missing and unexpected keys are skipped and reported instead.
   */
  loadStateDict(dict: StateDict | ReadonlyMap<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const op = `${this.constructor.name}.loadStateDict`;
    const { strict = true } = options;
    if (dict === null || typeof dict !== 'object') throw new ValueError(op, `expected an object of name -> Tensor, got ${dict === null ? 'null' : typeof dict}`);
    const entries = new Map<string, unknown>(dict instanceof Map ? [...dict.entries()] : Object.entries(dict));
    const own = new Map(this.namedTensors());
    const missingKeys = [...own.keys()].filter((k) => !entries.has(k));
    const unexpectedKeys = [...entries.keys()].filter((k) => !own.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
      throw new ValueError(op, `${parts.join('; ')} (expected exactly: ${[...own.keys()].join(', ')}); nothing was loaded`);
    }
    const updates: [Tensor, Tensor][] = [];
    for (const [key, target] of own) {
      if (!entries.has(key)) continue;
      const value = entries.get(key);
      if (!(value instanceof Tensor)) {
        throw new ValueError(op, `'${key}' must be a Tensor, got ${value === null ? 'null' : typeof value}; nothing was loaded`);
      }
      if (!shapesEqual(value.shape, target.shape)) {
        throw new ValueError(op, `'${key}' has shape ${fmtShape(value.shape)} but the model's is ${fmtShape(target.shape)}; nothing was loaded`);
      }
      if (value.dtype !== target.dtype) {
        throw new ValueError(op, `'${key}' is ${value.dtype} but the model's is ${target.dtype}; nothing was loaded`);
      }
      updates.push([target, value]);
    }
    for (const [target, value] of updates) target.assign_(value.detach());
    return { missingKeys, unexpectedKeys };
  }

  /** One-line description of this module's own settings, shown by `toString()`. */
  protected extraRepr(): string {
    return '';
  }

  /** The module tree, one child per line, as PyTorch prints a model. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([n, m]) => `  (${n}): ${m.toString().split('\n').join('\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }

  /**
   * A table of the parameters (name, shape, dtype, count) and the total, for printing.
   */
  summary(): string {
    const rows = this.namedParameters().map(([n, p]) => [n, fmtShape(p.shape), p.dtype, p.size.toLocaleString('en-US')]);
    const header = ['parameter', 'shape', 'dtype', 'count'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
    const rule = '-'.repeat(fmt(header).length);
    return [
      this.constructor.name,
      fmt(header),
      rule,
      ...rows.map(fmt),
      rule,
      `total trainable parameters: ${this.parameterCount().toLocaleString('en-US')}`,
    ].join('\n');
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
