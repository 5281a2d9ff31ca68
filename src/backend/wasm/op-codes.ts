import type { ReduceKind } from '../backend.js';

/**
 * Which op names have native wasm kernels, and the codes the kernels know them by (the
 * constants at the top of assembly/unary.ts, binary.ts and reduce.ts). Every other op name
 * runs the op's own scalar function over the wasm memory.
 */

export const UNARY_CODES: ReadonlyMap<string, number> = new Map([
  ['neg', 0],
  ['abs', 1],
  ['sqrt', 2],
  ['exp', 3],
  ['log', 4],
  ['relu', 5],
  ['sigmoid', 6],
  ['sign', 7],
]);

export const BINARY_CODES: ReadonlyMap<string, number> = new Map([
  ['add', 0],
  ['sub', 1],
  ['mul', 2],
  ['div', 3],
  ['maximum', 4],
  ['minimum', 5],
  ['equal', 6],
  ['notEqual', 7],
  ['less', 8],
  ['lessEqual', 9],
  ['greater', 10],
  ['greaterEqual', 11],
  ['reluGrad', 12],
  ['sigmoidGrad', 13],
  ['tanhGrad', 14],
  // with two parameters (the clamp's bounds), for operands of equal shapes only
  ['binaryCrossEntropy', 15],
  ['bceSlopeP', 16],
  ['bceSlopeY', 17],
  ['subScaled', 18],
]);

/** Binary ops whose native kernel takes the `params` of Backend.binary and equal shapes only. */
export const PARAMETRIC_BINARY: ReadonlySet<string> = new Set(['binaryCrossEntropy', 'bceSlopeP', 'bceSlopeY', 'subScaled']);

export const REDUCE_CODES: Readonly<Record<ReduceKind, number>> = {
  sum: 0,
  max: 1,
  min: 2,
};
