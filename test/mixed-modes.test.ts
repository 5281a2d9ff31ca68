import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';

describe('leaving forward mode', () => {
  it('a forward-mode result keeps carrying Jacobians through ops applied after the mode switches back', () => {
    const w = tg.tensor([[1.0], [-2.0]], { requiresGrad: true });
    const x = tg.tensor([[0.5, 1.5], [2.0, -1.0], [1.0, 1.0]]);
    const perRow = tg.withGradMode('forward', () => tg.sigmoid(tg.matmul(x, w))); // [3, 1]
    expect(tg.getGradMode()).toBe('reverse');
    const m = tg.mean(perRow); // computed in reverse mode from a forward-mode result
    expect(m.tangents).not.toBeNull();
    const expected = tg.mean(perRow.jacobian(w), [0, 1]); // [2, 1]
    expectClose(m.jacobian(w), expected, 1e-15);
    m.backward();
    expectClose(w.grad!, expected, 1e-15);
  });

  it('noGrad still stops the tracking', () => {
    const w = tg.tensor([1.0, 2.0], { requiresGrad: true });
    const y = tg.withGradMode('forward', () => tg.mul(w, w));
    const z = tg.noGrad(() => tg.sum(y));
    expect(z.tangents).toBeNull();
    expect(z.requiresGrad).toBe(false);
    expect(() => z.jacobian(w)).toThrow(/tracking off/);
  });
});
