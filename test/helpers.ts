import { expect } from 'vitest';
import * as tg from '../src/index.js';

/** Flattens a tensor or nested array to plain numbers. */
export function flat(x: tg.Tensor | number | readonly unknown[]): number[] {
  if (x instanceof tg.Tensor) return Array.from(x.dataSync());
  if (typeof x === 'number') return [x];
  return (x as unknown[]).flat(Infinity as 1) as number[];
}

/** Asserts elementwise |a - b| <= atol + rtol |b| (NaN matches NaN, infinities must be equal). */
export function expectClose(actual: tg.Tensor | number | readonly unknown[], expected: tg.Tensor | number | readonly unknown[], atol = 1e-10, rtol = 0): void {
  const a = flat(actual);
  const b = flat(expected);
  expect(a.length, 'number of elements').toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(b[i])) {
      expect(a[i], `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(b[i])) {
      expect(a[i], `element ${i}`).toBe(b[i]);
    } else if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) {
      expect.fail(`element ${i}: ${a[i]} vs expected ${b[i]} (diff ${Math.abs(a[i] - b[i])}, atol ${atol}, rtol ${rtol})`);
    }
  }
}
