import { checkDType, type DType, isFloat } from '../core/dtype.js';
import { ValueError, fmtShape } from '../core/errors.js';
import { globalGenerator, type Generator } from '../core/random.js';
import { checkShape, sizeOf } from '../core/shape.js';
import { currentBackend } from '../backend/index.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  /** Element type; default float64 (float32 for a Float32Array, int32 for an Int32Array). */
  dtype?: DType;
  /** Track derivatives with respect to this tensor. */
  requiresGrad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  /** Draw from this generator instead of the global one (see `manualSeed`). */
  generator?: Generator;
}

type FlatInput = Float64Array | Float32Array | Int32Array | readonly number[];
/** Anything `tensor()` accepts: a number, nested arrays of numbers, a typed array, a tensor. */
export type TensorData = number | boolean | NestedInput | Float64Array | Float32Array | Int32Array | Tensor;
type NestedInput = readonly (number | boolean | NestedInput)[];

/** Makes a tensor from raw values of a known shape (no copy checks beyond the size). */
export function fromValues(values: ArrayLike<number>, shape: readonly number[], dtype: DType = 'float64'): Tensor {
  const be = currentBackend();
  return new Tensor(be.fromArray(values, dtype), shape, dtype, be);
}

function finish(t: Tensor, opts: TensorOptions | undefined): Tensor {
  if (opts?.requiresGrad) t.requiresGrad = true;
  return t;
}

/**
 * Creates a tensor from a number, nested arrays, a typed array or another tensor (copied).
 * Ragged nested arrays and non-numbers are rejected with the path of the offending entry.
 */
export function tensor(data: TensorData, opts?: TensorOptions & { shape?: readonly number[] }): Tensor {
  const dtypeOpt = opts?.dtype === undefined ? undefined : checkDType('tensor', opts.dtype);
  if (data instanceof Tensor) {
    const dtype = dtypeOpt ?? data.dtype;
    const t = fromValues(data.backend.read(data.storage), data.shape, dtype);
    return finish(t, opts);
  }
  if (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = dtypeOpt ?? (data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'float64');
    const shape = opts?.shape ? checkShape('tensor', opts.shape) : [data.length];
    if (sizeOf(shape) !== data.length) {
      throw new ValueError('tensor', `shape ${fmtShape(shape)} holds ${sizeOf(shape)} values but the typed array has ${data.length}`);
    }
    return finish(fromValues(data, shape, dtype), opts);
  }
  const { values, shape } = flattenNested(data);
  const dtype = dtypeOpt ?? 'float64';
  let finalShape = shape;
  if (opts?.shape) {
    finalShape = checkShape('tensor', opts.shape);
    if (sizeOf(finalShape) !== values.length) {
      throw new ValueError('tensor', `shape ${fmtShape(finalShape)} holds ${sizeOf(finalShape)} values but the data has ${values.length}`);
    }
  }
  return finish(fromValues(values, finalShape, dtype), opts);
}

/** Flattens nested arrays, checking that they are rectangular and hold only numbers. */
export function flattenNested(data: unknown): { values: number[]; shape: number[] } {
  if (typeof data === 'number' || typeof data === 'boolean') return { values: [Number(data)], shape: [] };
  if (!Array.isArray(data)) throw new ValueError('tensor', `expected a number, nested arrays of numbers or a typed array, got ${describe(data)}`);
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const values: number[] = [];
  const walk = (x: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof x === 'number') values.push(x);
      else if (typeof x === 'boolean') values.push(x ? 1 : 0);
      else if (Array.isArray(x) || ArrayBuffer.isView(x)) {
        throw new ValueError('tensor', `ragged nested array: entry${path} is an array but entry${path.replace(/\[\d+\]$/, '[0]')} is a number; expected shape ${fmtShape(shape)}`);
      } else throw new ValueError('tensor', `entry${path} is ${describe(x)}, not a number`);
      return;
    }
    if (!Array.isArray(x)) {
      throw new ValueError('tensor', `ragged nested array: entry${path} is ${describe(x)} but an array of length ${shape[dim]} was expected (shape ${fmtShape(shape)})`);
    }
    if (x.length !== shape[dim]) {
      throw new ValueError('tensor', `ragged nested array: entry${path} has length ${x.length} but ${shape[dim]} was expected (shape ${fmtShape(shape)})`);
    }
    for (let i = 0; i < x.length; i++) walk(x[i], dim + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
  return { values, shape };
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (typeof x === 'string') return `the string ${JSON.stringify(x)}`;
  return `a ${typeof x}`;
}

function filled(op: string, shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  const s = checkShape(op, shape);
  const dtype = opts?.dtype === undefined ? 'float64' : checkDType(op, opts.dtype);
  const be = currentBackend();
  return finish(new Tensor(be.full(sizeOf(s), value, dtype), s, dtype, be), opts);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('zeros', shape, 0, opts);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return filled('ones', shape, 1, opts);
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  if (typeof value !== 'number') throw new ValueError('full', `fill value must be a number, got ${describe(value)}`);
  return filled('full', shape, value, opts);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor, opts?: TensorOptions): Tensor {
  return zeros(x.shape, { dtype: x.dtype, ...opts });
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor, opts?: TensorOptions): Tensor {
  return ones(x.shape, { dtype: x.dtype, ...opts });
}

/** The identity matrix of size n × m (m = n by default). */
export function eye(n: number, m: number = n, opts?: TensorOptions): Tensor {
  const [rows, cols] = checkShape('eye', [n, m]);
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  const dtype = opts?.dtype === undefined ? 'float64' : checkDType('eye', opts.dtype);
  return finish(fromValues(values, [rows, cols], dtype), opts);
}

/**
 * Evenly spaced values in [start, stop) with `step`, as NumPy's `arange`:
 * `arange(5)`, `arange(2, 10, 2)`.
 */
export function arange(start: number, stop?: number, step = 1, opts?: TensorOptions): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step)) {
    throw new ValueError('arange', `start, stop and step must be finite numbers, got ${start}, ${stop}, ${step}`);
  }
  if (step === 0) throw new ValueError('arange', 'step must not be zero');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  const dtype = opts?.dtype === undefined ? 'float64' : checkDType('arange', opts.dtype);
  return finish(fromValues(values, [n], dtype), opts);
}

/** `num` evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num = 50, opts?: TensorOptions): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ValueError('linspace', `num must be a non-negative integer, got ${num}`);
  const values = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = i === num - 1 && num > 1 ? stop : start + i * step;
  const dtype = opts?.dtype === undefined ? 'float64' : checkDType('linspace', opts.dtype);
  return finish(fromValues(values, [num], dtype), opts);
}

function random(op: string, shape: readonly number[], opts: RandomOptions | undefined, draw: (g: Generator) => number): Tensor {
  const s = checkShape(op, shape);
  const dtype = opts?.dtype === undefined ? 'float64' : checkDType(op, opts.dtype);
  if (!isFloat(dtype)) throw new ValueError(op, `dtype must be float32 or float64, got ${dtype}`);
  const g = opts?.generator ?? globalGenerator;
  const values = new Float64Array(sizeOf(s));
  for (let i = 0; i < values.length; i++) values[i] = draw(g);
  return finish(fromValues(values, s, dtype), opts);
}

/** Standard normal draws, reproducible after `manualSeed(n)`. */
export function randn(shape: readonly number[], opts?: RandomOptions): Tensor {
  return random('randn', shape, opts, (g) => g.normal());
}

/** Uniform draws in [0, 1), reproducible after `manualSeed(n)`. */
export function rand(shape: readonly number[], opts?: RandomOptions): Tensor {
  return random('rand', shape, opts, (g) => g.uniform());
}

export type { FlatInput, NestedArray };
