import { DTypeError } from './errors.js';

/**
 * Element types. `float64` is the default (a JS number's own precision, NumPy's default);
 * `float32` halves memory and feeds SIMD kernels; `int32` holds indices and labels and is
 * never differentiated.
 */
export type DType = 'float64' | 'float32' | 'int32';

export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32'];

/** The typed array that stores each dtype. */
export type TypedArray = Float64Array | Float32Array | Int32Array;

export function isDType(x: unknown): x is DType {
  return x === 'float64' || x === 'float32' || x === 'int32';
}

/** Throws a clear error for anything that is not a known dtype. */
export function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(op, `unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
  }
  return dtype;
}

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/** Bytes per element. */
export function itemSize(dtype: DType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : 8;
}

/**
 * Result dtype of a binary op, as in PyTorch: float64 wins over float32, floats win over
 * int32.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  return 'float32';
}

/** Dtype of a float-valued result computed from `dtype` (int32 becomes the default float64). */
export function floatResult(dtype: DType): DType {
  return dtype === 'int32' ? 'float64' : dtype;
}

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float64':
      return new Float64Array(size);
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
  }
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Float32Array) return 'float32';
  return 'int32';
}
