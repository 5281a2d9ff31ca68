/**
 * float32: every table op run on float32 inputs gives float32 results and float32
 * gradients (in both modes) that agree with the float64 computation on the same values to
 * float32 precision; mixed dtypes promote to float64; numbers take the tensor's dtype.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';
import { allCases, makeInputs, randomLike } from './op-table.js';

type Tensor = tg.Tensor;

/** float32 rounding is ~6e-8 relative; a few operations in a row stay well inside these. */
const VALUE_TOL = { atol: 1e-6, rtol: 1e-5 };
const GRAD_TOL = { atol: 1e-5, rtol: 1e-4 };

function gradsIn(mode: 'forward' | 'reverse', fn: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], cot: Tensor): { y: Tensor; grads: Tensor[]; jac: Tensor } {
  const ws = xs.map((x) => tg.tensor(x, { requiresGrad: true }));
  const y = tg.withGradMode(mode, () => fn(...ws));
  const jac = y.jacobian(ws[0]);
  tg.withGradMode(mode, () => tg.sum(tg.mul(y, tg.cast(cot, y.dtype)))).backward();
  return { y, grads: ws.map((w) => w.grad ?? tg.zerosLike(w)), jac };
}

const cases = allCases().filter(([, k]) => k.keepsFloat32 !== false);

describe.each(cases.map(([e, k]) => ({ name: `${e.name}: ${k.label}`, e, k })))('$name in float32', ({ e, k }) => {
  const x32 = makeInputs(e, k, 'float32');
  // the same values in float64, so that only the arithmetic differs
  const x64 = x32.map((x) => tg.cast(x, 'float64'));

  it('gives float32 values close to the float64 ones', () => {
    const y32 = k.fn(...x32);
    const y64 = k.fn(...x64);
    expect(y32.dtype).toBe(y64.dtype === 'int32' ? 'int32' : 'float32');
    expect(y32.shape).toEqual(y64.shape);
    expectClose(y32, y64, VALUE_TOL.atol, VALUE_TOL.rtol);
  });

  if (!e.differentiable) return;

  it.each(['forward', 'reverse'] as const)('gives float32 gradients and Jacobians close to float64 in %s mode', (mode) => {
    const [cot] = randomLike([k.fn(...x64).shape], 7);
    const r32 = gradsIn(mode, k.fn, x32, cot);
    const r64 = gradsIn(mode, k.fn, x64, cot);
    expect(r32.jac.dtype).toBe('float32');
    expectClose(r32.jac, r64.jac, GRAD_TOL.atol, GRAD_TOL.rtol);
    r32.grads.forEach((g, i) => {
      expect(g.dtype, `gradient ${i} dtype`).toBe('float32');
      expectClose(g, r64.grads[i], GRAD_TOL.atol, GRAD_TOL.rtol);
    });
  });
});

describe('dtype rules', () => {
  const x32 = tg.tensor([1.5, -2, 3], { dtype: 'float32' });
  const x64 = tg.tensor([0.5, 4, -1]);
  const i32 = tg.tensor([1, 2, 3], { dtype: 'int32' });

  it('mixing float32 and float64 promotes to float64, in either order', () => {
    for (const f of [tg.add, tg.sub, tg.mul, tg.div, tg.pow, tg.maximum, tg.minimum]) {
      expect(f(x32, x64).dtype).toBe('float64');
      expect(f(x64, x32).dtype).toBe('float64');
    }
    expect(tg.matmul(x32, x64).dtype).toBe('float64');
    expect(tg.concat([x32, x64]).dtype).toBe('float64');
    expect(tg.where(tg.tensor([1, 0, 1]), x32, x64).dtype).toBe('float64');
    expectClose(tg.add(x32, x64), [2, 2, 2], 0);
  });

  it('numbers take the dtype of the tensor they meet', () => {
    expect(x32.mul(2).dtype).toBe('float32');
    expect(tg.sub(1, x32).dtype).toBe('float32');
    expect(tg.pow(2, x32).dtype).toBe('float32');
    expect(tg.div(x32, 3).dtype).toBe('float32');
    expect(tg.maximum(x32, 0).dtype).toBe('float32');
    expect(tg.where(tg.greater(x32, 0), x32, 0).dtype).toBe('float32');
    // 0.1 rounds to float32, as in PyTorch: x32 * 0.1 is computed in float32
    expectClose(x32.mul(0.1), [Math.fround(Math.fround(1.5) * Math.fround(0.1)), Math.fround(-0.2), Math.fround(Math.fround(3) * Math.fround(0.1))], 0);
  });

  it('int32 tensors: integer numbers keep int32, fractions, division and float functions give float64', () => {
    expect(tg.add(i32, 1).dtype).toBe('int32');
    expect(tg.add(i32, 1.5).dtype).toBe('float64');
    expectClose(tg.add(i32, 1.5), [2.5, 3.5, 4.5], 0);
    expect(tg.div(i32, 2).dtype).toBe('float64');
    expectClose(tg.div(i32, 2), [0.5, 1, 1.5], 0);
    expect(tg.exp(i32).dtype).toBe('float64');
    expect(tg.add(i32, x32).dtype).toBe('float32');
    expect(tg.argmax(x32).dtype).toBe('int32');
  });

  it('float32 leaves get float32 gradients even when the loss is float64', () => {
    for (const mode of ['forward', 'reverse'] as const) {
      const a = tg.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
      const b = tg.tensor([3, 4], { requiresGrad: true });
      const loss = tg.withGradMode(mode, () => tg.sum(tg.mul(a, b)));
      expect(loss.dtype).toBe('float64');
      loss.backward();
      expect(a.grad!.dtype).toBe('float32');
      expect(b.grad!.dtype).toBe('float64');
      expectClose(a.grad!, [3, 4], 0);
      expectClose(b.grad!, [1, 2], 0);
    }
  });

  it('float32 creation: typed arrays, options, creation functions', () => {
    expect(tg.tensor(new Float32Array([1, 2])).dtype).toBe('float32');
    expect(tg.tensor([1, 2], { dtype: 'float32' }).dtype).toBe('float32');
    for (const t of [tg.zeros([2], { dtype: 'float32' }), tg.ones([2], { dtype: 'float32' }), tg.randn([2], { dtype: 'float32' }), tg.eye(2, 2, { dtype: 'float32' })]) {
      expect(t.dtype).toBe('float32');
    }
    // values are rounded to float32 on the way in
    expect(tg.tensor([0.1], { dtype: 'float32' }).item()).toBe(Math.fround(0.1));
  });
});
