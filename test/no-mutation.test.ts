/**
 * No op mutates its inputs: every table case, in every grad mode and through backward,
 * leaves its inputs' values, shape, dtype and version as they were. Also: data handed to
 * or read from a tensor is copied, and gradient accumulation never writes into an old
 * gradient tensor.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { allCases, makeInputs, randomLike } from './op-table.js';

type Tensor = tg.Tensor;

interface Snapshot {
  values: number[];
  shape: number[];
  dtype: tg.DType;
  version: number;
}

const snapshot = (t: Tensor): Snapshot => ({ values: Array.from(t.dataSync()), shape: [...t.shape], dtype: t.dtype, version: t.version });

function expectUnchanged(ts: readonly Tensor[], before: readonly Snapshot[], when: string): void {
  ts.forEach((t, i) => {
    const now = snapshot(t);
    // toEqual treats NaN as equal to NaN, which is what "unchanged" means here
    expect(now, `input ${i} ${when}`).toEqual(before[i]);
  });
}

describe.each(allCases().map(([e, k]) => ({ name: `${e.name}: ${k.label}`, e, k })))('$name leaves its inputs alone', ({ e, k }) => {
  it.each(['none', 'forward', 'reverse'] as const)('in %s mode, and through backward', (mode) => {
    const xs = makeInputs(e, k).map((x) => (mode === 'none' ? x : tg.tensor(x, { requiresGrad: true })));
    const before = xs.map(snapshot);
    const y = tg.withGradMode(mode, () => k.fn(...xs));
    expectUnchanged(xs, before, `after the op in ${mode} mode`);
    if (mode !== 'none' && e.differentiable) {
      const [cot] = randomLike([y.shape], 3);
      const cotBefore = snapshot(cot);
      y.backward(tg.cast(cot, y.dtype), { retainGraph: true });
      expectUnchanged(xs, before, `after backward in ${mode} mode`);
      expectUnchanged([cot], [cotBefore], 'the gradient given to backward');
      xs.forEach((x) => y.jacobian(x));
      expectUnchanged(xs, before, `after jacobian in ${mode} mode`);
    }
  });
});

describe('data is copied in and out', () => {
  it('tensor() copies typed arrays, nested arrays and tensors', () => {
    const src = new Float64Array([1, 2, 3]);
    const nested = [
      [1, 2],
      [3, 4],
    ];
    const a = tg.tensor(src);
    const b = tg.tensor(nested);
    const c = tg.tensor(a);
    src[0] = 99;
    nested[0][0] = 99;
    expect(a.toArray()).toEqual([1, 2, 3]);
    expect(b.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(c.toArray()).toEqual([1, 2, 3]);
  });

  it('dataSync() and toArray() return copies', () => {
    const a = tg.tensor([[1, 2]]);
    a.dataSync()[0] = 99;
    (a.toArray() as number[][])[0][0] = 99;
    expect(a.toArray()).toEqual([[1, 2]]);
  });

  it('assign_ on a tensor replaces its data without touching tensors that share or used it', () => {
    const x = tg.tensor([1, 2, 3, 4]);
    const view = x.reshape([2, 2]); // shares storage with x
    const detached = x.detach();
    const y = tg.mul(x, 2);
    x.assign_(tg.tensor([9, 9, 9, 9]));
    expect(x.toArray()).toEqual([9, 9, 9, 9]);
    expect(view.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(detached.toArray()).toEqual([1, 2, 3, 4]);
    expect(y.toArray()).toEqual([2, 4, 6, 8]);
    view.assign_(tg.zeros([2, 2]));
    expect(x.toArray()).toEqual([9, 9, 9, 9]);
  });
});

describe('gradients never write into an earlier gradient tensor', () => {
  it.each(['forward', 'reverse'] as const)('accumulation in %s mode makes a new .grad', (mode) => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    tg.withGradMode(mode, () => tg.sum(tg.mul(w, w))).backward();
    const first = w.grad!;
    tg.withGradMode(mode, () => tg.sum(tg.mul(w, 3))).backward();
    expect(first.toArray()).toEqual([2, 4]);
    expect(w.grad!.toArray()).toEqual([5, 7]);
    expect(w.grad).not.toBe(first);
  });

  it('a seed gradient passed to backward is not stored as-is or changed', () => {
    const w = tg.tensor([1, 2], { requiresGrad: true });
    const seed = tg.tensor([1, 1]);
    w.backward(seed);
    tg.mul(w, 2).backward(seed);
    expect(seed.toArray()).toEqual([1, 1]);
    expect(w.grad!.toArray()).toEqual([3, 3]);
  });
});
