// Matrix-vector product y = A·x with 128-bit SIMD, for the products where one side of a
// matmul is a single row or column (a layer with one output, its gradient): the blocked
// matmul would pad the vector to a full register tile and waste most of its work.
// A(i, k) is at a + (i * rs + k * cs) elements, x[k] at x + k * xs; y is contiguous.

@inline function dotRow<T>(row: usize, x: usize, n: i32): T {
  const size = sizeof<T>();
  const bytes = (<usize>n) * size;
  let i: usize = 0;
  let s0 = v128.splat<i64>(0);
  let s1 = v128.splat<i64>(0);
  for (; i + 32 <= bytes; i += 32) {
    if (size == 4) {
      s0 = f32x4.add(s0, f32x4.mul(v128.load(row + i), v128.load(x + i)));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(row + i, 16), v128.load(x + i, 16)));
    } else {
      s0 = f64x2.add(s0, f64x2.mul(v128.load(row + i), v128.load(x + i)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(row + i, 16), v128.load(x + i, 16)));
    }
  }
  let total: T;
  if (size == 4) {
    const s = f32x4.add(s0, s1);
    total = <T>(f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  } else {
    const s = f64x2.add(s0, s1);
    total = <T>(f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  }
  for (; i < bytes; i += size) total += load<T>(row + i) * load<T>(x + i);
  return total;
}

@inline function gemv<T>(a: usize, rs: i32, cs: i32, x: usize, xs: i32, y: usize, rows: i32, cols: i32): void {
  const size = sizeof<T>();
  if (cs == 1 && xs == 1) {
    // rows of A are contiguous, and so is x: one dot product per row
    for (let i = 0; i < rows; i++) store<T>(y + (<usize>i) * size, dotRow<T>(a + (<usize>i) * rs * size, x, cols));
    return;
  }
  if (rs == 1) {
    // columns of A are contiguous: y = Σ_k x[k] · column k
    const bytes = (<usize>rows) * size;
    memory.fill(y, 0, bytes);
    for (let k = 0; k < cols; k++) {
      const col = a + (<usize>k) * cs * size;
      const xk = load<T>(x + (<usize>k) * xs * size);
      const v = size == 4 ? f32x4.splat(<f32>xk) : f64x2.splat(<f64>xk);
      let i: usize = 0;
      for (; i + 16 <= bytes; i += 16) {
        const p = y + i;
        v128.store(p, size == 4 ? f32x4.add(v128.load(p), f32x4.mul(v, v128.load(col + i))) : f64x2.add(v128.load(p), f64x2.mul(v, v128.load(col + i))));
      }
      for (; i < bytes; i += size) store<T>(y + i, load<T>(y + i) + xk * load<T>(col + i));
    }
    return;
  }
  for (let i = 0; i < rows; i++) {
    let s: T = <T>0;
    for (let k = 0; k < cols; k++) s += load<T>(a + (<usize>i * rs + <usize>k * cs) * size) * load<T>(x + (<usize>k) * xs * size);
    store<T>(y + (<usize>i) * size, s);
  }
}

/** float32 y = A·x (see the top of this file for the layout). */
export function gemvF32(a: usize, rs: i32, cs: i32, x: usize, xs: i32, y: usize, rows: i32, cols: i32): void {
  gemv<f32>(a, rs, cs, x, xs, y, rows, cols);
}

/** float64 y = A·x. */
export function gemvF64(a: usize, rs: i32, cs: i32, x: usize, xs: i32, y: usize, rows: i32, cols: i32): void {
  gemv<f64>(a, rs, cs, x, xs, y, rows, cols);
}
