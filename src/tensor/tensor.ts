import { type DType, isFloat } from '../core/dtype.js';
import { GradError, ValueError, fmtShape } from '../core/errors.js';
import { sizeOf, type Shape } from '../core/shape.js';
import type { Backend, Storage } from '../backend/index.js';
import { formatTensor } from './format.js';

/**
 * What reverse mode records for a tensor computed by a tracked op: how to turn the
 * gradient of this result into gradients of the op's inputs.
 */
export interface GraphNode {
  /** Name of the op that produced the tensor. */
  readonly op: string;
  /** The op's inputs; emptied when the graph is freed after backward. */
  inputs: Tensor[];
  /** The inputs' versions when the op ran (to detect later in-place changes). */
  readonly versions: number[];
  /** Gradient of the output -> gradients of the inputs (null where an input needs none). */
  vjp: ((g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[]) | null;
}

/**
 * A forward-mode Jacobian the autodiff engine keeps factored instead of as a dense
 * `[directions, ...shape]` tensor (see autodiff/kronecker.ts); `dense()` builds that tensor.
 */
export interface StructuredTangent {
  /** Shape of the tensor whose Jacobian this is. */
  readonly shape: readonly number[];
  /** Number of directions (the leaf's size). */
  readonly directions: number;
  /** The Jacobian as a dense `[directions, ...shape]` tensor. */
  dense(): Tensor;
}

let nextId = 1;

/**
 * An n-dimensional array of float64, float32 or int32 values that can track derivatives.
 *
 * In reverse mode a tracked result remembers the op that made it (`backward()` walks
 * back through these); in forward mode it carries its Jacobian with respect to every
 * `requiresGrad` leaf it depends on, computed while the forward pass runs.
 */
export class Tensor {
  /** A process-unique number, handy in debugging output. */
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** The backend holding the data; changes only when `moveTo` migrates it. */
  private backendRef: Backend;
  /** The data, as the backend keeps it. Replaced (never written into) by `assign_`. */
  private storageRef: Storage;
  private requires = false;
  /** Accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** Reverse-mode graph node of a tracked result (null for leaves). */
  node: GraphNode | null = null;
  /**
   * Forward-mode Jacobians, keyed by leaf, each stored as `[leaf.size, ...this.shape]`
   * (the directions first, so that elementwise rules and batched matmul broadcast), or in a
   * structured form that the engine expands only when needed (read them with `jacobian`).
   */
  tangents: Map<Tensor, Tensor | StructuredTangent> | null = null;
  /** Name of the op that computed this tensor while tracking was on (null for leaves). */
  creator: string | null = null;
  /** Bumped by every in-place change, so that backward can refuse stale saved values. */
  version = 0;
  /** Keep `.grad` on this non-leaf after backward (PyTorch's `retain_grad`). */
  retainsGrad = false;

  constructor(storage: Storage, shape: Shape, dtype: DType, backend: Backend) {
    this.storageRef = storage;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.backendRef = backend;
  }

  get storage(): Storage {
    return this.storageRef;
  }

  /** The backend that holds this tensor's data. */
  get backend(): Backend {
    return this.backendRef;
  }

  /**
   * Moves the data to `backend` (a copy of the same values; the tensor keeps its identity,
   * gradient and graph), so that tensors created before a `setBackend` call work with
   * tensors created after it. Ops call it on their inputs.
   */
  moveTo(backend: Backend): this {
    if (backend !== this.backendRef) {
      this.storageRef = backend.fromArray(this.backendRef.read(this.storageRef), this.dtype);
      this.backendRef = backend;
      // the data of an existing tensor, moved during a backward pass, is no temporary of it
      backend.persist?.(this.storageRef);
    }
    return this;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** True for tensors not computed by a tracked op (user-created tensors, parameters). */
  get isLeaf(): boolean {
    return this.creator === null;
  }

  /**
   * Whether derivatives with respect to this tensor are tracked. Set it on leaves
   * (`tensor(..., { requiresGrad: true })` or `x.requiresGrad = true`); results of tracked
   * ops report true when they depend on such a leaf.
   */
  get requiresGrad(): boolean {
    return this.requires;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) {
      throw new GradError('requiresGrad', `only float tensors can require gradients; this tensor is ${this.dtype}`);
    }
    if (!this.isLeaf && !value) {
      throw new GradError('requiresGrad', `cannot turn tracking off on a result of '${this.creator}'; use detach() instead`);
    }
    this.requires = value;
  }

  /** Sets `requiresGrad` and returns this tensor. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Marks this as a tracked result of `op` (used by the autodiff engine). */
  markResult(op: string): void {
    this.creator = op;
    this.requires = true;
  }

  /** The values as a typed array copy, in row-major order. */
  dataSync(): Float64Array | Float32Array | Int32Array {
    return this.backend.read(this.storageRef).slice();
  }

  /** The values as nested plain arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const data = this.backend.read(this.storageRef);
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return data[offset];
      const n = this.shape[dim];
      const step = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * step);
      return out;
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new ValueError('item', `only a tensor with one element has an item; this one has shape ${fmtShape(this.shape)} (${this.size} elements)`);
    }
    return this.backend.readAt(this.storageRef, 0);
  }

  /** A new tensor that shares this one's data but carries no derivative information. */
  detach(): Tensor {
    return new Tensor(this.storageRef, this.shape, this.dtype, this.backend);
  }

  /**
   * Replaces this tensor's values with those of `value` (same shape and dtype), in place.
   * For optimizers and weight loading: the old data is not written to, so results computed
   * from it keep their values. Bumps `version`.
   */
  assign_(value: Tensor): this {
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new ValueError(
        'assign_',
        `expected a ${this.dtype} tensor of shape ${fmtShape(this.shape)}, got ${value.dtype} ${fmtShape(value.shape)}`,
      );
    }
    this.storageRef = value.backend === this.backend ? value.storage : this.backend.fromArray(value.backend.read(value.storage), this.dtype);
    this.version++;
    return this;
  }

  /** Keep `.grad` on this non-leaf result after `backward()`. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

export type NestedArray = number | NestedArray[];
