// TensorFlow.js runner: the cpu backend (plain JavaScript) and the wasm backend (XNNPACK,
// SIMD; one thread, since Node gives it no Web Workers), float32 only (TF.js has no float64).
import { readFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import path from 'node:path';
import { serve, timeIt } from './protocol.mjs';
import { seededNormals } from './seeded.mjs';

// TF.js's Node entry points are CommonJS bundles without the gradient definitions, so
// training would fail ("gradient function not found"). Load its ES-module build instead,
// which has them (see tfjs-esm-hooks.mjs); that build calls `require` for Node's modules.
const require = createRequire(import.meta.url);
globalThis.require ??= require;
register('./tfjs-esm-hooks.mjs', import.meta.url);
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
await import('@tensorflow/tfjs-backend-cpu');
const { getThreadsCount, setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');

const wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
setWasmPaths(wasmDir);
const version = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs-core/package.json'), 'utf8')).version;
const FIXTURE = JSON.parse(readFileSync(new URL('../../test/fixtures/brief-training.json', import.meta.url), 'utf8'));
const notes = [];

const backends = [];
for (const b of ['cpu', 'wasm']) {
  try {
    if (await tf.setBackend(b)) {
      await tf.ready();
      backends.push(b);
    } else notes.push(`TF.js ${b} backend did not start`);
  } catch (e) {
    notes.push(`TF.js ${b} backend failed: ${e instanceof Error ? e.message : e}`);
  }
}
if (backends.includes('wasm')) {
  await tf.setBackend('wasm');
  notes.push(`TF.js wasm threads: ${getThreadsCount()}`);
}

async function useBackend(name) {
  if (tf.getBackend() !== name) {
    await tf.setBackend(name);
    await tf.ready();
  }
}

// --- the brief's model, float32 --------------------------------------------------------------

/** Breast cancer from data/breast_cancer.csv scaled by x / x.max(): plain arrays. */
function loadBreastCancer() {
  const lines = readFileSync(new URL('../../data/breast_cancer.csv', import.meta.url), 'utf8').trim().split('\n');
  const [n, d] = lines[0].split(',').slice(0, 2).map(Number);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  let max = -Infinity;
  const raw = lines.slice(1).map((l) => l.split(',').map(Number));
  for (const row of raw) for (let j = 0; j < d; j++) max = Math.max(max, row[j]);
  raw.forEach((row, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = row[j] / max;
    y[i] = row[d];
  });
  return { x, y, n, d };
}
const BC = loadBreastCancer();

const briefTensors = new Map();
function briefData(backend) {
  if (!briefTensors.has(backend)) {
    const x = tf.tensor2d(BC.x, [BC.n, BC.d]);
    const y = tf.tensor2d(BC.y, [BC.n, 1]);
    const bs = FIXTURE.config.batchSize;
    const batches = [];
    for (let s = 0; s < BC.n; s += bs) {
      const size = Math.min(bs, BC.n - s);
      batches.push([tf.slice(x, [s, 0], [size, BC.d]), tf.slice(y, [s, 0], [size, 1])]);
    }
    briefTensors.set(backend, batches);
  }
  return briefTensors.get(backend);
}

function briefTrain({ vars, batches, epochs, optimizer }) {
  const [w1, b1, w2, b2] = vars;
  let last = null;
  for (let e = 0; e < epochs; e++) {
    for (const [xb, yb] of batches) {
      if (last) last.dispose();
      last = optimizer.minimize(
        () => {
          const h = tf.relu(tf.add(tf.matMul(xb, w1), b1));
          const p = tf.sigmoid(tf.add(tf.matMul(h, w2), b2));
          // L = -mean(y log p + (1 - y) log(1 - p)), as the brief writes it
          return tf.neg(tf.mean(tf.add(tf.mul(yb, tf.log(p)), tf.mul(tf.sub(1, yb), tf.log(tf.sub(1, p))))));
        },
        true,
        vars,
      );
    }
  }
  const loss = last.dataSync()[0];
  last.dispose();
  return loss;
}

async function brief(variant, req) {
  await useBackend(variant);
  const batches = briefData(variant);
  const setup = () => {
    const vars = ['inLayer.weight', 'inLayer.bias', 'outLayer.weight', 'outLayer.bias'].map((k) =>
      tf.variable(tf.tensor(Float32Array.from(FIXTURE.initialWeights[k].data), FIXTURE.initialWeights[k].shape)),
    );
    return { vars, batches, epochs: req.params.epochs, optimizer: tf.train.sgd(FIXTURE.config.lr) };
  };
  const all = [];
  const tracked = () => {
    const ctx = setup();
    all.push(ctx);
    return ctx;
  };
  const { times, last } = await timeIt({ setup: tracked, run: briefTrain, warmup: req.warmup, reps: req.reps });
  for (const ctx of all) {
    for (const v of ctx.vars) v.dispose();
    ctx.optimizer.dispose();
  }
  return { times, check: { loss: last } };
}

// --- MLP 784-256-256-10 ----------------------------------------------------------------------

const mlpState = new Map();
function mlp(backend) {
  if (!mlpState.has(backend)) {
    // seeded data of our own: TF.js's random ops need seedrandom, which its ES-module build cannot import here
    const he = (fanIn, fanOut, seed) => tf.variable(tf.tensor2d(seededNormals(fanIn * fanOut, seed, Math.sqrt(2 / fanIn)), [fanIn, fanOut]));
    const vars = [he(784, 256, 1), tf.variable(tf.zeros([256])), he(256, 256, 2), tf.variable(tf.zeros([256])), he(256, 10, 3), tf.variable(tf.zeros([10]))];
    const x = tf.tensor2d(seededNormals(128 * 784, 4), [128, 784]);
    const labels = Int32Array.from({ length: 128 }, (_, i) => (i * 7 + 3) % 10);
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32');
    mlpState.set(backend, { vars, x, y, optimizer: tf.train.sgd(0.01) });
  }
  return mlpState.get(backend);
}

function mlpStep({ vars, x, y, optimizer }) {
  const [w1, b1, w2, b2, w3, b3] = vars;
  const cost = optimizer.minimize(
    () => {
      const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
      const logits = tf.add(tf.matMul(h2, w3), b3);
      return tf.losses.softmaxCrossEntropy(y, logits);
    },
    true,
    vars,
  );
  const v = cost.dataSync()[0]; // the step is done when its loss can be read
  cost.dispose();
  return v;
}

// --- matmul ----------------------------------------------------------------------------------

const mmState = new Map();
function mmInputs(backend) {
  if (!mmState.has(backend)) mmState.set(backend, [tf.tensor2d(seededNormals(1024 * 1024, 5), [1024, 1024]), tf.tensor2d(seededNormals(1024 * 1024, 6), [1024, 1024])]);
  return mmState.get(backend);
}

const variants = [];
for (const b of backends) {
  variants.push({ workload: 'brief-f32', variant: b, label: `TF.js ${version} ${b}`, dtype: 'float32' });
  variants.push({ workload: 'mlp-step', variant: b, label: `TF.js ${version} ${b}`, dtype: 'float32' });
  // TF.js cpu needs ~2.5 s per 1024² matmul here; only its wasm backend is in the table
  if (b === 'wasm') variants.push({ workload: 'matmul', variant: b, label: `TF.js ${version} wasm (XNNPACK, 1 thread)`, dtype: 'float32' });
}

await serve(
  { lib: 'tfjs', version, variants, notes },
  {
    'brief-f32': brief,
    'mlp-step': async (variant, req) => {
      await useBackend(variant);
      const ctx = mlp(variant);
      const { times, last } = await timeIt({ setup: () => ctx, run: mlpStep, warmup: req.warmup, reps: req.reps, inner: req.params.inner });
      return { times, check: { loss: last } };
    },
    matmul: async (variant, req) => {
      await useBackend(variant);
      const [a, b] = mmInputs(variant);
      const { times } = await timeIt({
        run: () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
        warmup: req.warmup,
        reps: req.reps,
      });
      return { times };
    },
  },
);
