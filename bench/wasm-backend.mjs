// js backend against wasm backend, in one process, on the built package (run `npm run build`
// first): GFLOP/s of a 1024 x 1024 matmul in float32 and float64 (wasm on one thread and on
// every core), and the time of one
// training step of a model shaped like the brief's (x[128, 30] @ W1[30, 50] + b1, relu,
// @ W2[50, 1] + b2, sigmoid, mean squared error, backward), reverse mode, float64 and
// float32. Medians; rounds alternate between the backends so that machine noise hits both.
//
//   node bench/wasm-backend.mjs [--reps N]
import * as tg from '../dist/index.js';

const argReps = process.argv.indexOf('--reps');
const REPS = argReps > 0 ? Number(process.argv[argReps + 1]) : 9;
const CORES = tg.getNumThreads();
/** Each variant: a backend and a thread count for the wasm backend. */
const VARIANTS = [
  { label: 'js', backend: 'js', threads: 1 },
  { label: 'wasm', backend: 'wasm', threads: 1 },
  ...(CORES > 1 ? [{ label: `wasm x${CORES}`, backend: 'wasm', threads: CORES }] : []),
];

function use(v) {
  tg.setBackend(v.backend);
  tg.setNumThreads(v.threads);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Lets the garbage collector's finalizers return wasm memory between samples. */
const settle = () => new Promise((r) => setImmediate(r));

function matmulCase(dtype) {
  const a = tg.randn([1024, 1024], { dtype });
  const b = tg.randn([1024, 1024], { dtype });
  return () => tg.matmul(a, b).item === undefined;
}

function stepCase(dtype) {
  tg.manualSeed(0);
  const x = tg.randn([128, 30], { dtype });
  const y = tg.cast(tg.greater(tg.rand([128, 1], { dtype }), 0.5), dtype);
  const w1 = tg.mul(tg.randn([30, 50], { dtype }), 0.2).requiresGrad_();
  const b1 = tg.zeros([50], { dtype, requiresGrad: true });
  const w2 = tg.mul(tg.randn([50, 1], { dtype }), 0.2).requiresGrad_();
  const b2 = tg.zeros([1], { dtype, requiresGrad: true });
  const params = [w1, b1, w2, b2];
  return () => {
    for (const p of params) p.grad = null;
    const h = tg.relu(tg.add(tg.matmul(x, w1), b1));
    const p = tg.sigmoid(tg.add(tg.matmul(h, w2), b2));
    const loss = tg.mean(tg.mul(tg.sub(p, y), tg.sub(p, y)));
    loss.backward();
    return loss.item();
  };
}

async function measure(label, make, { reps, inner, flops, variants = VARIANTS }) {
  const runs = new Map(variants.map((v) => {
    use(v);
    return [v, make()];
  }));
  const samples = new Map(variants.map((v) => [v, []]));
  for (let r = 0; r < reps + 1; r++) {
    for (const v of r % 2 ? [...variants].reverse() : variants) {
      use(v);
      const run = runs.get(v);
      const ms = time(() => {
        for (let i = 0; i < inner; i++) run();
      }) / inner;
      if (r > 0) samples.get(v).push(ms); // the first round warms up
      await settle();
    }
  }
  const js = median(samples.get(variants[0]));
  for (const v of variants) {
    const ms = median(samples.get(v));
    const rate = flops ? `  ${(flops / ms / 1e6).toFixed(1).padStart(6)} GFLOP/s` : '';
    console.log(`${label.padEnd(26)} ${v.label.padEnd(8)} ${ms.toFixed(3).padStart(10)} ms${rate}   ${(ms / js).toFixed(3)} x js`);
  }
}

console.log(`node ${process.version}, ${CORES} cores, ${REPS} samples per variant, medians\n`);
await measure('matmul 1024² float32', () => matmulCase('float32'), { reps: REPS, inner: 1, flops: 2 * 1024 ** 3 });
await measure('matmul 1024² float64', () => matmulCase('float64'), { reps: REPS, inner: 1, flops: 2 * 1024 ** 3 });
// the step's products are far below the size that wakes worker threads
const oneThread = VARIANTS.slice(0, 2);
await measure('brief-like step float64', () => stepCase('float64'), { reps: REPS, inner: 50, variants: oneThread });
await measure('brief-like step float32', () => stepCase('float32'), { reps: REPS, inner: 50, variants: oneThread });
