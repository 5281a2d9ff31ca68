/**
 * Two-dimensional toy classification sets, drawn from a seeded generator so that a seed
 * always gives the same points (scikit-learn's make_moons and make_circles, in spirit).
 */
import { Generator } from 'tensorgrad';

export interface ToySet {
  /** n × 2 coordinates, row-major. */
  x: Float64Array;
  /** n labels, 0 or 1. */
  y: Int32Array;
  featureNames: string[];
  targetNames: string[];
}

function check(n: number, noise: number): void {
  if (!Number.isInteger(n) || n < 4) throw new Error(`toy data: need an integer number of samples >= 4, got ${n}`);
  if (!(noise >= 0)) throw new Error(`toy data: noise must be >= 0, got ${noise}`);
}

/** Two interleaving half circles: the upper one is class 0, the lower one class 1. */
export function makeMoons(n: number, noise = 0.1, seed = 0): ToySet {
  check(n, noise);
  const g = new Generator(seed);
  const x = new Float64Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * g.uniform();
    const px = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const py = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    x[2 * i] = px + noise * g.normal();
    x[2 * i + 1] = py + noise * g.normal();
    y[i] = label;
  }
  return { x, y, featureNames: ['x₁', 'x₂'], targetNames: ['upper moon', 'lower moon'] };
}

/** A ring (class 0, radius 1) around a smaller ring (class 1, radius `factor`). */
export function makeCircles(n: number, noise = 0.08, seed = 0, factor = 0.5): ToySet {
  check(n, noise);
  if (!(factor > 0 && factor < 1)) throw new Error(`toy data: factor must be in (0, 1), got ${factor}`);
  const g = new Generator(seed);
  const x = new Float64Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = 2 * Math.PI * g.uniform();
    const r = label === 0 ? 1 : factor;
    x[2 * i] = r * Math.cos(t) + noise * g.normal();
    x[2 * i + 1] = r * Math.sin(t) + noise * g.normal();
    y[i] = label;
  }
  return { x, y, featureNames: ['x₁', 'x₂'], targetNames: ['outer ring', 'inner ring'] };
}
