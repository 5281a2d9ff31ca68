// Elementwise functions of one value, float32 and float64, four / two lanes at a time.
// Op codes match src/backend/wasm/op-codes.ts. Results equal the js backend's: float32
// transcendental functions are computed in float64 and rounded once, as the js backend does.
import { expF64x2, logF64x2, sigmoidF64x2 } from './vmath';

export const U_NEG = 0;
export const U_ABS = 1;
export const U_SQRT = 2;
export const U_EXP = 3;
export const U_LOG = 4;
export const U_RELU = 5;
export const U_SIGMOID = 6;
export const U_SIGN = 7;

// room for one partial vector at the end of an array
const tail = memory.data(16, 16);

@inline function applyF64(op: i32, x: v128): v128 {
  switch (op) {
    case U_NEG: return f64x2.neg(x);
    case U_ABS: return f64x2.abs(x);
    case U_SQRT: return f64x2.sqrt(x);
    case U_EXP: return expF64x2(x);
    case U_LOG: return logF64x2(x);
    // keeps x where x > 0 or x is NaN, +0 elsewhere
    case U_RELU: return v128.and(x, v128.or(f64x2.gt(x, f64x2.splat(0)), f64x2.ne(x, x)));
    case U_SIGMOID: return sigmoidF64x2(x);
    case U_SIGN: {
      const neg = v128.bitselect(f64x2.splat(-1), x, f64x2.lt(x, f64x2.splat(0)));
      return v128.bitselect(f64x2.splat(1), neg, f64x2.gt(x, f64x2.splat(0)));
    }
  }
  return x;
}

/** Applies a float64 lane function to the four float32 lanes of x, rounding once. */
@inline function viaF64(op: i32, x: v128): v128 {
  const lo = applyF64(op, f64x2.promote_low_f32x4(x));
  const hi = applyF64(op, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

@inline function applyF32(op: i32, x: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RELU: return v128.and(x, v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x)));
    case U_SIGN: {
      const neg = v128.bitselect(f32x4.splat(-1), x, f32x4.lt(x, f32x4.splat(0)));
      return v128.bitselect(f32x4.splat(1), neg, f32x4.gt(x, f32x4.splat(0)));
    }
  }
  return viaF64(op, x);
}

@inline function apply<T>(op: i32, x: v128): v128 {
  return sizeof<T>() == 4 ? applyF32(op, x) : applyF64(op, x);
}

@inline function run<T>(op: i32, x: usize, out: usize, n: i32): void {
  const bytes = (<usize>n) * sizeof<T>();
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(out + i, apply<T>(op, v128.load(x + i)));
  if (i < bytes) {
    const rest = bytes - i;
    memory.copy(tail, x + i, rest);
    v128.store(tail, apply<T>(op, v128.load(tail)));
    memory.copy(out + i, tail, rest);
  }
}

@inline function dispatch<T>(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case U_NEG: run<T>(U_NEG, x, out, n); break;
    case U_ABS: run<T>(U_ABS, x, out, n); break;
    case U_SQRT: run<T>(U_SQRT, x, out, n); break;
    case U_EXP: run<T>(U_EXP, x, out, n); break;
    case U_LOG: run<T>(U_LOG, x, out, n); break;
    case U_RELU: run<T>(U_RELU, x, out, n); break;
    case U_SIGMOID: run<T>(U_SIGMOID, x, out, n); break;
    case U_SIGN: run<T>(U_SIGN, x, out, n); break;
  }
}

/** out[i] = f(x[i]) for n float32 values (out may equal x). */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  dispatch<f32>(op, x, out, n);
}

/** out[i] = f(x[i]) for n float64 values (out may equal x). */
export function unaryF64(op: i32, x: usize, out: usize, n: i32): void {
  dispatch<f64>(op, x, out, n);
}
