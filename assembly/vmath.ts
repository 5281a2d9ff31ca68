// exp, log and the logistic function on two float64 lanes at once. exp and log follow the
// steps of the classic fdlibm algorithms (Sun, 1993) operation for operation, so each lane
// gets exactly the double that JavaScript's Math.exp / Math.log return in V8 (which uses
// fdlibm): the wasm backend agrees with the js backend to the last bit. Branches of the
// scalar code become lane selects. float32 kernels widen to these and round once, as the
// js backend does.

@inline function splat(x: f64): v128 {
  return f64x2.splat(x);
}

@inline function isplat(x: i64): v128 {
  return i64x2.splat(x);
}

/** where mask ? a : b, lane-wise. */
@inline function select(mask: v128, a: v128, b: v128): v128 {
  return v128.bitselect(a, b, mask);
}

/** The high 32 bits of each lane's bit pattern, as an i64 lane. */
@inline function highWord(x: v128): v128 {
  return i64x2.shr_u(x, 32);
}

/** Integral i64 lanes (small) as float64 lanes. */
@inline function i64ToF64(k: v128): v128 {
  return f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 0, 2, 0, 2));
}

/** 2^n for integral float64 lanes n in [-1022, 1023]. */
@inline function pow2(n: v128): v128 {
  const i = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  return i64x2.shl(i64x2.add(i, isplat(1023)), 52);
}

// ln 2 in two parts: the high part has trailing zero bits, so k * LN2_HI is exact.
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const E: f64 = 2.718281828459045;
const EXP_OVERFLOW: f64 = 7.09782712893383973096e+02;
const EXP_UNDERFLOW: f64 = -7.45133219101941108420e+02;
// fdlibm's coefficients for the rational approximation of e^r on |r| <= ln2 / 2
const P1: f64 = 1.66666666666666019037e-01;
const P2: f64 = -2.77777777770155933842e-03;
const P3: f64 = 6.61375632143793436117e-05;
const P4: f64 = -1.65339022054652515390e-06;
const P5: f64 = 4.13813679705723846039e-08;

/** e^x, lane-wise. */
@inline export function expF64x2(x: v128): v128 {
  const hx = highWord(v128.and(x, isplat(0x7fffffff_ffffffff)));
  // reduce x = k ln2 + r only when |x| > ln2 / 2 (judged on the high word, as fdlibm does)
  const reduce = i64x2.gt_s(hx, isplat(0x3fd62e42));
  const halfSigned = v128.or(splat(0.5), v128.and(x, isplat(0x80000000_00000000)));
  const k = v128.and(f64x2.trunc(f64x2.add(f64x2.mul(splat(INV_LN2), x), halfSigned)), reduce);
  const hi = f64x2.sub(x, f64x2.mul(k, splat(LN2_HI)));
  const lo = f64x2.mul(k, splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  let p = f64x2.add(splat(P4), f64x2.mul(t, splat(P5)));
  p = f64x2.add(splat(P3), f64x2.mul(t, p));
  p = f64x2.add(splat(P2), f64x2.mul(t, p));
  p = f64x2.add(splat(P1), f64x2.mul(t, p));
  const c = f64x2.sub(r, f64x2.mul(t, p));
  // y = 1 - ((lo - r c / (2 - c)) - hi)
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(splat(2.0), c));
  const y = f64x2.sub(splat(1.0), f64x2.sub(f64x2.sub(lo, q), hi));
  // y 2^k in two steps: the first is exact, the second rounds once even for subnormal results
  const k1 = f64x2.floor(f64x2.mul(k, splat(0.5)));
  let e = f64x2.mul(f64x2.mul(y, pow2(k1)), pow2(f64x2.sub(k, k1)));
  e = select(i64x2.lt_s(hx, isplat(0x3e300000)), f64x2.add(splat(1.0), x), e);
  // V8 returns the correctly rounded e for exp(1), where the steps above are one ulp off
  e = select(f64x2.eq(x, splat(1.0)), splat(E), e);
  e = select(f64x2.gt(x, splat(EXP_OVERFLOW)), splat(Infinity), e);
  e = select(f64x2.lt(x, splat(EXP_UNDERFLOW)), splat(0.0), e);
  return select(f64x2.ne(x, x), x, e);
}

// fdlibm's coefficients for log(1 + f) on the reduced range, in z = s^2, s = f / (2 + f)
const LG1: f64 = 6.666666666666735130e-01;
const LG2: f64 = 3.999999999940941908e-01;
const LG3: f64 = 2.857142874366239149e-01;
const LG4: f64 = 2.222219843214978396e-01;
const LG5: f64 = 1.818357216161805012e-01;
const LG6: f64 = 1.531383769920937332e-01;
const LG7: f64 = 1.479819860511658591e-01;
const TWO54: f64 = 18014398509481984.0;
const SMALLEST_NORMAL: f64 = 2.2250738585072014e-308;

/** Natural logarithm, lane-wise. */
@inline export function logF64x2(x: v128): v128 {
  // subnormal inputs: scale into the normal range, take 54 off the exponent
  const sub = f64x2.lt(x, splat(SMALLEST_NORMAL));
  const xs = select(sub, f64x2.mul(x, splat(TWO54)), x);
  const kSub = v128.and(sub, splat(-54.0));
  // x = 2^k m, with m in [sqrt(2)/2, sqrt(2)) chosen through the top mantissa bits
  const hxFull = highWord(xs);
  const hx = v128.and(hxFull, isplat(0x000fffff));
  const i = v128.and(i64x2.add(hx, isplat(0x95f64)), isplat(0x100000));
  const kInt = i64x2.add(i64x2.sub(i64x2.shr_u(hxFull, 20), isplat(1023)), i64x2.shr_u(i, 20));
  const mHigh = v128.or(hx, v128.xor(i, isplat(0x3ff00000)));
  const m = v128.or(i64x2.shl(mHigh, 32), v128.and(xs, isplat(0xffffffff)));
  const dk = f64x2.add(i64ToF64(kInt), kSub);
  const f = f64x2.sub(m, splat(1.0));
  const dkHi = f64x2.mul(dk, splat(LN2_HI));
  const dkLo = f64x2.mul(dk, splat(LN2_LO));
  // |f| < 2^-20: a short series
  const rSmall = f64x2.mul(f64x2.mul(f, f), f64x2.sub(splat(0.5), f64x2.mul(splat(0.33333333333333333), f)));
  const ySmall = f64x2.sub(dkHi, f64x2.sub(f64x2.sub(rSmall, dkLo), f));
  // otherwise the rational fit in s, finished one of two ways depending on where m lies
  const s = f64x2.div(f, f64x2.add(splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(splat(LG2), f64x2.mul(w, f64x2.add(splat(LG4), f64x2.mul(w, splat(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(splat(LG1), f64x2.mul(w, f64x2.add(splat(LG3), f64x2.mul(w, f64x2.add(splat(LG5), f64x2.mul(w, splat(LG7))))))));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(splat(0.5), f), f);
  const yWide = f64x2.sub(dkHi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), dkLo)), f));
  const yNarrow = f64x2.sub(dkHi, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, R)), dkLo), f));
  const isSmall = i64x2.lt_s(v128.and(i64x2.add(hx, isplat(2)), isplat(0x000fffff)), isplat(3));
  const isWide = i64x2.gt_s(v128.or(i64x2.sub(hx, isplat(0x6147a)), i64x2.sub(isplat(0x6b851), hx)), isplat(0));
  let y = select(isSmall, ySmall, select(isWide, yWide, yNarrow));
  // special values
  y = select(f64x2.eq(x, splat(0.0)), splat(-Infinity), y);
  y = select(f64x2.lt(x, splat(0.0)), splat(NaN), y);
  y = select(f64x2.eq(x, splat(Infinity)), x, y);
  return select(f64x2.ne(x, x), x, y);
}

/** 1 / (1 + e^-x), lane-wise, without overflow: e^-|x| never exceeds 1. */
@inline export function sigmoidF64x2(x: v128): v128 {
  const e = expF64x2(f64x2.neg(f64x2.abs(x)));
  const num = select(f64x2.ge(x, splat(0.0)), splat(1.0), e);
  return f64x2.div(num, f64x2.add(splat(1.0), e));
}
