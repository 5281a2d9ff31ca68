/**
 * Derivative rules that run one fused kernel when nothing records derivatives (a plain
 * backward(), forward-mode propagation) and differentiable ops when something does
 * (createGraph, Hessians): both paths give the same numbers, bit for bit, on the current
 * backend, in float64 and float32, NaN and infinities included.
 */
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';

type Tensor = tg.Tensor;

const VALUES = [-3, -1.5, -0.25, 0, 0.25, 0.5, 1, 2.5, 40, -40, NaN, Infinity, -Infinity, 1e-300, -0];
const SEEDS = [1, -2, 0.5, 3, -0.75, 1e10, -1e-10, 7, 0, 2, 1, -1, Infinity, 1, 2];

function gradients(f: (x: Tensor) => Tensor, dtype: tg.DType, createGraph: boolean): number[] {
  const x = tg.tensor(VALUES, { dtype, requiresGrad: true });
  f(x).backward(tg.tensor(SEEDS, { dtype }), { createGraph });
  return Array.from(x.grad!.dataSync());
}

describe('fused derivative kernels agree with their composites', () => {
  const cases: [string, (x: Tensor) => Tensor][] = [
    ['relu', tg.relu],
    ['sigmoid', tg.sigmoid],
    ['tanh', tg.tanh],
  ];
  for (const dtype of ['float64', 'float32'] as const) {
    it.each(cases)(`%s in ${dtype}`, (_name, f) => {
      const fused = gradients(f, dtype, false);
      const composite = gradients(f, dtype, true);
      fused.forEach((v, i) => expect(Object.is(v, composite[i]) || (v === 0 && composite[i] === 0), `element ${i}: ${v} vs ${composite[i]}`).toBe(true));
    });
  }

  it('binaryCrossEntropy: the fused slopes equal the composite ones to rounding', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const run = (createGraph: boolean) => {
        const p = tg.tensor([1e-15, 0.1, 0.5, 0.9, 1 - 1e-15, 1e-12, 0.3], { dtype, requiresGrad: true });
        const y = tg.tensor([0, 1, 0.5, 0, 1, 1, 0.2], { dtype, requiresGrad: true });
        tg.sum(tg.binaryCrossEntropy(p, y, dtype === 'float32' ? 1e-7 : 1e-12)).backward(undefined, { createGraph });
        return [...p.grad!.dataSync(), ...y.grad!.dataSync()];
      };
      const fused = run(false);
      const composite = run(true);
      const tol = dtype === 'float32' ? 1e-6 : 1e-14;
      fused.forEach((v, i) => expect(Math.abs(v - composite[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
    }
  });
});
