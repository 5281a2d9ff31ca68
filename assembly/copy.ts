// Strided copy of an n-dimensional window: the one kernel behind transpose, broadcast,
// slice and its scatter. Element i of the window (a multi-index over `shape`) is read at
// src + Σ i_d * srcStride_d and written at dst + Σ i_d * dstStride_d (strides in elements,
// 0 repeats a value). `args` holds four i32 arrays of ndim entries: shape, source strides,
// destination strides, and room for the running index.

@inline function copyRun<T>(src: usize, srcStep: usize, dst: usize, dstStep: usize, n: i32): void {
  const size = sizeof<T>();
  if (srcStep == size && dstStep == size) {
    memory.copy(dst, src, (<usize>n) * size);
  } else if (srcStep == 0) {
    const v = load<T>(src);
    for (let j = 0; j < n; j++) {
      store<T>(dst, v);
      dst += dstStep;
    }
  } else {
    for (let j = 0; j < n; j++) {
      store<T>(dst, load<T>(src));
      src += srcStep;
      dst += dstStep;
    }
  }
}

@inline function stridedCopy<T>(src: usize, dst: usize, ndim: i32, args: usize): void {
  const size = sizeof<T>();
  if (ndim == 0) {
    store<T>(dst, load<T>(src));
    return;
  }
  const shape = args;
  const sStr = args + (<usize>ndim) * 4;
  const dStr = args + (<usize>ndim) * 8;
  const idx = args + (<usize>ndim) * 12;
  for (let d = 0; d < ndim; d++) {
    if (load<i32>(shape + (<usize>d) * 4) == 0) return;
    store<i32>(idx + (<usize>d) * 4, 0);
  }
  const last = (<usize>(ndim - 1)) * 4;
  const n = load<i32>(shape + last);
  const srcStep = (<usize>load<i32>(sStr + last)) * size;
  const dstStep = (<usize>load<i32>(dStr + last)) * size;
  let s = src;
  let t = dst;
  while (true) {
    copyRun<T>(s, srcStep, t, dstStep, n);
    // advance the index over all axes but the last, odometer style
    let d = ndim - 2;
    for (; d >= 0; d--) {
      const p = (<usize>d) * 4;
      const i = load<i32>(idx + p) + 1;
      const ss = (<isize>load<i32>(sStr + p)) * size;
      const ds = (<isize>load<i32>(dStr + p)) * size;
      if (i < load<i32>(shape + p)) {
        store<i32>(idx + p, i);
        s += ss;
        t += ds;
        break;
      }
      store<i32>(idx + p, 0);
      s -= ss * (i - 1);
      t -= ds * (i - 1);
    }
    if (d < 0) return;
  }
}

/** Strided copy of 4-byte elements (float32, int32). */
export function copy32(src: usize, dst: usize, ndim: i32, args: usize): void {
  stridedCopy<u32>(src, dst, ndim, args);
}

/** Strided copy of 8-byte elements (float64). */
export function copy64(src: usize, dst: usize, ndim: i32, args: usize): void {
  stridedCopy<u64>(src, dst, ndim, args);
}
