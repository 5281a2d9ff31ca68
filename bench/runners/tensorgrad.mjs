// tensorgrad's benchmark runner: the BUILT package (dist/, imported by its own name), on
// every backend this build has (js always; wasm when `setBackend('wasm')` succeeds). Each
// workload is written as a user would write it with the public API.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as tg from 'tensorgrad';
import { serve, timeIt } from './protocol.mjs';

const FIXTURE = JSON.parse(readFileSync(new URL('../../test/fixtures/brief-training.json', import.meta.url), 'utf8'));
const PKG = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const notes = [];

// --- which backends and thread settings this build offers --------------------------------

const backends = ['js'];
try {
  tg.setBackend('wasm');
  backends.push('wasm');
} catch (e) {
  notes.push(`wasm backend not available: ${e instanceof Error ? e.message : e}`);
}
tg.setBackend('js');

/**
 * A thread-count setter, if the build exports one (the threads work of issue 4 item 3 is
 * still to land; these are the names it may take). Without it, matmul is measured as is.
 */
const setThreads = ['setNumThreads', 'setThreads', 'setThreadCount'].map((n) => tg[n]).find((f) => typeof f === 'function');
const cores = availableParallelism();
if (!setThreads) notes.push('no thread-count setter exported: matmul runs with the backend\'s own setting only');

function useBackend(name) {
  if (tg.getBackend() !== name) tg.setBackend(name);
}

// --- the brief's model ---------------------------------------------------------------------

const briefData = new Map();
/** Breast cancer scaled by x / x.max(), in batches of 128 (cached per backend and dtype). */
function briefBatches(backend, dtype) {
  const key = `${backend}/${dtype}`;
  if (!briefData.has(key)) {
    useBackend(backend);
    const data = tg.datasets.breastCancer();
    const x = new tg.data.MaxScaler().fitTransform(data.x);
    const y = tg.reshape(data.y, [data.y.shape[0], 1]);
    briefData.set(key, new tg.data.DataSet(tg.cast(x, dtype), tg.cast(y, dtype), FIXTURE.config.batchSize));
  }
  return briefData.get(key);
}

/** FeedForward(30, 50) with the fixture's initial weights, LogLoss, SGD(lr 0.1). */
function briefModel(backend, dtype) {
  useBackend(backend);
  const model = new tg.nn.FeedForward(30, FIXTURE.config.hidden, 1, 0, { dtype });
  const state = {};
  for (const [name, w] of Object.entries(FIXTURE.initialWeights)) state[name] = tg.tensor(Float64Array.from(w.data), { shape: w.shape, dtype });
  model.loadStateDict(state);
  return { model, lossFn: new tg.nn.LogLoss(), optimizer: new tg.optim.SGD(model, { lr: FIXTURE.config.lr }) };
}

/** The brief's training loop; returns the last batch's loss (read once, at the end). */
function briefTrain({ model, lossFn, optimizer, batches, mode, epochs }) {
  let last = null;
  tg.withGradMode(mode, () => {
    for (let e = 0; e < epochs; e++) {
      for (const [xb, yb] of batches) {
        const loss = lossFn.forward(model.forward(xb), yb);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        last = loss;
      }
    }
  });
  return last.item();
}

function briefHandler(dtype, mode) {
  return async (variant, req) => {
    const backend = variant.replace(/-forward$/, '');
    const epochs = req.params.epochs;
    const setup = () => ({ ...briefModel(backend, dtype), batches: briefBatches(backend, dtype), mode, epochs });
    const { times, last } = await timeIt({
      setup,
      run: briefTrain,
      // forward mode is slow: warm it up on one epoch, not twenty
      warmupRun: (ctx) => briefTrain({ ...ctx, epochs: req.params.warmupEpochs ?? epochs }),
      warmup: req.warmup,
      reps: req.reps,
    });
    return { times, check: { loss: last } };
  };
}

// --- MLP 784-256-256-10, one SGD step --------------------------------------------------------

const mlpState = new Map();
function mlp(backend) {
  if (!mlpState.has(backend)) {
    useBackend(backend);
    const gen = new tg.Generator(0);
    const opts = { dtype: 'float32', init: 'he', generator: gen };
    const model = new tg.nn.Sequential(
      new tg.nn.Linear(784, 256, opts),
      new tg.nn.ReLU(),
      new tg.nn.Linear(256, 256, opts),
      new tg.nn.ReLU(),
      new tg.nn.Linear(256, 10, opts),
    );
    const x = tg.randn([128, 784], { dtype: 'float32', generator: gen });
    const labels = Int32Array.from({ length: 128 }, (_, i) => (i * 7 + 3) % 10);
    const y = tg.tensor(labels, { shape: [128], dtype: 'int32' });
    mlpState.set(backend, { model, x, y, lossFn: new tg.nn.CrossEntropyLoss(), optimizer: new tg.optim.SGD(model, { lr: 0.01 }) });
  }
  return mlpState.get(backend);
}

function mlpStep({ model, x, y, lossFn, optimizer }) {
  optimizer.zeroGrad();
  const loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  optimizer.step();
  return loss;
}

// --- matmul 1024² float32 ------------------------------------------------------------------

const mmState = new Map();
function mmInputs(backend) {
  if (!mmState.has(backend)) {
    useBackend(backend);
    const gen = new tg.Generator(1);
    mmState.set(backend, [tg.randn([1024, 1024], { dtype: 'float32', generator: gen }), tg.randn([1024, 1024], { dtype: 'float32', generator: gen })]);
  }
  return mmState.get(backend);
}

// --- variants and handlers -------------------------------------------------------------------

const variants = [];
for (const b of backends) {
  variants.push({ workload: 'brief-f64', variant: b, label: `tensorgrad ${b}`, dtype: 'float64' });
  variants.push({ workload: 'brief-f32', variant: b, label: `tensorgrad ${b}`, dtype: 'float32' });
  variants.push({ workload: 'brief-forward', variant: `${b}-forward`, label: `tensorgrad ${b}, forward mode`, dtype: 'float64' });
  variants.push({ workload: 'mlp-step', variant: b, label: `tensorgrad ${b}`, dtype: 'float32' });
  if (setThreads) {
    variants.push({ workload: 'matmul', variant: `${b}-1t`, label: `tensorgrad ${b}, 1 thread`, dtype: 'float32' });
    variants.push({ workload: 'matmul', variant: `${b}-${cores}t`, label: `tensorgrad ${b}, ${cores} threads`, dtype: 'float32' });
  } else {
    variants.push({ workload: 'matmul', variant: b, label: `tensorgrad ${b}`, dtype: 'float32' });
  }
}

await serve(
  { lib: 'tensorgrad', version: PKG.version, variants, notes, info: { backends, cores, threadsSetter: Boolean(setThreads) } },
  {
    'brief-f64': briefHandler('float64', 'reverse'),
    'brief-f32': briefHandler('float32', 'reverse'),
    'brief-forward': briefHandler('float64', 'forward'),
    'mlp-step': async (variant, req) => {
      const ctx = mlp(variant);
      useBackend(variant);
      const { times, last } = await timeIt({ setup: () => ctx, run: mlpStep, warmup: req.warmup, reps: req.reps, inner: req.params.inner });
      return { times, check: { loss: last.item() } };
    },
    matmul: async (variant, req) => {
      const [backend, threads] = variant.split('-');
      const [a, b] = mmInputs(backend);
      useBackend(backend);
      if (setThreads && threads) setThreads(Number.parseInt(threads, 10));
      const { times } = await timeIt({
        run: () => {
          const c = tg.matmul(a, b);
          c.dataSync?.(); // results are computed eagerly; touch them where the API allows
          return c;
        },
        warmup: req.warmup,
        reps: req.reps,
      });
      return { times };
    },
  },
);
