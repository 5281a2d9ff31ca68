// Blocked matrix product C = A·B with 128-bit SIMD, in the GotoBLAS arrangement: B is packed
// a (KC x NC) block at a time, A a (MC x KC) block at a time, and a register-blocked
// micro-kernel multiplies an MR-row panel of A by an NR-column panel of B, keeping the
// MR x NR tile of C in registers over the whole depth KC. Operands are read through
// (row stride, column stride) pairs, so transposed operands cost nothing beyond packing.
import { packA, packB } from './pack';

// float32: 4 x 8 tiles (8 f32x4 accumulators); float64: 4 x 4 tiles (8 f64x2 accumulators).
// The two micro-kernels below are written out twice on purpose: their tiles differ (8 vs 4
// columns), and the lane-typed SIMD instructions (f32x4 / f64x2, load32 / load64 splats)
// must be constants inside the hot loop, which a generic over T would not guarantee.
const MR = 4;
const NR32 = 8;
const NR64 = 4;
const KC = 256;
const MC = 128;
const NC = 1024;

/** Bytes of scratch one call of matmulF32 / matmulF64 needs (packed blocks and a tile). */
export function matmulScratchBytes(): usize {
  return (MC * KC + KC * NC + MR * 8) * 8;
}

/** Where the block of A goes inside the scratch area. */
@inline function packAAt(scratch: usize): usize {
  return scratch;
}
@inline function packBAt(scratch: usize): usize {
  return scratch + MC * KC * 8;
}
@inline function tileAt(scratch: usize): usize {
  return scratch + (MC * KC + KC * NC) * 8;
}

/** C[rows x cols] (+)= tile, the tile being row-major with `nr` columns. */
@inline
function storePartial<T>(tile: usize, nr: i32, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool): void {
  const size = sizeof<T>();
  for (let r = 0; r < rows; r++) {
    const row = c + (<usize>r) * ldc;
    const t = tile + (<usize>(r * nr)) * size;
    for (let j = 0; j < cols; j++) {
      const v = load<T>(t + (<usize>j) * size);
      store<T>(row + (<usize>j) * size, accumulate ? load<T>(row + (<usize>j) * size) + v : v);
    }
  }
}

@inline
function put(p: usize, v: v128, accumulate: bool, isF32: bool): void {
  if (accumulate) v = isF32 ? f32x4.add(v128.load(p), v) : f64x2.add(v128.load(p), v);
  v128.store(p, v);
}

/** One 4 x 8 float32 tile: C (+)= packedA(4 x kc) · packedB(kc x 8). */
function kernelF32(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    pa += 16;
    pb += 32;
  }
  if (rows == 4 && cols == 8) {
    put(c, c00, accumulate, true);
    put(c + 16, c01, accumulate, true);
    c += ldc;
    put(c, c10, accumulate, true);
    put(c + 16, c11, accumulate, true);
    c += ldc;
    put(c, c20, accumulate, true);
    put(c + 16, c21, accumulate, true);
    c += ldc;
    put(c, c30, accumulate, true);
    put(c + 16, c31, accumulate, true);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    storePartial<f32>(tile, 8, c, ldc, rows, cols, accumulate);
  }
}

/** One 4 x 4 float64 tile: C (+)= packedA(4 x kc) · packedB(kc x 4). */
function kernelF64(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, rows: i32, cols: i32, accumulate: bool, tile: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += 32;
    pb += 32;
  }
  if (rows == 4 && cols == 4) {
    put(c, c00, accumulate, false);
    put(c + 16, c01, accumulate, false);
    c += ldc;
    put(c, c10, accumulate, false);
    put(c + 16, c11, accumulate, false);
    c += ldc;
    put(c, c20, accumulate, false);
    put(c + 16, c21, accumulate, false);
    c += ldc;
    put(c, c30, accumulate, false);
    put(c + 16, c31, accumulate, false);
  } else {
    v128.store(tile, c00);
    v128.store(tile, c01, 16);
    v128.store(tile, c10, 32);
    v128.store(tile, c11, 48);
    v128.store(tile, c20, 64);
    v128.store(tile, c21, 80);
    v128.store(tile, c30, 96);
    v128.store(tile, c31, 112);
    storePartial<f64>(tile, 4, c, ldc, rows, cols, accumulate);
  }
}

/**
 * C (M x N, row-major, contiguous) = A·B with A(i, k) at a + i*rsA + k*csA and B(k, j) at
 * b + k*rsB + j*csB (strides in elements). Rows [m0, m1) only, so that threads can split
 * the rows of one product. `scratch` holds matmulScratchBytes() bytes.
 */
@inline
function gemm<T>(
  a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  rsA: i32, csA: i32, rsB: i32, csB: i32, m0: i32, m1: i32, scratch: usize,
): void {
  const size = sizeof<T>();
  const nr = size == 4 ? NR32 : NR64;
  const ldc = (<usize>N) * size;
  if (K == 0) {
    memory.fill(c + (<usize>m0) * ldc, 0, (<usize>(m1 - m0)) * ldc);
    return;
  }
  const pA = packAAt(scratch);
  const pB = packBAt(scratch);
  const tile = tileAt(scratch);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB<T>(b, rsB, csB, pc, jc, kc, nc, nr, pB);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA<T>(a, rsA, csA, ic, pc, mc, kc, MR, pA);
        for (let jr = 0; jr < nc; jr += nr) {
          const cols = min(nr, nc - jr);
          const panelB = pB + (<usize>jr) * kc * size;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const panelA = pA + (<usize>ir) * kc * size;
            const cTile = c + (<usize>(ic + ir)) * ldc + (<usize>(jc + jr)) * size;
            if (size == 4) kernelF32(panelA, panelB, kc, cTile, ldc, rows, cols, pc > 0, tile);
            else kernelF64(panelA, panelB, kc, cTile, ldc, rows, cols, pc > 0, tile);
          }
        }
      }
    }
  }
}

/** float32 C = A·B over rows [m0, m1); see gemm for the arguments. */
export function matmulF32(
  a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  rsA: i32, csA: i32, rsB: i32, csB: i32, m0: i32, m1: i32, scratch: usize,
): void {
  gemm<f32>(a, b, c, M, N, K, rsA, csA, rsB, csB, m0, m1, scratch);
}

/** float64 C = A·B over rows [m0, m1); see gemm for the arguments. */
export function matmulF64(
  a: usize, b: usize, c: usize, M: i32, N: i32, K: i32,
  rsA: i32, csA: i32, rsB: i32, csB: i32, m0: i32, m1: i32, scratch: usize,
): void {
  gemm<f64>(a, b, c, M, N, K, rsA, csA, rsB, csB, m0, m1, scratch);
}
