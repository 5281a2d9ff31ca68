// @jax-js/jax runner: its wasm device (the only CPU device besides an interpreter for
// debugging; WebGPU is not in Node), with each training step under `jit` as a JAX user
// would write it. Node 20 has no Float16Array, which jax-js's array() tests with
// `instanceof`: a stand-in class (never matched) lets Float64Array inputs through.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { serve, timeIt } from './protocol.mjs';
import { seededNormals } from './seeded.mjs';

globalThis.Float16Array ??= class Float16ArrayUnavailable {};
const { numpy: np, nn, jit, valueAndGrad, init, defaultDevice, tree } = await import('@jax-js/jax');

const require = createRequire(import.meta.url);
const version = JSON.parse(readFileSync(require.resolve('@jax-js/jax').replace(/dist[/\\].*$/, 'package.json'), 'utf8')).version;
const FIXTURE = JSON.parse(readFileSync(new URL('../../test/fixtures/brief-training.json', import.meta.url), 'utf8'));
const NAMES = ['inLayer.weight', 'inLayer.bias', 'outLayer.weight', 'outLayer.bias'];
const notes = ['Float16Array stand-in defined (Node 20 lacks it)'];

const devices = await init('wasm');
if (!devices.includes('wasm')) throw new Error(`jax-js wasm device did not start (devices: ${devices.join(', ')})`);
defaultDevice('wasm');

const typed = (dtype, values) => (dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values));

// --- the brief's model -----------------------------------------------------------------------

function loadBreastCancer() {
  const lines = readFileSync(new URL('../../data/breast_cancer.csv', import.meta.url), 'utf8').trim().split('\n');
  const [n, d] = lines[0].split(',').slice(0, 2).map(Number);
  const rows = lines.slice(1).map((l) => l.split(',').map(Number));
  let max = -Infinity;
  for (const row of rows) for (let j = 0; j < d; j++) max = Math.max(max, row[j]);
  return { x: rows.map((r) => r.slice(0, d).map((v) => v / max)), y: rows.map((r) => r[d]), n, d };
}
const BC = loadBreastCancer();

const briefCache = new Map();
/** Batches of 128 in order, and the jitted step, per dtype. */
function briefSetup(dtype) {
  if (!briefCache.has(dtype)) {
    const bs = FIXTURE.config.batchSize;
    const batches = [];
    for (let s = 0; s < BC.n; s += bs) {
      const rows = BC.x.slice(s, s + bs);
      batches.push([np.array(typed(dtype, rows.flat())).reshape([rows.length, BC.d]), np.array(typed(dtype, BC.y.slice(s, s + bs))).reshape([rows.length, 1])]);
    }
    const lossFn = (p, x, y) => {
      const h = nn.relu(np.matmul(x, p.w1).add(p.b1));
      const prob = nn.sigmoid(np.matmul(h, p.w2).add(p.b2));
      // L = -mean(y log p + (1 - y) log(1 - p)), as the brief writes it
      const oneMinusY = np.subtract(1, y.ref);
      const oneMinusP = np.subtract(1, prob.ref);
      return np.log(prob).mul(y).add(np.log(oneMinusP).mul(oneMinusY)).mean().mul(-1);
    };
    const lr = FIXTURE.config.lr;
    const step = jit((p, x, y) => {
      const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), x, y);
      return [loss, tree.map((w, gw) => w.sub(gw.mul(lr)), p, g)];
    });
    briefCache.set(dtype, { batches, step });
  }
  return briefCache.get(dtype);
}

function initialParams(dtype) {
  const [w1, b1, w2, b2] = NAMES.map((k) => np.array(typed(dtype, FIXTURE.initialWeights[k].data)).reshape(FIXTURE.initialWeights[k].shape));
  return { w1, b1, w2, b2 };
}

async function briefTrain({ params, batches, step, epochs }) {
  let p = params;
  let last = null;
  for (let e = 0; e < epochs; e++) {
    for (const [xb, yb] of batches) {
      if (last) last.dispose();
      const [loss, next] = step(p, xb.ref, yb.ref);
      p = next;
      last = loss;
    }
  }
  const value = (await last.data())[0];
  tree.dispose(p);
  return value;
}

function briefHandler(dtype) {
  return async (_variant, req) => {
    const { batches, step } = briefSetup(dtype);
    const { times, last } = await timeIt({
      setup: () => ({ params: initialParams(dtype), batches, step, epochs: req.params.epochs }),
      run: briefTrain,
      warmup: req.warmup,
      reps: req.reps,
    });
    return { times, check: { loss: last } };
  };
}

// --- MLP 784-256-256-10 ----------------------------------------------------------------------

let mlpState = null;
function mlp() {
  if (!mlpState) {
    const he = (i, o, seed) => np.array(seededNormals(i * o, seed, Math.sqrt(2 / i))).reshape([i, o]);
    const params = { w1: he(784, 256, 1), b1: np.zeros([256]), w2: he(256, 256, 2), b2: np.zeros([256]), w3: he(256, 10, 3), b3: np.zeros([10]) };
    const x = np.array(seededNormals(128 * 784, 4, 1)).reshape([128, 784]);
    const oneHot = new Float32Array(128 * 10);
    for (let i = 0; i < 128; i++) oneHot[i * 10 + ((i * 7 + 3) % 10)] = 1;
    const y = np.array(oneHot).reshape([128, 10]);
    const lossFn = (p, xb, yb) => {
      const h1 = nn.relu(np.matmul(xb, p.w1).add(p.b1));
      const h2 = nn.relu(np.matmul(h1, p.w2).add(p.b2));
      return nn.logSoftmax(np.matmul(h2, p.w3).add(p.b3), -1).mul(yb).sum().mul(-1 / 128);
    };
    const step = jit((p, xb, yb) => {
      const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), xb, yb);
      return [loss, tree.map((w, gw) => w.sub(gw.mul(0.01)), p, g)];
    });
    mlpState = { params, x, y, step };
  }
  return mlpState;
}

async function mlpStep(state) {
  const [loss, next] = state.step(state.params, state.x.ref, state.y.ref);
  state.params = next;
  const v = (await loss.data())[0]; // the step is done when its loss can be read
  return v;
}

// --- matmul ----------------------------------------------------------------------------------

let mm = null;
function mmInputs() {
  if (!mm) {
    mm = {
      a: np.array(seededNormals(1024 * 1024, 5, 1)).reshape([1024, 1024]),
      b: np.array(seededNormals(1024 * 1024, 6, 1)).reshape([1024, 1024]),
      f: jit((a, b) => np.matmul(a, b)),
    };
  }
  return mm;
}

const label = `jax-js ${version} wasm, jit`;
const variants = [
  { workload: 'brief-f64', variant: 'jit-f64', label, dtype: 'float64' },
  { workload: 'brief-f32', variant: 'jit', label, dtype: 'float32' },
  { workload: 'mlp-step', variant: 'jit', label, dtype: 'float32' },
  { workload: 'matmul', variant: 'jit', label, dtype: 'float32' },
];

await serve(
  { lib: 'jax', version, variants, notes },
  {
    'brief-f64': briefHandler('float64'),
    'brief-f32': briefHandler('float32'),
    'mlp-step': async (_variant, req) => {
      const state = mlp();
      const { times, last } = await timeIt({ setup: () => state, run: mlpStep, warmup: req.warmup, reps: req.reps, inner: req.params.inner });
      return { times, check: { loss: last } };
    },
    matmul: async (_variant, req) => {
      const { a, b, f } = mmInputs();
      const { times } = await timeIt({
        run: async () => {
          const c = f(a.ref, b.ref);
          await c.data();
        },
        warmup: req.warmup,
        reps: req.reps,
      });
      return { times };
    },
  },
);
