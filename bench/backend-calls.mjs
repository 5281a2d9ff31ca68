#!/usr/bin/env node
// Where the brief's reverse-mode training spends its time per backend call: wraps every
// method of the current backend with a timer (the outermost call only), trains 30 times 20
// epochs (the first 10 as warm-up) and prints, per method and op name, the time and the
// calls per 20 epochs. The timers add about 0.1 µs per call. Needs `npm run build`.
// Usage: node bench/backend-calls.mjs [wasm|js] [float64|float32]
import * as tg from '../dist/index.js';
import { currentBackend } from '../dist/backend/index.js';

tg.setBackend(process.argv[2] ?? 'wasm');
const dtype = process.argv[3] ?? 'float64';
const backend = currentBackend();
const time = new Map();
let depth = 0;
const proto = Object.getPrototypeOf(backend);
for (const name of Object.getOwnPropertyNames(proto)) {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  if (typeof d.value !== 'function' || name === 'constructor') continue;
  const f = d.value;
  backend[name] = function (...args) {
    if (depth > 0) return f.apply(this, args);
    depth++;
    const key = `${name} ${typeof args[0] === 'string' ? args[0] : ''}`;
    const t0 = performance.now();
    try {
      return f.apply(this, args);
    } finally {
      depth--;
      const e = time.get(key) ?? [0, 0];
      e[0] += performance.now() - t0;
      e[1]++;
      time.set(key, e);
    }
  };
}

const data = tg.datasets.breastCancer();
const x = new tg.data.MaxScaler().fitTransform(data.x);
const y = tg.reshape(data.y, [data.y.shape[0], 1]);
const batches = new tg.data.DataSet(tg.cast(x, dtype), tg.cast(y, dtype), 128);
const RUNS = 20;
let total = 0;
for (let r = 0; r < RUNS + 10; r++) {
  if (r === 10) {
    time.clear();
    total = 0;
  }
  const model = new tg.nn.FeedForward(30, 50, 1, 0, { dtype });
  const lossFn = new tg.nn.LogLoss();
  const optimizer = new tg.optim.SGD(model, { lr: 0.1 });
  const t0 = performance.now();
  for (let e = 0; e < 20; e++) {
    for (const [xb, yb] of batches) {
      const loss = lossFn.forward(model.forward(xb), yb);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
  }
  total += performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 1));
}
let sum = 0;
for (const [key, [t, n]] of [...time].sort((a, b) => b[1][0] - a[1][0])) {
  sum += t;
  console.log(`${(t / RUNS).toFixed(3).padStart(8)} ms/run ${String(n / RUNS).padStart(6)} calls/run ${((t / n) * 1000).toFixed(2).padStart(7)} us/call ${key}`);
}
console.log(`backend total per run ${(sum / RUNS).toFixed(2)} ms; whole run ${(total / RUNS).toFixed(2)} ms`);
