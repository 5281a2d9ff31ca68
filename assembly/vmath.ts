// exp, log and the logistic function on two float64 lanes at once, accurate to about one
// unit in the last place, with IEEE special values (NaN in, NaN out; exp(-inf) = 0,
// exp(inf) = inf, log(0) = -inf, log(x < 0) = NaN). float32 kernels widen to these.

// ln 2 split in two: the high part has trailing zero bits, so n * LN2_HI is exact.
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const LOG2E: f64 = 1.4426950408889634;

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

/** 2^n for integral n in [-1022, 1023], held as float64 lanes. */
@inline function pow2(n: v128): v128 {
  const i = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  return i64x2.shl(i64x2.add(i, i64x2.splat(1023)), 52);
}

/** e^x, lane-wise. */
@inline export function expF64x2(x: v128): v128 {
  // beyond these bounds the result is inf or 0 anyway; clamping keeps n in range (NaN passes)
  x = f64x2.min(f64x2.max(x, splat(-746.0)), splat(710.0));
  const n = f64x2.nearest(f64x2.mul(x, splat(LOG2E)));
  // x = n ln2 + r, |r| <= ln2 / 2
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(n, splat(LN2_HI))), f64x2.mul(n, splat(LN2_LO)));
  // Taylor series of e^r to degree 13: the first omitted term is below 2^-58 for |r| <= ln2 / 2
  let p = splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), splat(1.0));
  // scale by 2^n in two exact steps, so that neither factor overflows and subnormal
  // results are rounded once
  const n1 = f64x2.floor(f64x2.mul(n, splat(0.5)));
  const n2 = f64x2.sub(n, n1);
  return f64x2.mul(f64x2.mul(p, pow2(n1)), pow2(n2));
}

// Coefficients of the minimax fit of (log(1 + f) - 2s + s f) / s in z = s^2, s = f / (2 + f),
// on the reduced range (the classic fdlibm ones).
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;

/** Natural logarithm, lane-wise. */
@inline export function logF64x2(x: v128): v128 {
  // subnormal inputs: scale into the normal range and remember the 54 bits
  const tiny = f64x2.lt(x, splat(2.2250738585072014e-308));
  const xs = v128.bitselect(f64x2.mul(x, splat(18014398509481984.0)), x, tiny);
  const kAdjust = v128.and(tiny, splat(54.0));
  // x = 2^k m with m in [sqrt(2)/2, sqrt(2)): shift the exponent field so that the cut
  // falls at sqrt(2) instead of 2
  const u = i64x2.add(xs, i64x2.splat(0x3ff00000_00000000 - 0x3fe6a09e_00000000));
  const kInt = i64x2.sub(i64x2.shr_s(u, 52), i64x2.splat(1023));
  const k = f64x2.sub(f64x2.convert_low_i32x4_s(i32x4.shuffle(kInt, kInt, 0, 2, 0, 2)), kAdjust);
  const m = i64x2.add(v128.and(u, i64x2.splat(0x000fffff_ffffffff)), i64x2.splat(0x3fe6a09e_00000000));
  const f = f64x2.sub(m, splat(1.0));
  const hfsq = f64x2.mul(splat(0.5), f64x2.mul(f, f));
  const s = f64x2.div(f, f64x2.add(splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(splat(LG2), f64x2.mul(w, f64x2.add(splat(LG4), f64x2.mul(w, splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(splat(LG1), f64x2.mul(w, f64x2.add(splat(LG3), f64x2.mul(w, f64x2.add(splat(LG5), f64x2.mul(w, splat(LG7))))))));
  const R = f64x2.add(t2, t1);
  // s (hfsq + R) + k ln2_lo - hfsq + f + k ln2_hi, summed in this order
  let y = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(k, splat(LN2_LO)));
  y = f64x2.add(f64x2.add(f64x2.sub(y, hfsq), f), f64x2.mul(k, splat(LN2_HI)));
  // special values
  y = v128.bitselect(splat(-Infinity), y, f64x2.eq(x, splat(0.0)));
  y = v128.bitselect(splat(Infinity), y, f64x2.eq(x, splat(Infinity)));
  y = v128.bitselect(splat(NaN), y, f64x2.lt(x, splat(0.0)));
  return v128.bitselect(x, y, f64x2.ne(x, x));
}

/** 1 / (1 + e^-x), lane-wise, without overflow: e^-|x| never exceeds 1. */
@inline export function sigmoidF64x2(x: v128): v128 {
  const e = expF64x2(f64x2.neg(f64x2.abs(x)));
  const num = v128.bitselect(splat(1.0), e, f64x2.ge(x, splat(0.0)));
  return f64x2.div(num, f64x2.add(splat(1.0), e));
}
