#!/usr/bin/env node
// Where the time of the brief's reverse-mode training goes: runs it under `node --cpu-prof`
// (in a child process) and prints the functions with the most self time, and the totals by
// file. Usage: node bench/profile.mjs [--backend js|wasm] [--dtype float64|float32]
//              [--mode reverse|forward] [--epochs N] [--runs N] [--top N] [--keep DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Function index -> exported name, from a WebAssembly binary's import and export sections. */
export function wasmExportNames(bytes) {
  let p = 8; // magic and version
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++];
      result |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) return result >>> 0;
    }
  };
  const name = () => {
    const n = leb();
    const s = new TextDecoder().decode(bytes.subarray(p, p + n));
    p += n;
    return s;
  };
  const names = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 7) {
      for (let count = leb(); count > 0; count--) {
        const n = name();
        const kind = bytes[p++];
        const index = leb();
        if (kind === 0) names.set(index, n);
      }
    }
    p = end;
  }
  return names;
}

/** Names of the wasm backend's exported kernels (the module has no name section). */
async function kernelNames() {
  try {
    const mod = await import(new URL('../dist/backend/wasm/generated/kernels.js', import.meta.url).href);
    return wasmExportNames(Buffer.from(mod.singleMemoryWasm, 'base64'));
  } catch {
    return new Map();
  }
}

/** Self time per function and per file from a .cpuprofile (V8's sampled call tree). */
export function summarizeProfile(profile, wasmNames = new Map()) {
  const dt = new Map(); // node id -> sampled ms
  for (let i = 0; i < profile.samples.length; i++) {
    dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const byFn = new Map();
  const byFile = new Map();
  let total = 0;
  for (const node of profile.nodes) {
    const ms = dt.get(node.id) ?? 0;
    if (ms === 0) continue;
    total += ms;
    const cf = node.callFrame;
    const file = cf.url.startsWith('file:') ? path.relative(ROOT, fileURLToPath(cf.url)) : cf.url || `(${cf.functionName || 'native'})`;
    const wasm = /^wasm-function\[(\d+)\]$/.exec(cf.functionName);
    const wasmName = wasm && (wasmNames.get(Number(wasm[1])) ?? (wasmNames.size ? 'an internal kernel helper (not exported)' : null));
    const fn = wasmName ? `${cf.functionName} = ${wasmName}` : cf.functionName || '(anonymous)';
    const key = cf.url.startsWith('wasm:') ? `${fn}  (wasm kernel)` : `${fn}  ${file}:${cf.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  const sort = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return { total, functions: sort(byFn), files: sort(byFile) };
}

async function child(opts) {
  const tg = await import('tensorgrad');
  const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/brief-training.json'), 'utf8'));
  tg.setBackend(opts.backend);
  const data = tg.datasets.breastCancer();
  const x = tg.cast(new tg.data.MaxScaler().fitTransform(data.x), opts.dtype);
  const y = tg.cast(tg.reshape(data.y, [data.y.shape[0], 1]), opts.dtype);
  const batches = new tg.data.DataSet(x, y, 128);
  const t0 = performance.now();
  for (let r = 0; r < opts.runs; r++) {
    const model = new tg.nn.FeedForward(30, 50, 1, 0, { dtype: opts.dtype });
    const state = {};
    for (const [k, w] of Object.entries(fixture.initialWeights)) state[k] = tg.tensor(Float64Array.from(w.data), { shape: w.shape, dtype: opts.dtype });
    model.loadStateDict(state);
    const lossFn = new tg.nn.LogLoss();
    const optimizer = new tg.optim.SGD(model, { lr: 0.1 });
    tg.withGradMode(opts.mode, () => {
      for (let e = 0; e < opts.epochs; e++) {
        for (const [xb, yb] of batches) {
          const loss = lossFn.forward(model.forward(xb), yb);
          optimizer.zeroGrad();
          loss.backward();
          optimizer.step();
        }
      }
    });
  }
  const ms = (performance.now() - t0) / opts.runs;
  console.log(`${opts.runs} run(s) of ${opts.epochs} epochs, ${opts.mode} mode, ${opts.backend}, ${opts.dtype}: ${ms.toFixed(1)} ms per run`);
}

const program = new Command()
  .option('--backend <name>', 'js or wasm', 'js')
  .option('--dtype <dtype>', 'float64 or float32', 'float64')
  .option('--mode <mode>', 'reverse or forward', 'reverse')
  .option('--epochs <n>', 'epochs per run', (v) => Number.parseInt(v, 10), 20)
  .option('--runs <n>', 'training runs to profile', (v) => Number.parseInt(v, 10), 30)
  .option('--top <n>', 'functions to list', (v) => Number.parseInt(v, 10), 25)
  .option('--keep <dir>', 'write the .cpuprofile into this folder and keep it')
  .option('--child', 'internal: the profiled process');
program.parse(process.argv);
const opts = program.opts();

if (opts.child) {
  await child(opts);
} else {
  const dir = opts.keep ?? mkdtempSync(path.join(os.tmpdir(), 'tg-prof-'));
  const args = ['--cpu-prof', '--cpu-prof-dir', dir, fileURLToPath(import.meta.url), '--child', ...process.argv.slice(2).filter((a, i, all) => a !== '--keep' && all[i - 1] !== '--keep')];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  const { total, functions, files } = summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), await kernelNames());
  const pct = (ms) => `${((100 * ms) / total).toFixed(1).padStart(5)}%`;
  console.log(`\nself time, ${total.toFixed(0)} ms sampled in all\n\ntop functions:`);
  for (const [k, ms] of functions.slice(0, opts.top)) console.log(`  ${pct(ms)}  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
  console.log('\nby file:');
  for (const [k, ms] of files.slice(0, 15)) console.log(`  ${pct(ms)}  ${ms.toFixed(0).padStart(6)} ms  ${k}`);
  if (opts.keep) console.log(`\nprofile kept in ${path.join(dir, file)} (open it in Chrome DevTools)`);
  else rmSync(dir, { recursive: true, force: true });
}
