// The demo's pure helpers, in Node (the `demo` project): seeded toy data and the boundary contour.
import { describe, expect, it } from 'vitest';
import { contour } from '../../demo/src/boundary.js';
import { makeCircles, makeMoons } from '../../demo/src/toy-data.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('demo toy data', () => {
  it('a seed gives the same points; another seed others', () => {
    expect(makeMoons(50, 0.1, 3)).toEqual(makeMoons(50, 0.1, 3));
    expect(makeMoons(50, 0.1, 3).x).not.toEqual(makeMoons(50, 0.1, 4).x);
    expect(makeCircles(50, 0.1, 3)).toEqual(makeCircles(50, 0.1, 3));
  });

  it('two moons: balanced labels, the upper moon above the lower one, noise-free points on their arcs', () => {
    const { x, y } = makeMoons(400, 0, 1);
    expect(x).toHaveLength(800);
    expect(Array.from(y).filter((l) => l === 1)).toHaveLength(200);
    const ys = (label: number) => Array.from(y).flatMap((l, i) => (l === label ? [x[2 * i + 1]] : []));
    expect(mean(ys(0))).toBeGreaterThan(mean(ys(1)));
    for (let i = 0; i < 400; i++) {
      const [cx, cy] = y[i] === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(x[2 * i] - cx, x[2 * i + 1] - cy)).toBeCloseTo(1, 12);
    }
  });

  it('circles: the inner ring at radius factor, the outer at 1', () => {
    const { x, y } = makeCircles(200, 0, 2, 0.3);
    for (let i = 0; i < 200; i++) expect(Math.hypot(x[2 * i], x[2 * i + 1])).toBeCloseTo(y[i] === 1 ? 0.3 : 1, 12);
  });

  it('rejects sizes and noise it cannot draw', () => {
    expect(() => makeMoons(3)).toThrow(/at least|>= 4/);
    expect(() => makeCircles(10, -1)).toThrow(/noise/);
    expect(() => makeCircles(10, 0.1, 0, 1.5)).toThrow(/factor/);
  });
});

describe('demo decision-boundary contour', () => {
  it('traces p = 0.5 of a two-class grid where it lies, by linear interpolation', () => {
    // p(class 1) rises along the columns and crosses 0.5 at column 4.25
    const nx = 10;
    const ny = 6;
    const probs = new Float32Array(nx * ny * 2);
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const p = Math.min(1, Math.max(0, 0.5 + (c - 4.25) * 0.1));
        probs[(r * nx + c) * 2] = 1 - p;
        probs[(r * nx + c) * 2 + 1] = p;
      }
    }
    const segments = contour({ nx, ny, bounds: [0, 1, 0, 1], classes: 2, probs });
    expect(segments).toHaveLength(ny - 1);
    for (const [x0, y0, x1, y1] of segments) {
      expect(x0).toBeCloseTo(4.25, 5);
      expect(x1).toBeCloseTo(4.25, 5);
      expect(Math.abs(y1 - y0)).toBe(1);
    }
  });
});
