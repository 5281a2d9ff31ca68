/**
 * Seeded N(0, scale²) draws as a Float32Array (an LCG with Box-Muller), for peers whose own
 * random functions are unavailable or awkward here. Only the timing depends on these data.
 */
export function seededNormals(count, seed, scale = 1) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = scale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}
