import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';

describe('the brief\'s worked examples', () => {
  const T = tg.tensor([
    [0.3, -1.2, 0.5],
    [0.7, 0.1, -0.4],
    [-0.2, 0.9, 0.6],
  ]);
  const wValues = [0.4, -0.3, 0.8];
  // closed form: dΦ/dw_k = Φ Σ_j (T_kj + T_jk) w_j
  const Tv = T.toArray() as number[][];
  let quad = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) quad += Tv[i][j] * wValues[i] * wValues[j];
  const phi = Math.exp(quad);
  const expected = wValues.map((_, k) => phi * wValues.reduce((s, wj, j) => s + (Tv[k][j] + Tv[j][k]) * wj, 0));
  const Phi = (w: tg.Tensor) => tg.exp(tg.sum(tg.mul(tg.mul(T, w.reshape([3, 1])), w.reshape([1, 3]))));

  for (const mode of ['forward', 'reverse'] as const) {
    it(`Φ = exp(Σ T_ij w_i w_j) in ${mode} mode`, () => {
      const w = tg.tensor(wValues, { requiresGrad: true });
      const y = tg.withGradMode(mode, () => Phi(w));
      expect(y.item()).toBeCloseTo(phi, 12);
      expectClose(y.jacobian(w), expected, 1e-12);
      y.backward();
      expectClose(w.grad!, expected, 1e-12);
    });

    it(`φ = σ(xω) with x (1, d), ω (d, 1) in ${mode} mode`, () => {
      const x = tg.tensor([[0.5, -1.5, 2.0, 0.25]]);
      const omega = tg.tensor([[0.1], [0.2], [-0.3], [0.4]], { requiresGrad: true });
      const y = tg.withGradMode(mode, () => tg.sigmoid(tg.tensordot(x, omega, 1)));
      const z = 0.5 * 0.1 - 1.5 * 0.2 - 2.0 * 0.3 + 0.25 * 0.4;
      const s = 1 / (1 + Math.exp(-z));
      // dφ/dω = σ'(xω)·xᵀ, laid out [1, 1, 4, 1]
      const J = y.jacobian(omega);
      expect(J.shape).toEqual([1, 1, 4, 1]);
      expectClose(J.reshape([4]), [0.5, -1.5, 2.0, 0.25].map((v) => s * (1 - s) * v), 1e-14);
    });
  }
});
