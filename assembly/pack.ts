// Packing for the blocked matrix product: copies a block of an operand, read through any
// (row stride, column stride), into the layout the micro-kernel streams through, so the
// kernel sees unit-stride data whatever the operand's transposition. Partial panels are
// zero-padded, which lets the kernel always run full-size tiles.

/**
 * Packs rows [i0, i0 + mc) and depth [k0, k0 + kc) of A into panels of `mr` rows: panel p
 * holds, for each k in turn, the mr values A(i0 + p*mr + r, k0 + k), r = 0..mr-1.
 * A(i, k) is at a + (i * rs + k * cs) elements.
 */
@inline
export function packA<T>(a: usize, rs: i32, cs: i32, i0: i32, k0: i32, mc: i32, kc: i32, mr: i32, dst: usize): void {
  const size = sizeof<T>();
  for (let p = 0; p < mc; p += mr) {
    const rows = min(mr, mc - p);
    if (rows == mr && rs == 1) {
      // transposed A: the mr values of one k are adjacent in memory
      let src = a + ((<usize>(i0 + p)) + (<usize>k0) * cs) * size;
      const step = (<usize>cs) * size;
      for (let k = 0; k < kc; k++) {
        if (<usize>mr * size == 16) {
          v128.store(dst, v128.load(src));
        } else if (<usize>mr * size == 32) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          for (let r = 0; r < mr; r++) store<T>(dst + (<usize>r) * size, load<T>(src + (<usize>r) * size));
        }
        src += step;
        dst += (<usize>mr) * size;
      }
    } else {
      for (let r = 0; r < mr; r++) {
        if (r < rows) {
          let src = a + ((<usize>(i0 + p + r)) * rs + (<usize>k0) * cs) * size;
          const step = (<usize>cs) * size;
          let d = dst + (<usize>r) * size;
          for (let k = 0; k < kc; k++) {
            store<T>(d, load<T>(src));
            src += step;
            d += (<usize>mr) * size;
          }
        } else {
          let d = dst + (<usize>r) * size;
          for (let k = 0; k < kc; k++) {
            store<T>(d, <T>0);
            d += (<usize>mr) * size;
          }
        }
      }
      dst += (<usize>kc) * mr * size;
    }
  }
}

/**
 * Packs depth [k0, k0 + kc) and columns [j0, j0 + nc) of B into panels of `nr` columns:
 * panel p holds, for each k in turn, the nr values B(k0 + k, j0 + p*nr + c).
 * B(k, j) is at b + (k * rs + j * cs) elements.
 */
@inline
export function packB<T>(b: usize, rs: i32, cs: i32, k0: i32, j0: i32, kc: i32, nc: i32, nr: i32, dst: usize): void {
  const size = sizeof<T>();
  for (let p = 0; p < nc; p += nr) {
    const cols = min(nr, nc - p);
    if (cols == nr && cs == 1 && <usize>nr * size == 32) {
      // B rows are contiguous: copy the nr adjacent values (32 bytes) of each k
      let src = b + ((<usize>k0) * rs + (<usize>(j0 + p))) * size;
      const step = (<usize>rs) * size;
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += 32;
      }
    } else {
      for (let c = 0; c < nr; c++) {
        let d = dst + (<usize>c) * size;
        if (c < cols) {
          let src = b + ((<usize>k0) * rs + (<usize>(j0 + p + c)) * cs) * size;
          const step = (<usize>rs) * size;
          for (let k = 0; k < kc; k++) {
            store<T>(d, load<T>(src));
            src += step;
            d += (<usize>nr) * size;
          }
        } else {
          for (let k = 0; k < kc; k++) {
            store<T>(d, <T>0);
            d += (<usize>nr) * size;
          }
        }
      }
      dst += (<usize>kc) * nr * size;
    }
  }
}
