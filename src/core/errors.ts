/**
 * Errors thrown by tensorgrad. Every message starts with the name of the operation that
 * rejected its input, then says what was wrong (shapes, dtypes, values).
 */

/** Base class of every error tensorgrad throws on bad input. */
export class TensorGradError extends Error {
  /** The operation that raised the error, e.g. `'matmul'`. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }
}

/** Shapes that do not fit the operation (broadcasting, inner dimensions, reshape sizes). */
export class ShapeError extends TensorGradError {}

/** A dtype that is unknown or not allowed for the operation. */
export class DTypeError extends TensorGradError {}

/** An argument value that is out of range or of the wrong kind (axes, indices, options). */
export class ValueError extends TensorGradError {}

/** Misuse of automatic differentiation (backward without gradient, freed graphs, ...). */
export class GradError extends TensorGradError {}

/** Formats a shape the way error messages show it: `[128, 31]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
