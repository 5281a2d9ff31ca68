import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import { normalizeAxes, normalizeAxis, shapesEqual } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { concat } from './concat.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { asTensor, type TensorLike } from './util.js';

/** Removes axes of size 1 (all of them, or the given ones, which must have size 1). A reshape. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = asTensor('squeeze', x);
  const axes = axis === undefined ? t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes('squeeze', axis, t.ndim);
  for (const a of axes) {
    if (t.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${a} of shape ${fmtShape(t.shape)} has size ${t.shape[a]}, not 1`);
  }
  return reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Inserts an axis of size 1 at position `axis` (-1 appends). A reshape. */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = asTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, t.ndim + 1);
  const shape = [...t.shape];
  shape.splice(a, 0, 1);
  return reshape(t, shape);
}

/** Flattens axes start..end (inclusive) into one; the whole tensor by default. A reshape. */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = asTensor('flatten', x);
  if (t.ndim === 0) return reshape(t, [1]);
  const s = normalizeAxis('flatten', startAxis, t.ndim);
  const e = normalizeAxis('flatten', endAxis, t.ndim);
  if (e < s) throw new ValueError('flatten', `end axis ${endAxis} comes before start axis ${startAxis}`);
  const merged = t.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(t, [...t.shape.slice(0, s), merged, ...t.shape.slice(e + 1)]);
}

/** Joins tensors of equal shape along a new axis. unsqueeze + concat. */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new ValueError('stack', 'needs a non-empty array of tensors');
  const ts = xs.map((x) => asTensor('stack', x));
  ts.forEach((t, i) => {
    if (!shapesEqual(t.shape, ts[0].shape)) {
      throw new ShapeError('stack', `tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(ts[0].shape)}; stacked tensors must have equal shapes`);
    }
  });
  const a = normalizeAxis('stack', axis, ts[0].ndim + 1);
  return concat(
    ts.map((t) => unsqueeze(t, a)),
    a,
  );
}

/**
 * Sums x over the axes along which `shape` would be broadcast to x's shape, giving a
 * tensor of exactly `shape` (the adjoint of broadcasting).
 */
export function sumToShape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('sumToShape', x);
  if (shapesEqual(t.shape, shape)) return t;
  const lead = t.ndim - shape.length;
  if (lead < 0) throw new ShapeError('sumToShape', `cannot sum ${fmtShape(t.shape)} down to the larger shape ${fmtShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && t.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== t.shape[i]) {
      throw new ShapeError('sumToShape', `${fmtShape(shape)} does not broadcast to ${fmtShape(t.shape)}`);
    }
  }
  return reshape(axes.length ? sum(t, axes, true) : t, shape);
}
