// Elementwise functions of two values with broadcasting, float32 and float64 (and two
// scalar parameters, p0 and p1, for the ops that take them). The caller
// reduces any broadcast to rows x cols, where each operand advances by a row stride and a
// column stride of 1 (a full row) or 0 (one value repeated along the row); that covers equal
// shapes, a scalar operand, a row vector (bias) and a column vector. Op codes match
// src/backend/wasm/op-codes.ts; comparisons give 1 or 0 in the operands' dtype.

export const B_ADD = 0;
export const B_SUB = 1;
export const B_MUL = 2;
export const B_DIV = 3;
export const B_MAXIMUM = 4;
export const B_MINIMUM = 5;
export const B_EQUAL = 6;
export const B_NOT_EQUAL = 7;
export const B_LESS = 8;
export const B_LESS_EQUAL = 9;
export const B_GREATER = 10;
export const B_GREATER_EQUAL = 11;
// derivative helpers of the backward pass: a is the incoming gradient, b the op's input or output
export const B_RELU_GRAD = 12; // a * (b > 0 ? 1 : 0), b = relu's input
export const B_SIGMOID_GRAD = 13; // a * (b * (1 - b)), b = sigmoid's output
export const B_TANH_GRAD = 14; // a * (1 - b * b), b = tanh's output
// binary cross-entropy of probabilities a against targets b, a clamped to [p0, p1] (see
// src/ops/binary-cross-entropy.ts): the loss, its slope in a, its slope in b
export const B_BCE = 15;
export const B_BCE_SLOPE_P = 16;
export const B_BCE_SLOPE_Y = 17;
// a - b * p0 (an optimizer's p - lr * g; in float32, p0 is rounded to float32 first)
export const B_SUB_SCALED = 18;

import { logF64x2 } from './vmath';

// room for one partial vector of each operand at the end of a row
const tailA = memory.data(16, 16);
const tailB = memory.data(16, 16);

/**
 * The cross-entropy ops on float64 lanes: p clamped to [lo, hi], its complement 1 - pc
 * (rounded to float32 first when `f32`, as the float32 scalar function does), then the
 * same operations in the same order as the scalar functions, so that the values agree.
 */
function bceF64(op: i32, p: v128, y: v128, lo: v128, hi: v128, f32: bool): v128 {
  const one = f64x2.splat(1);
  const c = f64x2.min(f64x2.max(p, lo), hi);
  let comp = f64x2.sub(one, c);
  if (f32) comp = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(comp));
  if (op == B_BCE) {
    return f64x2.neg(f64x2.add(f64x2.mul(y, logF64x2(c)), f64x2.mul(f64x2.sub(one, y), logF64x2(comp))));
  }
  if (op == B_BCE_SLOPE_Y) return f64x2.sub(logF64x2(comp), logF64x2(c));
  // clamp'(p): 1 inside, 1/2 at a bound, NaN for NaN, 0 outside
  const inside = v128.and(f64x2.gt(p, lo), f64x2.lt(p, hi));
  const atBound = v128.or(f64x2.eq(p, lo), f64x2.eq(p, hi));
  const outside = v128.bitselect(p, f64x2.splat(0), f64x2.ne(p, p));
  const slope = v128.bitselect(one, v128.bitselect(f64x2.splat(0.5), outside, atBound), inside);
  return f64x2.mul(slope, f64x2.sub(f64x2.div(f64x2.sub(one, y), comp), f64x2.div(y, c)));
}

/** bceF64 on four float32 lanes, in float64, rounded once at the end. */
function bceF32(op: i32, a: v128, b: v128, lo: v128, hi: v128): v128 {
  const aHi = v128.shuffle<f32>(a, a, 2, 3, 0, 1);
  const bHi = v128.shuffle<f32>(b, b, 2, 3, 0, 1);
  const low = bceF64(op, f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), lo, hi, true);
  const high = bceF64(op, f64x2.promote_low_f32x4(aHi), f64x2.promote_low_f32x4(bHi), lo, hi, true);
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 1, 4, 5);
}

/** One vector of a parametric op (p0 and p1 splatted as float64, `s32` = p0 as float32). */
function parametricVector(op: i32, a: v128, b: v128, p0: v128, p1: v128, s32: v128, f32: bool): v128 {
  if (op == B_SUB_SCALED) return f32 ? f32x4.sub(a, f32x4.mul(b, s32)) : f64x2.sub(a, f64x2.mul(b, p0));
  return f32 ? bceF32(op, a, b, p0, p1) : bceF64(op, a, b, p0, p1, false);
}

/**
 * An op with parameters (the cross-entropy ops, subScaled) over n contiguous values of both
 * operands. Kept out of the inlined row loops of the other ops: with three inlined
 * logarithms in every variant of those, the module tripled and its build took 11 minutes.
 */
function parametricRun(op: i32, a: usize, b: usize, out: usize, n: i32, p0: f64, p1: f64, f32: bool): void {
  const v0 = f64x2.splat(p0);
  const v1 = f64x2.splat(p1);
  const s32 = f32x4.splat(<f32>p0);
  const bytes = (<usize>n) * (f32 ? 4 : 8);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    v128.store(out + i, parametricVector(op, v128.load(a + i), v128.load(b + i), v0, v1, s32, f32));
  }
  if (i < bytes) {
    // a partial vector: the lanes past the end hold whatever was there, and are dropped
    const rest = bytes - i;
    memory.copy(tailA, a + i, rest);
    memory.copy(tailB, b + i, rest);
    v128.store(tailA, parametricVector(op, v128.load(tailA), v128.load(tailB), v0, v1, s32, f32));
    memory.copy(out + i, tailA, rest);
  }
}

@inline function applyF32(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    // a where a > b or a is NaN, else b: NaN from either side wins, as in the js backend
    case B_MAXIMUM: return v128.bitselect(a, b, v128.or(f32x4.gt(a, b), f32x4.ne(a, a)));
    case B_MINIMUM: return v128.bitselect(a, b, v128.or(f32x4.lt(a, b), f32x4.ne(a, a)));
    case B_EQUAL: return v128.and(f32x4.eq(a, b), one);
    case B_NOT_EQUAL: return v128.and(f32x4.ne(a, b), one);
    case B_LESS: return v128.and(f32x4.lt(a, b), one);
    case B_LESS_EQUAL: return v128.and(f32x4.le(a, b), one);
    case B_GREATER: return v128.and(f32x4.gt(a, b), one);
    case B_GREATER_EQUAL: return v128.and(f32x4.ge(a, b), one);
    case B_RELU_GRAD: return f32x4.mul(a, v128.and(f32x4.gt(b, f32x4.splat(0)), one));
    case B_SIGMOID_GRAD: return f32x4.mul(a, f32x4.mul(b, f32x4.sub(one, b)));
    case B_TANH_GRAD: return f32x4.mul(a, f32x4.sub(one, f32x4.mul(b, b)));
  }
  return a;
}

@inline function applyF64(op: i32, a: v128, b: v128): v128 {
  const one = f64x2.splat(1);
  switch (op) {
    case B_ADD: return f64x2.add(a, b);
    case B_SUB: return f64x2.sub(a, b);
    case B_MUL: return f64x2.mul(a, b);
    case B_DIV: return f64x2.div(a, b);
    case B_MAXIMUM: return v128.bitselect(a, b, v128.or(f64x2.gt(a, b), f64x2.ne(a, a)));
    case B_MINIMUM: return v128.bitselect(a, b, v128.or(f64x2.lt(a, b), f64x2.ne(a, a)));
    case B_EQUAL: return v128.and(f64x2.eq(a, b), one);
    case B_NOT_EQUAL: return v128.and(f64x2.ne(a, b), one);
    case B_LESS: return v128.and(f64x2.lt(a, b), one);
    case B_LESS_EQUAL: return v128.and(f64x2.le(a, b), one);
    case B_GREATER: return v128.and(f64x2.gt(a, b), one);
    case B_GREATER_EQUAL: return v128.and(f64x2.ge(a, b), one);
    case B_RELU_GRAD: return f64x2.mul(a, v128.and(f64x2.gt(b, f64x2.splat(0)), one));
    case B_SIGMOID_GRAD: return f64x2.mul(a, f64x2.mul(b, f64x2.sub(one, b)));
    case B_TANH_GRAD: return f64x2.mul(a, f64x2.sub(one, f64x2.mul(b, b)));
  }
  return a;
}

@inline function apply<T>(op: i32, a: v128, b: v128): v128 {
  return sizeof<T>() == 4 ? applyF32(op, a, b) : applyF64(op, a, b);
}

@inline function splatOf<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load64_splat(p);
}

/** One row of `bytes` bytes; an operand is a full row (aFull / bFull) or one value repeated. */
@inline function row<T>(op: i32, a: usize, aFull: bool, b: usize, bFull: bool, out: usize, bytes: usize): void {
  const sa = aFull ? v128.splat<i64>(0) : splatOf<T>(a);
  const sb = bFull ? v128.splat<i64>(0) : splatOf<T>(b);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const va = aFull ? v128.load(a + i) : sa;
    const vb = bFull ? v128.load(b + i) : sb;
    v128.store(out + i, apply<T>(op, va, vb));
  }
  if (i < bytes) {
    const rest = bytes - i;
    if (aFull) memory.copy(tailA, a + i, rest);
    else v128.store(tailA, sa);
    if (bFull) memory.copy(tailB, b + i, rest);
    else v128.store(tailB, sb);
    v128.store(tailA, apply<T>(op, v128.load(tailA), v128.load(tailB)));
    memory.copy(out + i, tailA, rest);
  }
}

@inline function rows<T>(
  op: i32, a: usize, b: usize, out: usize, nRows: i32, nCols: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32,
): void {
  const size = sizeof<T>();
  const bytes = (<usize>nCols) * size;
  const aStep = (<usize>aRow) * size;
  const bStep = (<usize>bRow) * size;
  for (let r = 0; r < nRows; r++) {
    // four copies of the row loop, so that the operand kinds are constants inside each
    if (aCol != 0 && bCol != 0) row<T>(op, a, true, b, true, out, bytes);
    else if (aCol != 0) row<T>(op, a, true, b, false, out, bytes);
    else if (bCol != 0) row<T>(op, a, false, b, true, out, bytes);
    else row<T>(op, a, false, b, false, out, bytes);
    a += aStep;
    b += bStep;
    out += bytes;
  }
}

@inline function dispatch<T>(
  op: i32, a: usize, b: usize, out: usize, nRows: i32, nCols: i32,
  aRow: i32, aCol: i32, bRow: i32, bCol: i32, p0: f64, p1: f64,
): void {
  switch (op) {
    case B_ADD: rows<T>(B_ADD, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_SUB: rows<T>(B_SUB, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_MUL: rows<T>(B_MUL, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_DIV: rows<T>(B_DIV, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_MAXIMUM: rows<T>(B_MAXIMUM, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_MINIMUM: rows<T>(B_MINIMUM, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_EQUAL: rows<T>(B_EQUAL, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_NOT_EQUAL: rows<T>(B_NOT_EQUAL, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_LESS: rows<T>(B_LESS, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_LESS_EQUAL: rows<T>(B_LESS_EQUAL, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_GREATER: rows<T>(B_GREATER, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_GREATER_EQUAL: rows<T>(B_GREATER_EQUAL, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_RELU_GRAD: rows<T>(B_RELU_GRAD, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_SIGMOID_GRAD: rows<T>(B_SIGMOID_GRAD, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    case B_TANH_GRAD: rows<T>(B_TANH_GRAD, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol); break;
    // equal shapes only (the caller sees to it): aCol = bCol = 1, one run of nRows * nCols
    case B_BCE:
    case B_BCE_SLOPE_P:
    case B_BCE_SLOPE_Y:
    case B_SUB_SCALED: parametricRun(op, a, b, out, nRows * nCols, p0, p1, sizeof<T>() == 4); break;
  }
}

/**
 * float32 out[r, c] = f(a[r * aRow + c * aCol], b[r * bRow + c * bCol]) for an nRows x nCols
 * result; aCol and bCol are 0 or 1, strides are in elements; p0 and p1 are the op's
 * parameters (the cross-entropy's clamp bounds; ignored by the others).
 */
export function binaryF32(op: i32, a: usize, b: usize, out: usize, nRows: i32, nCols: i32, aRow: i32, aCol: i32, bRow: i32, bCol: i32, p0: f64, p1: f64): void {
  dispatch<f32>(op, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol, p0, p1);
}

/** float64 version of binaryF32. */
export function binaryF64(op: i32, a: usize, b: usize, out: usize, nRows: i32, nCols: i32, aRow: i32, aCol: i32, bRow: i32, bCol: i32, p0: f64, p1: f64): void {
  dispatch<f64>(op, a, b, out, nRows, nCols, aRow, aCol, bRow, bCol, p0, p1);
}
