import { isFloat, itemSize, type DType, type TypedArray } from '../../core/dtype.js';
import { contiguousSliceStart, sizeOf, stridesOf, type Shape } from '../../core/shape.js';
import type { Activation, ArgReduceKind, Backend, BinaryFn, ReduceKind, Storage, UnaryFn } from '../backend.js';
import { JsBackend } from '../js.js';
import { WasmStorage, type WasmHeap } from './heap.js';
import { fold, forEachOuter, reductionBlocks, stridesFor, type Folded } from './layout.js';
import { BINARY_CODES, PARAMETRIC_BINARY, REDUCE_CODES, UNARY_CODES } from './op-codes.js';
import { WasmMatmul } from './matmul.js';
import type { KernelThreads } from './threads.js';

const asStorage = (s: WasmStorage): Storage => s as unknown as Storage;

/**
 * The source of a storage that is a pending matrix transpose, if it is one and is seen with
 * the transposed shape (a reshape of it shares the storage under another shape).
 */
function pendingTranspose(s: Storage, shape: Shape): WasmStorage['transposeOf'] {
  const lazy = s instanceof WasmStorage ? s.transposeOf : null;
  if (!lazy) return null;
  const src = lazy.sourceShape;
  const nd = src.length;
  if (shape.length !== nd || shape[nd - 1] !== src[nd - 2] || shape[nd - 2] !== src[nd - 1]) return null;
  for (let i = 0; i < nd - 2; i++) if (shape[i] !== src[i]) return null;
  return lazy;
}

/** Whether `perm` swaps the last two axes and keeps the others in place. */
function isMatrixTranspose(perm: readonly number[]): boolean {
  const nd = perm.length;
  if (nd < 2 || perm[nd - 2] !== nd - 1 || perm[nd - 1] !== nd - 2) return false;
  for (let i = 0; i < nd - 2; i++) if (perm[i] !== i) return false;
  return true;
}

/** Whether `shape` equals the trailing axes of `outShape` (a row that repeats down the rest). */
function endsWith(outShape: Shape, shape: Shape): boolean {
  const off = outShape.length - shape.length;
  if (off < 0) return false;
  for (let i = 0; i < shape.length; i++) if (shape[i] !== outShape[off + i]) return false;
  return true;
}

/** Dimensions the kept argument block of the copy kernel has room for (more use a temporary). */
const COPY_ARGS_MAX_DIMS = 32;

/**
 * The WebAssembly backend: tensor data lives in the module's linear memory and the kernels
 * written in AssemblyScript (assembly/) work on it in place with 128-bit SIMD.
 *
 * Native: matmul (float32, float64; transpose flags; batches that broadcast), the
 * elementwise ops listed in op-codes.ts on float32 / float64 with any broadcast, sum / max /
 * min over any contiguous run of axes, and the strided copies behind transpose,
 * broadcastTo, slice, scatterSlice and concat. Everything else (other op names, int32
 * arithmetic, mixed dtypes, where, argmax) runs the reference kernels of the js backend
 * on views of the same memory, so every op works.
 *
 * Large products are split over worker threads when the memory is shared and the platform
 * has workers (matmul.ts, threads.ts).
 */
export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly reference = new JsBackend();
  /** A block for the copy kernel's shape and strides, allocated on first use and kept. */
  private copyArgs = -1;
  private readonly products: WasmMatmul;

  /**
   * @param heap the memory and the kernels
   * @param module the compiled kernels, for worker threads to instantiate (null: no threads)
   */
  constructor(
    readonly heap: WasmHeap,
    module: WebAssembly.Module | null = null,
  ) {
    this.products = new WasmMatmul(heap, module);
  }

  /** Threads a large matmul may use, the calling one included. */
  get numThreads(): number {
    return this.products.numThreads;
  }

  /** The worker threads, once a large product has started them (for tests and diagnostics). */
  get workerThreads(): KernelThreads | null {
    return this.products.workerThreads;
  }

  /** Sets how many threads a large matmul may use (1: no worker threads). */
  setNumThreads(n: number): void {
    this.products.setNumThreads(n);
  }

  // ---- storage ------------------------------------------------------------------------

  fromArray(values: ArrayLike<number>, dtype: DType): Storage {
    // a view of this memory (from `read`) could be detached by the allocation below
    if (ArrayBuffer.isView(values) && values.buffer === this.heap.memory.buffer) values = (values as TypedArray).slice();
    const s = this.heap.create(values.length, dtype);
    const v = this.heap.view(s);
    if (dtype === 'int32') for (let i = 0; i < values.length; i++) v[i] = Math.trunc(values[i]);
    else v.set(values);
    return asStorage(s);
  }

  full(size: number, value: number, dtype: DType): Storage {
    const s = this.heap.create(size, dtype);
    this.heap.view(s).fill(value);
    return asStorage(s);
  }

  /**
   * A view of the memory, not a copy (a batch loader reads a whole data set per batch). It
   * stays valid for the rest of the current synchronous run: blocks are reused only after
   * the garbage collector's finalizers ran (or, for a backward pass's own temporaries, which
   * nothing outside it can read, when it ends), and a shared memory keeps old views valid
   * when it grows; an ordinary one detaches them, so read before creating new tensors there.
   */
  read(s: Storage): TypedArray {
    return this.heap.view(this.own(s));
  }

  readAt(s: Storage, index: number): number {
    const w = this.own(s);
    if (w.ptr < 0) return w.host![index];
    const h = this.heap;
    h.refreshViews();
    if (w.dtype === 'float64') return h.f64[(w.ptr >>> 3) + index];
    if (w.dtype === 'float32') return h.f32[(w.ptr >>> 2) + index];
    return h.i32[(w.ptr >>> 2) + index];
  }

  cast(s: Storage, to: DType): Storage {
    const x = this.own(s);
    const out = this.heap.create(x.length, to);
    const src = this.heap.view(x);
    const dst = this.heap.view(out);
    if (to === 'int32' && x.dtype !== 'int32') for (let i = 0; i < src.length; i++) dst[i] = Math.trunc(src[i]);
    else dst.set(src);
    return asStorage(out);
  }

  // ---- elementwise --------------------------------------------------------------------

  unary(name: string, fn: UnaryFn, s: Storage, outDtype: DType): Storage {
    const x = this.own(s);
    if (this.heap.full) return this.viaReference((v) => this.reference.unary(name, fn, v(x), outDtype), outDtype);
    const code = UNARY_CODES.get(name);
    if (code !== undefined && x.dtype === outDtype && isFloat(outDtype)) {
      const h = this.heap;
      const out = h.output(x.length, outDtype);
      const px = h.input(x);
      if (outDtype === 'float32') h.kernels.unaryF32(code, px, out.ptr, x.length);
      else h.kernels.unaryF64(code, px, out.ptr, x.length);
      h.done();
      return asStorage(out);
    }
    const out = this.heap.create(x.length, outDtype);
    const src = this.heap.view(x);
    const dst = this.heap.view(out);
    for (let i = 0; i < src.length; i++) dst[i] = fn(src[i]);
    return asStorage(out);
  }

  binary(name: string, fn: BinaryFn, sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, outShape: Shape, outDtype: DType, params?: readonly number[]): Storage {
    const a = this.own(sa);
    const b = this.own(sb);
    let code = BINARY_CODES.get(name);
    // a kernel with parameters: only with them, and for operands of the result's size
    if (PARAMETRIC_BINARY.has(name) && (params === undefined || a.length !== b.length || a.length !== sizeOf(outShape))) code = undefined;
    if (this.heap.full || code === undefined || a.dtype !== outDtype || b.dtype !== outDtype || !isFloat(outDtype)) {
      return this.viaReference((v) => this.reference.binary(name, fn, v(a), aShape, v(b), bShape, outShape, outDtype), outDtype);
    }
    const n = sizeOf(outShape);
    const h = this.heap;
    const kernel = outDtype === 'float32' ? h.kernels.binaryF32 : h.kernels.binaryF64;
    // the common forms first, without any shape arithmetic
    const an = a.length;
    const bn = b.length;
    let rows = -1;
    let cols = 0;
    let aRow = 0;
    let aCol = 0;
    let bRow = 0;
    let bCol = 0;
    if (an === n && (bn === n || bn === 1)) {
      // equal shapes, or a scalar on the right
      rows = 1;
      cols = n;
      aCol = 1;
      bCol = bn === n ? 1 : 0;
    } else if (an === 1 && bn === n) {
      rows = 1;
      cols = n;
      bCol = 1;
    } else if (an === n && bn > 0 && endsWith(outShape, bShape)) {
      // b is a row repeated down a (a bias)
      rows = n / bn;
      cols = bn;
      aRow = bn;
      aCol = 1;
      bCol = 1;
    } else if (bn === n && an > 0 && endsWith(outShape, aShape)) {
      rows = n / an;
      cols = an;
      aCol = 1;
      bRow = an;
      bCol = 1;
    }
    if (rows >= 0) {
      const out = h.output(n, outDtype);
      kernel(code, h.input(a), h.input(b), out.ptr, rows, cols, aRow, aCol, bRow, bCol, params?.[0] ?? 0, params?.[1] ?? 0);
      h.done();
      return asStorage(out);
    }
    const folded = fold(outShape, [stridesFor(aShape, outShape), stridesFor(bShape, outShape), stridesOf(outShape)]);
    const nd = folded.shape.length;
    // (cannot happen for contiguous operands: their innermost stride is 0 or 1)
    if (nd > 0 && (folded.strides[0][nd - 1] > 1 || folded.strides[1][nd - 1] > 1)) {
      return this.viaReference((v) => this.reference.binary(name, fn, v(a), aShape, v(b), bShape, outShape, outDtype), outDtype);
    }
    const out = h.output(n, outDtype);
    const pa = h.input(a);
    const pb = h.input(b);
    const size = itemSize(outDtype);
    const [sA, sB] = folded.strides;
    if (nd <= 1) {
      kernel(code, pa, pb, out.ptr, 1, nd === 0 ? 1 : folded.shape[0], 0, nd === 0 ? 0 : sA[0], 0, nd === 0 ? 0 : sB[0], 0, 0);
    } else {
      const r = folded.shape[nd - 2];
      const c = folded.shape[nd - 1];
      forEachOuter(folded, 2, ([oa, ob, oo]) =>
        kernel(code, pa + oa * size, pb + ob * size, out.ptr + oo * size, r, c, sA[nd - 2], sA[nd - 1], sB[nd - 2], sB[nd - 1], 0, 0),
      );
    }
    h.done();
    return asStorage(out);
  }

  where(sc: Storage, cShape: Shape, sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, outShape: Shape, outDtype: DType): Storage {
    const [c, a, b] = [this.own(sc), this.own(sa), this.own(sb)];
    return this.viaReference((v) => this.reference.where(v(c), cShape, v(a), aShape, v(b), bShape, outShape, outDtype), outDtype);
  }

  // ---- reductions ---------------------------------------------------------------------

  reduce(kind: ReduceKind, s: Storage, shape: Shape, axes: readonly number[], outDtype: DType): Storage {
    const x = this.own(s);
    const blocks = x.dtype === outDtype && isFloat(outDtype) && !this.heap.full ? reductionBlocks(shape, axes) : null;
    if (blocks === null) return this.viaReference((v) => this.reference.reduce(kind, v(x), shape, axes, outDtype), outDtype);
    const { outer, n, inner } = blocks;
    const h = this.heap;
    const out = h.output(outer * inner, outDtype);
    const px = h.input(x);
    const acc = kind === 'sum' && outDtype === 'float32' && inner > 1 ? h.temp(inner * 8) : 0;
    if (outDtype === 'float32') h.kernels.reduceF32(REDUCE_CODES[kind], px, out.ptr, outer, n, inner, acc);
    else h.kernels.reduceF64(REDUCE_CODES[kind], px, out.ptr, outer, n, inner, acc);
    h.done();
    return asStorage(out);
  }

  argReduce(kind: ArgReduceKind, s: Storage, shape: Shape, axis: number): Storage {
    const x = this.own(s);
    return this.viaReference((v) => this.reference.argReduce(kind, v(x), shape, axis), 'int32');
  }

  // ---- matrix product -----------------------------------------------------------------

  matmul(sa: Storage, aShape: Shape, sb: Storage, bShape: Shape, transA: boolean, transB: boolean, outDtype: DType): Storage {
    // an operand that is a pending transpose is read in place, with its flag flipped
    // (a reshape shares the storage: only a tensor of the transposed shape can use the source)
    const lazyA = pendingTranspose(sa, aShape);
    const lazyB = pendingTranspose(sb, bShape);
    if (lazyA) [sa, aShape, transA] = [asStorage(lazyA.source), lazyA.sourceShape, !transA];
    if (lazyB) [sb, bShape, transB] = [asStorage(lazyB.source), lazyB.sourceShape, !transB];
    const a = this.own(sa);
    const b = this.own(sb);
    if (this.heap.full || a.dtype !== outDtype || b.dtype !== outDtype || !isFloat(outDtype)) {
      return this.viaReference((v) => this.reference.matmul(v(a), aShape, v(b), bShape, transA, transB, outDtype), outDtype);
    }
    if (aShape.length === 2 && bShape.length === 2) {
      const M = transA ? aShape[1] : aShape[0];
      const K = transA ? aShape[0] : aShape[1];
      if (K === 1) return this.outerProduct(a, b, M, transB ? bShape[0] : bShape[1], outDtype);
    }
    return asStorage(this.products.run(a, aShape, b, bShape, transA, transB, outDtype));
  }

  /**
   * A product with an inner dimension of 1 (the backward pass of a layer with one output:
   * g [M, 1] times wᵀ [1, N]) is an outer product, out[i, j] = a[i]·b[j]: the broadcast
   * multiply kernel does it without the blocked kernel's packing. Both operands are
   * contiguous vectors whatever their transpose flags, and each sum has a single term.
   */
  private outerProduct(a: WasmStorage, b: WasmStorage, M: number, N: number, dtype: DType): Storage {
    const h = this.heap;
    const out = h.output(M * N, dtype);
    if (M * N > 0) {
      const kernel = dtype === 'float32' ? h.kernels.binaryF32 : h.kernels.binaryF64;
      kernel(BINARY_CODES.get('mul')!, h.input(a), h.input(b), out.ptr, M, N, 1, 0, 0, 1, 0, 0);
      // + 0, as the sum that starts from zero: a product of -0 becomes +0
      const zero = h.temp(16);
      h.refreshViews();
      h.viewAt(zero, 1, dtype)[0] = 0;
      kernel(BINARY_CODES.get('add')!, out.ptr, zero, out.ptr, 1, M * N, 0, 1, 0, 0, 0, 0);
    }
    h.done();
    return asStorage(out);
  }

  linear(sx: Storage, sw: Storage, sbias: Storage | null, M: number, K: number, N: number, activation: Activation | null, outDtype: DType): Storage {
    const out = this.own(this.matmul(sx, [M, K], sw, [K, N], false, false, outDtype));
    const h = this.heap;
    if (out.host !== null || !isFloat(outDtype)) {
      // the full-heap fallback: the js kernels, on the host array
      const bias = sbias === null ? null : this.own(sbias);
      return this.viaReference((v) => {
        let y = v(out);
        if (bias !== null) y = this.reference.binary('add', (a, b) => a + b, y, [M, N], v(bias), [N], [M, N], outDtype);
        return activation === null ? y : this.reference.unary(activation.name, activation.fn, y, outDtype);
      }, outDtype);
    }
    // the product is this call's own block: bias and activation are applied in place
    if (sbias !== null && M * N > 0) {
      const bias = this.own(sbias);
      const add = outDtype === 'float32' ? h.kernels.binaryF32 : h.kernels.binaryF64;
      add(BINARY_CODES.get('add')!, out.ptr, h.input(bias), out.ptr, M, N, N, 1, 0, 1, 0, 0);
      h.done();
    }
    if (activation !== null && M * N > 0) {
      const code = UNARY_CODES.get(activation.name);
      if (code !== undefined) {
        if (outDtype === 'float32') h.kernels.unaryF32(code, out.ptr, out.ptr, M * N);
        else h.kernels.unaryF64(code, out.ptr, out.ptr, M * N);
      } else {
        h.refreshViews();
        const y = h.view(out);
        const fn = activation.fn;
        for (let i = 0; i < y.length; i++) y[i] = fn(y[i]);
      }
    }
    return asStorage(out);
  }

  // ---- lifetimes ----------------------------------------------------------------------

  beginTemporaries(): void {
    this.heap.beginTemporaries();
  }

  endTemporaries(keep: readonly Storage[]): void {
    this.heap.endTemporaries(keep.filter((s): s is Storage & WasmStorage => s instanceof WasmStorage));
  }

  persist(s: Storage): void {
    if (s instanceof WasmStorage) this.heap.persist(s);
  }

  // ---- copies -------------------------------------------------------------------------

  /**
   * A matrix transpose (the last two axes swapped) is not copied right away: matmul, the
   * usual consumer (the backward pass's G·Bᵀ and Aᵀ·G), reads the source with a transpose
   * flag; any other kernel copies it on first use.
   */
  transpose(s: Storage, shape: Shape, perm: readonly number[]): Storage {
    const outShape = perm.map((p) => shape[p]);
    if (isMatrixTranspose(perm)) {
      const lazy = pendingTranspose(s, shape);
      if (lazy) return asStorage(lazy.source); // transposed back
      return asStorage(this.heap.lazyTranspose(this.own(s), shape));
    }
    const inStrides = stridesOf(shape);
    if (this.heap.full) return this.viaReference((v) => this.reference.transpose(v(this.own(s)), shape, perm), this.own(s).dtype);
    return asStorage(this.copyInto(this.own(s), outShape, 0, perm.map((p) => inStrides[p])));
  }

  broadcastTo(s: Storage, shape: Shape, outShape: Shape): Storage {
    const x = this.own(s);
    if (this.heap.full) return this.viaReference((v) => this.reference.broadcastTo(v(x), shape, outShape), x.dtype);
    // one value everywhere (a mean's or sum's cotangent): a fill, not a strided copy
    if (x.length === 1) return this.full(sizeOf(outShape), this.readAt(s, 0), x.dtype);
    return asStorage(this.copyInto(x, outShape, 0, stridesFor(shape, outShape)));
  }

  slice(s: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage {
    const x = this.own(s);
    // a window of data outside the heap: read it where it is rather than copy all of it in
    if (this.heap.full || (x.host !== null && x.ptr < 0)) return this.viaReference((v) => this.reference.slice(v(x), shape, begin, step, outShape), x.dtype);
    // one contiguous run (a batch of rows): a view of the same block, which no op writes to
    const start = contiguousSliceStart(shape, begin, step, outShape);
    if (start >= 0 && x.host === null) return asStorage(this.heap.viewInto(x, start, sizeOf(outShape)));
    const st = stridesOf(shape);
    const base = begin.reduce((acc, b, d) => acc + b * st[d], 0);
    return asStorage(this.copyInto(x, outShape, base, st.map((v, d) => v * step[d])));
  }

  scatterSlice(s: Storage, shape: Shape, begin: readonly number[], step: readonly number[], outShape: Shape): Storage {
    const x = this.own(s);
    if (this.heap.full) return this.viaReference((v) => this.reference.scatterSlice(v(x), shape, begin, step, outShape), x.dtype);
    const h = this.heap;
    const out = h.output(sizeOf(outShape), x.dtype);
    const px = h.input(x);
    h.refreshViews();
    h.viewAt(out.ptr, out.length, out.dtype).fill(0);
    const st = stridesOf(outShape);
    const base = begin.reduce((acc, b, d) => acc + b * st[d], 0);
    const size = itemSize(x.dtype);
    this.runCopy(px, out.ptr + base * size, fold(shape, [stridesOf(shape), st.map((v, d) => v * step[d])]), size);
    h.done();
    return asStorage(out);
  }

  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number, outShape: Shape, outDtype: DType): Storage {
    const parts = xs.map((s) => this.own(s));
    if (this.heap.full || parts.some((p) => p.dtype !== outDtype)) {
      return this.viaReference((v) => this.reference.concat(parts.map(v), shapes, axis, outShape, outDtype), outDtype);
    }
    const h = this.heap;
    const out = h.output(sizeOf(outShape), outDtype);
    const outStrides = stridesOf(outShape);
    const size = itemSize(outDtype);
    let offset = 0;
    parts.forEach((p, k) => {
      const px = h.input(p);
      this.runCopy(px, out.ptr + offset * outStrides[axis] * size, fold(shapes[k], [stridesOf(shapes[k]), outStrides]), size);
      offset += shapes[k][axis];
    });
    h.done();
    return asStorage(out);
  }

  // ---- helpers ------------------------------------------------------------------------

  /** The window of `x` at element `base` with `srcStrides`, copied into a new contiguous storage of `outShape`. */
  private copyInto(x: WasmStorage, outShape: Shape, base: number, srcStrides: readonly number[]): WasmStorage {
    const h = this.heap;
    const out = h.output(sizeOf(outShape), x.dtype);
    const px = h.input(x);
    const size = itemSize(x.dtype);
    this.runCopy(px + base * size, out.ptr, fold(outShape, [srcStrides, stridesOf(outShape)]), size);
    h.done();
    return out;
  }

  /** Makes the copy a pending transpose stands for; the storage keeps its identity. */
  private materialize(s: WasmStorage): WasmStorage {
    const { source, sourceShape } = s.transposeOf!;
    const nd = sourceShape.length;
    const perm = sourceShape.map((_, i) => (i === nd - 2 ? nd - 1 : i === nd - 1 ? nd - 2 : i));
    const inStrides = stridesOf(sourceShape);
    const filled = this.copyInto(source, perm.map((p) => sourceShape[p]), 0, perm.map((p) => inStrides[p]));
    this.heap.settle(s, filled);
    return s;
  }

  /** Runs the strided-copy kernel over a folded window (operand 0 the source, 1 the destination). */
  private runCopy(src: number, dst: number, f: Folded, size: number): void {
    const h = this.heap;
    if (f.shape.some((d) => d === 0)) return;
    const nd = f.shape.length;
    if (this.copyArgs < 0) this.copyArgs = h.allocBlock(16 * COPY_ARGS_MAX_DIMS);
    const args = nd <= COPY_ARGS_MAX_DIMS ? this.copyArgs : h.temp(16 * nd);
    h.refreshViews();
    const i32 = h.i32;
    const at = args >>> 2;
    for (let d = 0; d < nd; d++) {
      i32[at + d] = f.shape[d];
      i32[at + nd + d] = f.strides[0][d];
      i32[at + 2 * nd + d] = f.strides[1][d];
    }
    if (size === 8) h.kernels.copy64(src, dst, nd, args);
    else h.kernels.copy32(src, dst, nd, args);
  }

  /**
   * Runs a js-backend kernel on views of the inputs (the views are made, used and dropped
   * before anything else touches the memory) and moves its result into the heap.
   */
  private viaReference(run: (view: (s: WasmStorage) => Storage) => Storage, dtype: DType): Storage {
    const result = run((s) => this.heap.view(s) as unknown as Storage) as unknown as TypedArray;
    return asStorage(this.heap.adopt(result, dtype));
  }

  /** This backend's storage; a storage of another backend (a plain typed array) is wrapped, not copied. */
  private own(s: Storage): WasmStorage {
    if (s instanceof WasmStorage) {
      if (s.released) throw new Error('wasm backend: a tensor whose memory was freed as a temporary (of a backward pass or an optimizer step) was used (an engine bug: please report it)');
      return s.transposeOf ? this.materialize(s) : s;
    }
    if (ArrayBuffer.isView(s)) return this.heap.wrapHost(s as unknown as TypedArray);
    throw new TypeError('wasm backend: got a storage that belongs to no known backend');
  }
}
