/** Deterministic values in [-1, 1) from a linear congruential generator (no imports: usable in any test project). */
export function lcgValues(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(s / 2 ** 31 - 1);
  }
  return out;
}
