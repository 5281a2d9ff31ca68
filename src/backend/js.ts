import { typedArrayFor, dtypeOfArray, type DType, type TypedArray } from '../core/dtype.js';
import { broadcastStrides, contiguousSliceStart, matmulDims, sizeOf, stridesOf, type Shape } from '../core/shape.js';
import type { Activation, ArgReduceKind, Backend, BinaryFn, ReduceKind, Storage, UnaryFn } from './backend.js';

/**
 * The reference backend: plain TypeScript loops over typed arrays. Every other backend is
 * tested against it.
 */

const arr = (s: Storage): TypedArray => s as unknown as TypedArray;
const wrap = (a: TypedArray): Storage => a as unknown as Storage;


/**
 * Visits every position of `outShape` in row-major order, calling `body` once per run of
 * the last axis with the offsets of each operand at the run's start. Operands are given by
 * their strides aligned to `outShape`.
 */
function forEachRow(outShape: Shape, strides: readonly (readonly number[])[], body: (offsets: number[], outOffset: number) => void): void {
  const nd = outShape.length;
  const total = sizeOf(outShape);
  if (total === 0) return;
  if (nd === 0) {
    body(strides.map(() => 0), 0);
    return;
  }
  const inner = outShape[nd - 1];
  const idx = new Array<number>(nd).fill(0);
  const offsets = strides.map(() => 0);
  for (let outOffset = 0; outOffset < total; outOffset += inner) {
    body(offsets, outOffset);
    // advance the odometer over all axes but the last
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < strides.length; k++) offsets[k] += strides[k][d];
      if (idx[d] < outShape[d]) break;
      for (let k = 0; k < strides.length; k++) offsets[k] -= strides[k][d] * outShape[d];
      idx[d] = 0;
    }
  }
}

/** One run of a binary op: out[o + j] = a[oa + j·ia] ∘ b[ob + j·ib] for j < n. */
type RowKernel = (out: TypedArray, o: number, a: TypedArray, oa: number, ia: number, b: TypedArray, ob: number, ib: number, n: number) => void;

/**
 * Loops written out for the hottest binary ops: calling the op's scalar function per
 * element from one shared loop costs an indirect call each time, several times the
 * arithmetic itself. Each function literal here keeps its own type feedback.
 */
const ROW_KERNELS: Record<string, RowKernel> = {
  add(out, o, a, oa, ia, b, ob, ib, n) {
    for (let j = 0; j < n; j++) out[o + j] = a[oa + j * ia] + b[ob + j * ib];
  },
  sub(out, o, a, oa, ia, b, ob, ib, n) {
    for (let j = 0; j < n; j++) out[o + j] = a[oa + j * ia] - b[ob + j * ib];
  },
  mul(out, o, a, oa, ia, b, ob, ib, n) {
    for (let j = 0; j < n; j++) out[o + j] = a[oa + j * ia] * b[ob + j * ib];
  },
  div(out, o, a, oa, ia, b, ob, ib, n) {
    for (let j = 0; j < n; j++) out[o + j] = a[oa + j * ia] / b[ob + j * ib];
  },
};

export class JsBackend implements Backend {
  readonly name = 'js';

  fromArray(values: ArrayLike<number>, dtype: DType): Storage {
    const out = typedArrayFor(dtype, values.length);
    if (dtype === 'int32') for (let i = 0; i < values.length; i++) out[i] = Math.trunc(values[i]);
    else out.set(values as ArrayLike<number>);
    return wrap(out);
  }

  full(size: number, value: number, dtype: DType): Storage {
    const out = typedArrayFor(dtype, size);
    if (value !== 0) out.fill(value);
    return wrap(out);
  }

  read(s: Storage): TypedArray {
    return arr(s);
  }

  readAt(s: Storage, index: number): number {
    return arr(s)[index];
  }

  cast(s: Storage, to: DType): Storage {
    const x = arr(s);
    const out = typedArrayFor(to, x.length);
    if (to === 'int32' && dtypeOfArray(x) !== 'int32') for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i]);
    else out.set(x);
    return wrap(out);
  }

  unary(_name: string, fn: UnaryFn, s: Storage, outDtype: DType): Storage {
    const x = arr(s);
    const out = typedArrayFor(outDtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = fn(x[i]);
    return wrap(out);
  }

  binary(name: string, fn: BinaryFn, sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, outShape: Shape, outDtype: DType): Storage {
    const a = arr(sa);
    const b = arr(sb);
    const n = sizeOf(outShape);
    const out = typedArrayFor(outDtype, n);
    const row = ROW_KERNELS[name];
    if (row && outDtype !== 'int32') {
      if (a.length === n && b.length === n) row(out, 0, a, 0, 1, b, 0, 1, n);
      else if (b.length === 1 && a.length === n) row(out, 0, a, 0, 1, b, 0, 0, n);
      else if (a.length === 1 && b.length === n) row(out, 0, a, 0, 0, b, 0, 1, n);
      else {
        const sa2 = broadcastStrides(aShape, outShape);
        const sb2 = broadcastStrides(bShape, outShape);
        const nd = outShape.length;
        const inner = outShape[nd - 1];
        forEachRow(outShape, [sa2, sb2], ([oa, ob], o) => row(out, o, a, oa, sa2[nd - 1], b, ob, sb2[nd - 1], inner));
      }
    } else if (a.length === n && b.length === n) {
      for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]);
    } else if (b.length === 1 && a.length === n) {
      const bv = b[0];
      for (let i = 0; i < n; i++) out[i] = fn(a[i], bv);
    } else if (a.length === 1 && b.length === n) {
      const av = a[0];
      for (let i = 0; i < n; i++) out[i] = fn(av, b[i]);
    } else {
      const sa2 = broadcastStrides(aShape, outShape);
      const sb2 = broadcastStrides(bShape, outShape);
      const nd = outShape.length;
      const inner = outShape[nd - 1];
      const ia = sa2[nd - 1];
      const ib = sb2[nd - 1];
      forEachRow(outShape, [sa2, sb2], ([oa, ob], o) => {
        for (let j = 0; j < inner; j++) out[o + j] = fn(a[oa + j * ia], b[ob + j * ib]);
      });
    }
    return wrap(out);
  }

  where(sc: Storage, cShape: Shape, sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, outShape: Shape, outDtype: DType): Storage {
    const c = arr(sc);
    const a = arr(sa);
    const b = arr(sb);
    const n = sizeOf(outShape);
    const out = typedArrayFor(outDtype, n);
    if (n === 0) return wrap(out);
    if (outShape.length === 0) {
      out[0] = c[0] ? a[0] : b[0];
      return wrap(out);
    }
    const s = [cShape, aShape, bShape].map((sh) => broadcastStrides(sh, outShape));
    const nd = outShape.length;
    const inner = outShape[nd - 1];
    const [ic, ia, ib] = s.map((st) => st[nd - 1]);
    forEachRow(outShape, s, ([oc, oa, ob], o) => {
      for (let j = 0; j < inner; j++) out[o + j] = c[oc + j * ic] ? a[oa + j * ia] : b[ob + j * ib];
    });
    return wrap(out);
  }

  reduce(kind: ReduceKind, s: Storage, shape: Shape, axes: readonly number[], outDtype: DType): Storage {
    const x = arr(s);
    const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outSize = sizeOf(keptShape);
    // accumulate in float64 whatever the output dtype, then store once
    const acc = new Float64Array(outSize);
    if (kind === 'max') acc.fill(-Infinity);
    else if (kind === 'min') acc.fill(Infinity);
    if (x.length > 0) {
      // strides into the output for each input axis (0 on reduced axes)
      const outStrides = stridesOf(keptShape).map((st, i) => (axes.includes(i) ? 0 : st));
      const nd = shape.length;
      if (nd === 0) {
        acc[0] = x[0];
      } else {
        const inner = shape[nd - 1];
        const io = outStrides[nd - 1];
        forEachRow(shape, [outStrides], ([o], i0) => {
          if (kind === 'sum') {
            if (io === 0) {
              let t = 0;
              for (let j = 0; j < inner; j++) t += x[i0 + j];
              acc[o] += t;
            } else for (let j = 0; j < inner; j++) acc[o + j * io] += x[i0 + j];
          } else if (kind === 'max') {
            for (let j = 0; j < inner; j++) {
              const v = x[i0 + j];
              const k = o + j * io;
              if (v > acc[k] || v !== v) acc[k] = v;
            }
          } else {
            for (let j = 0; j < inner; j++) {
              const v = x[i0 + j];
              const k = o + j * io;
              if (v < acc[k] || v !== v) acc[k] = v;
            }
          }
        });
      }
    }
    const out = typedArrayFor(outDtype, outSize);
    out.set(acc);
    return wrap(out);
  }

  argReduce(kind: ArgReduceKind, s: Storage, shape: Shape, axis: number): Storage {
    const x = arr(s);
    const n = shape[axis];
    const outer = sizeOf(shape.slice(0, axis));
    const inner = sizeOf(shape.slice(axis + 1));
    const out = new Int32Array(outer * inner);
    const better = kind === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = x[o * n * inner + i];
        let bi = 0;
        // NaN counts as the extreme value, as in NumPy: the first NaN wins
        if (best === best) {
          for (let k = 1; k < n; k++) {
            const v = x[(o * n + k) * inner + i];
            if (v !== v) {
              bi = k;
              break;
            }
            if (better(v, best)) {
              best = v;
              bi = k;
            }
          }
        }
        out[o * inner + i] = bi;
      }
    }
    return wrap(out);
  }

  linear(x: Storage, w: Storage, bias: Storage | null, M: number, K: number, N: number, activation: Activation | null, outDtype: DType): Storage {
    const out = arr(this.matmul(x, [M, K], w, [K, N], false, false, outDtype));
    // the product is this call's own array: bias and activation are applied in place
    if (bias !== null) {
      const b = arr(bias);
      for (let r = 0, o = 0; r < M; r++) for (let c = 0; c < N; c++, o++) out[o] = out[o] + b[c];
    }
    if (activation !== null) {
      const fn = activation.fn;
      for (let i = 0; i < out.length; i++) out[i] = fn(out[i]);
    }
    return wrap(out);
  }

  matmul(sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, transA: boolean, transB: boolean, outDtype: DType): Storage {
    const a = arr(sa);
    const b = arr(sb);
    const { M, K, N, aBatch, bBatch, batchShape, batches } = matmulDims(aShape, bShape, transA, transB);
    const nb = batchShape.length;
    const out = typedArrayFor(outDtype, batches * M * N);
    const acc = new Float64Array(N);
    const aStr = broadcastStrides(aBatch, batchShape);
    const bStr = broadcastStrides(bBatch, batchShape);
    const bIdx = new Array<number>(nb).fill(0);
    for (let t = 0; t < batches; t++) {
      let ao = 0;
      let bo = 0;
      for (let d = 0; d < nb; d++) {
        ao += bIdx[d] * aStr[d];
        bo += bIdx[d] * bStr[d];
      }
      ao *= M * K;
      bo *= K * N;
      const oo = t * M * N;
      // a[i, k] at ao + i * ai + k * ak; b[k, j] at bo + k * bk + j * bj
      const ai = transA ? 1 : K;
      const ak = transA ? M : 1;
      const bk = transB ? 1 : N;
      const bj = transB ? K : 1;
      for (let i = 0; i < M; i++) {
        if (!transB) {
          // i-k-j order: rows of b are contiguous
          acc.fill(0);
          for (let k = 0; k < K; k++) {
            const av = a[ao + i * ai + k * ak];
            if (av === 0) continue;
            const row = bo + k * bk;
            for (let j = 0; j < N; j++) acc[j] += av * b[row + j];
          }
          for (let j = 0; j < N; j++) out[oo + i * N + j] = acc[j];
        } else {
          for (let j = 0; j < N; j++) {
            let s = 0;
            const col = bo + j * bj;
            for (let k = 0; k < K; k++) s += a[ao + i * ai + k * ak] * b[col + k];
            out[oo + i * N + j] = s;
          }
        }
      }
      for (let d = nb - 1; d >= 0; d--) {
        if (++bIdx[d] < batchShape[d]) break;
        bIdx[d] = 0;
      }
    }
    return wrap(out);
  }

  transpose(s: Storage, shape: Shape, perm: readonly number[]): Storage {
    const x = arr(s);
    const outShape = perm.map((p) => shape[p]);
    const inStrides = stridesOf(shape);
    const permStrides = perm.map((p) => inStrides[p]);
    const out = typedArrayFor(dtypeOfArray(x), x.length);
    const nd = outShape.length;
    if (nd === 0) {
      out.set(x);
      return wrap(out);
    }
    const inner = outShape[nd - 1];
    const is = permStrides[nd - 1];
    forEachRow(outShape, [permStrides], ([o], oo) => {
      for (let j = 0; j < inner; j++) out[oo + j] = x[o + j * is];
    });
    return wrap(out);
  }

  broadcastTo(s: Storage, shape: Shape, outShape: Shape): Storage {
    const x = arr(s);
    const out = typedArrayFor(dtypeOfArray(x), sizeOf(outShape));
    const nd = outShape.length;
    if (nd === 0 || x.length === 1) {
      out.fill(x[0] ?? 0);
      return wrap(out);
    }
    const st = broadcastStrides(shape, outShape);
    const inner = outShape[nd - 1];
    const is = st[nd - 1];
    forEachRow(outShape, [st], ([o], oo) => {
      for (let j = 0; j < inner; j++) out[oo + j] = x[o + j * is];
    });
    return wrap(out);
  }

  slice(s: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage {
    const x = arr(s);
    // one contiguous run (a batch of rows): a view of the same data, which no op writes to
    const start = contiguousSliceStart(shape, begin, step, outShape);
    if (start >= 0) return wrap(x.subarray(start, start + sizeOf(outShape)));
    const out = typedArrayFor(dtypeOfArray(x), sizeOf(outShape));
    this.stridedCopy(shape, begin, step, outShape, (src, dst, n, inc) => {
      for (let j = 0; j < n; j++) out[dst + j] = x[src + j * inc];
    });
    return wrap(out);
  }

  scatterSlice(s: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage {
    const x = arr(s);
    const out = typedArrayFor(dtypeOfArray(x), sizeOf(outShape));
    // `shape` is the small (sliced) shape; walk it and write into the big one
    this.stridedCopy(outShape, begin, step, shape, (dst, src, n, inc) => {
      for (let j = 0; j < n; j++) out[dst + j * inc] = x[src + j];
    });
    return wrap(out);
  }

  /** Walks a strided window of a tensor of `bigShape`: window position i maps to begin + i * step. */
  private stridedCopy(
    bigShape: Shape,
    begin: readonly number[],
    step: readonly number[],
    windowShape: Shape,
    run: (bigOffset: number, windowOffset: number, n: number, bigInc: number) => void,
  ): void {
    if (sizeOf(windowShape) === 0) return;
    const bigStrides = stridesOf(bigShape);
    const nd = bigShape.length;
    if (nd === 0) {
      run(0, 0, 1, 0);
      return;
    }
    let base = 0;
    for (let d = 0; d < nd; d++) base += begin[d] * bigStrides[d];
    const winStrides = bigStrides.map((st, d) => st * step[d]);
    const inner = windowShape[nd - 1];
    forEachRow(windowShape, [winStrides], ([o], wo) => run(base + o, wo, inner, winStrides[nd - 1]));
  }

  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape, outDtype: DType): Storage {
    const out = typedArrayFor(outDtype, sizeOf(outShape));
    const outer = sizeOf(outShape.slice(0, axis));
    const innerOut = sizeOf(outShape.slice(axis));
    let offset = 0;
    xs.forEach((s, k) => {
      const x = arr(s);
      const inner = sizeOf(shapes[k].slice(axis));
      for (let o = 0; o < outer; o++) {
        const src = o * inner;
        const dst = o * innerOut + offset;
        for (let j = 0; j < inner; j++) out[dst + j] = x[src + j];
      }
      offset += inner;
    });
    return wrap(out);
  }
}
