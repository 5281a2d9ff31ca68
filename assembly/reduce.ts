// Sum, max and min over the middle axis of an [outer, n, inner] array, float32 and float64:
// out[o, i] = reduce over k of x[o, k, i]. The caller folds any set of reduced axes that is
// one contiguous run (all axes, the last ones, the first ones, a middle run) into this form.
// Sums accumulate in float64 whatever the dtype, as the js backend does; max and min let
// NaN win, as the js backend does.

export const R_SUM = 0;
export const R_MAX = 1;
export const R_MIN = 2;

// room for the partial vector at the end of a row, of the input and of the output
const tailIn = memory.data(16, 16);
const tailOut = memory.data(16, 16);

/** Lane-wise running max / min that keeps NaN once seen. */
@inline function pick64(kind: i32, acc: v128, v: v128): v128 {
  const better = kind == R_MAX ? f64x2.gt(v, acc) : f64x2.lt(v, acc);
  return v128.bitselect(v, acc, v128.or(better, f64x2.ne(v, v)));
}
@inline function pick32(kind: i32, acc: v128, v: v128): v128 {
  const better = kind == R_MAX ? f32x4.gt(v, acc) : f32x4.lt(v, acc);
  return v128.bitselect(v, acc, v128.or(better, f32x4.ne(v, v)));
}
@inline function pickScalar(kind: i32, acc: f64, v: f64): f64 {
  return (kind == R_MAX ? v > acc : v < acc) || v != v ? v : acc;
}

/** Reduces n contiguous values to one float64. */
@inline function reduceRow<T>(kind: i32, x: usize, n: i32): f64 {
  const size = sizeof<T>();
  const bytes = (<usize>n) * size;
  let i: usize = 0;
  if (kind == R_SUM) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    if (size == 4) {
      for (; i + 16 <= bytes; i += 16) {
        const v = v128.load(x + i);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
    } else {
      for (; i + 32 <= bytes; i += 32) {
        s0 = f64x2.add(s0, v128.load(x + i));
        s1 = f64x2.add(s1, v128.load(x + i, 16));
      }
    }
    const s = f64x2.add(s0, s1);
    let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    for (; i < bytes; i += size) total += <f64>load<T>(x + i);
    return total;
  }
  let acc: f64 = kind == R_MAX ? -Infinity : Infinity;
  if (size == 4) {
    let v4 = f32x4.splat(<f32>acc);
    for (; i + 16 <= bytes; i += 16) v4 = pick32(kind, v4, v128.load(x + i));
    acc = pickScalar(kind, acc, <f64>f32x4.extract_lane(v4, 0));
    acc = pickScalar(kind, acc, <f64>f32x4.extract_lane(v4, 1));
    acc = pickScalar(kind, acc, <f64>f32x4.extract_lane(v4, 2));
    acc = pickScalar(kind, acc, <f64>f32x4.extract_lane(v4, 3));
  } else {
    let v2 = f64x2.splat(acc);
    for (; i + 16 <= bytes; i += 16) v2 = pick64(kind, v2, v128.load(x + i));
    acc = pickScalar(kind, pickScalar(kind, acc, f64x2.extract_lane(v2, 0)), f64x2.extract_lane(v2, 1));
  }
  for (; i < bytes; i += size) acc = pickScalar(kind, acc, <f64>load<T>(x + i));
  return acc;
}

/**
 * out[0, inner) = reduce over k < n of the rows x + k * inner. Sums of float32 go through a
 * float64 accumulator `acc` of `inner` values; everything else accumulates in place.
 */
@inline function reduceRows<T>(kind: i32, x: usize, out: usize, n: i32, inner: i32, acc: usize): void {
  const size = sizeof<T>();
  const bytes = (<usize>inner) * size;
  if (kind == R_SUM && size == 4) {
    memory.fill(acc, 0, (<usize>inner) * 8);
    for (let k = 0; k < n; k++) {
      const rowPtr = x + (<usize>k) * bytes;
      let i: usize = 0;
      for (; i + 16 <= bytes; i += 16) {
        const v = v128.load(rowPtr + i);
        const a = acc + i * 2;
        v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
        v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
      }
      for (; i < bytes; i += 4) store<f64>(acc + i * 2, load<f64>(acc + i * 2) + <f64>load<f32>(rowPtr + i));
    }
    for (let i: usize = 0; i < <usize>inner; i++) store<f32>(out + i * 4, <f32>load<f64>(acc + i * 8));
    return;
  }
  if (n == 0) {
    const init: f64 = kind == R_SUM ? 0 : kind == R_MAX ? -Infinity : Infinity;
    for (let i: usize = 0; i < <usize>inner; i++) store<T>(out + i * size, <T>init);
    return;
  }
  memory.copy(out, x, bytes);
  for (let k = 1; k < n; k++) {
    const rowPtr = x + (<usize>k) * bytes;
    let i: usize = 0;
    for (; i + 16 <= bytes; i += 16) {
      const o = v128.load(out + i);
      const v = v128.load(rowPtr + i);
      let r: v128;
      if (kind == R_SUM) r = size == 4 ? f32x4.add(o, v) : f64x2.add(o, v);
      else r = size == 4 ? pick32(kind, o, v) : pick64(kind, o, v);
      v128.store(out + i, r);
    }
    if (i < bytes) {
      // the last partial vector, through scratch vectors so nothing past a row is touched
      const rest = bytes - i;
      memory.copy(tailIn, rowPtr + i, rest);
      memory.copy(tailOut, out + i, rest);
      const o = v128.load(tailOut);
      const v = v128.load(tailIn);
      let r: v128;
      if (kind == R_SUM) r = size == 4 ? f32x4.add(o, v) : f64x2.add(o, v);
      else r = size == 4 ? pick32(kind, o, v) : pick64(kind, o, v);
      v128.store(tailOut, r);
      memory.copy(out + i, tailOut, rest);
    }
  }
}

@inline function run<T>(kind: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  const size = sizeof<T>();
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      store<T>(out + (<usize>o) * size, <T>reduceRow<T>(kind, x + (<usize>o) * n * size, n));
    }
  } else {
    for (let o = 0; o < outer; o++) {
      const block = (<usize>o) * n * inner * size;
      reduceRows<T>(kind, x + block, out + (<usize>o) * inner * size, n, inner, acc);
    }
  }
}

@inline function dispatch<T>(kind: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  switch (kind) {
    case R_SUM: run<T>(R_SUM, x, out, outer, n, inner, acc); break;
    case R_MAX: run<T>(R_MAX, x, out, outer, n, inner, acc); break;
    case R_MIN: run<T>(R_MIN, x, out, outer, n, inner, acc); break;
  }
}

/** float32 reduction of [outer, n, inner] to [outer, inner]; `acc` holds `inner` float64 values. */
export function reduceF32(kind: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  dispatch<f32>(kind, x, out, outer, n, inner, acc);
}

/** float64 reduction of [outer, n, inner] to [outer, inner] (`acc` unused). */
export function reduceF64(kind: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  dispatch<f64>(kind, x, out, outer, n, inner, acc);
}
