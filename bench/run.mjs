#!/usr/bin/env node
// `npm run bench`: issue 4's workloads on tensorgrad and its peers, one process per library,
// rounds interleaved between libraries, medians and ratios printed (and written as JSON).
// The runners speak the protocol in bench/runners/protocol.mjs; this file only schedules
// them, times the CLI process, and reports.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import {
  RESULT_COLUMNS,
  TARGET_COLUMNS,
  WORKLOADS,
  checkLosses,
  evaluateTargets,
  formatMarkdown,
  formatMs,
  formatTable,
  gflops,
  ratios,
  roundOrder,
  summarize,
  tableRows,
  targetRows,
} from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = '/usr/bin/python3';
const LIBS = ['tensorgrad', 'tfjs', 'jax', 'torch', 'numpy'];
const RUNNERS = {
  tensorgrad: { cmd: process.execPath, args: ['bench/runners/tensorgrad.mjs'] },
  tfjs: { cmd: process.execPath, args: ['bench/runners/tfjs.mjs'] },
  jax: { cmd: process.execPath, args: ['bench/runners/jax.mjs'] },
  torch: { cmd: PYTHON, args: ['bench/runners/torch_runner.py'], python: true },
  numpy: { cmd: PYTHON, args: ['bench/runners/numpy_runner.py'], python: true },
};

/**
 * Samples (rounds) per workload, full and quick, the untimed warm-up calls in the first
 * round, and what each sample runs. Forward mode costs seconds per 20 epochs in both
 * tensorgrad and the NumPy design, so it gets few samples and warms up on one epoch.
 */
const PLAN = {
  'brief-f64': { reps: 15, quickReps: 3, warmup: 8, params: { epochs: 20 } },
  'brief-f32': { reps: 15, quickReps: 3, warmup: 8, params: { epochs: 20 } },
  'brief-forward': { reps: 5, quickReps: 1, warmup: 1, params: { epochs: 20, warmupEpochs: 1 } },
  'mlp-step': { reps: 15, quickReps: 3, warmup: 5, params: { inner: 10 }, quickParams: { inner: 4 } },
  matmul: { reps: 11, quickReps: 3, warmup: 1, params: {} },
  'train-cli': { reps: 11, quickReps: 3, warmup: 1, params: {} },
};
/** The order workloads run in: the slow forward-mode rounds last. */
const RUN_ORDER = ['brief-f64', 'brief-f32', 'mlp-step', 'matmul', 'train-cli', 'brief-forward'];
/** The float64 references tensorgrad's losses must match (jax-js's float64 is reported only). */
const REFERENCE_LIBS = ['torch', 'numpy', 'fixture'];
const CLI_ARGS = ['train', '--dataset', 'breast-cancer', '--hidden', '50', '--layers', '0', '--epochs', '20', '--batch-size', '128', '--lr', '0.1', '--optimizer', 'sgd', '--scale', 'max', '--no-progress', '--no-chart'];

const log = (...a) => console.log(...a);
const list = (v) => v.split(',').map((s) => s.trim()).filter(Boolean);

// --- build ---------------------------------------------------------------------------------

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/ (or assembly/); says which. */
function ensureBuilt(allowBuild) {
  const distIndex = path.join(ROOT, 'dist', 'index.js');
  const srcTime = Math.max(newestMtime(path.join(ROOT, 'src')), existsSync(path.join(ROOT, 'assembly')) ? newestMtime(path.join(ROOT, 'assembly')) : 0);
  const why = !existsSync(distIndex) ? 'dist/ is missing' : newestMtime(path.join(ROOT, 'dist')) < srcTime ? 'dist/ is older than src/' : null;
  if (!why) {
    log('build: dist/ is up to date with src/, not rebuilding');
    return 'up to date';
  }
  if (!allowBuild) {
    log(`build: ${why}, but --no-build was given: measuring the dist/ that is there`);
    return `stale (${why}), not rebuilt`;
  }
  log(`build: ${why}: running npm run build`);
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
  return `rebuilt (${why})`;
}

// --- runner processes ------------------------------------------------------------------------

class Runner {
  constructor(lib, spec, timeoutMs, blasDir) {
    this.lib = lib;
    this.stderr = [];
    this.pending = null;
    this.dead = null;
    this.timeoutMs = timeoutMs;
    const env = { ...process.env };
    if (spec.python) {
      // the machine may set these for OpenBLAS; they slow NumPy down, so not for the peers
      delete env.OPENBLAS_CORETYPE;
      delete env.OPENBLAS_L2_SIZE;
      // a folder with another libblas.so.3 (e.g. OpenBLAS unpacked from its Debian package)
      if (blasDir) env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH ? `${blasDir}:${env.LD_LIBRARY_PATH}` : blasDir;
    }
    this.proc = spawn(spec.cmd, spec.args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk) => {
      this.stderr.push(...chunk.split('\n').filter(Boolean));
      if (this.stderr.length > 40) this.stderr.splice(0, this.stderr.length - 40);
    });
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (line) => this.onLine(line));
    this.proc.on('error', (e) => this.fail(`could not start: ${e.message}`));
    this.proc.on('exit', (code, signal) => this.fail(`exited (${signal ?? code})`));
    this.hello = this.next();
  }

  onLine(line) {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      this.stderr.push(`(stdout) ${line}`);
      return;
    }
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.resolve(msg);
    }
  }

  fail(why) {
    if (!this.dead) this.dead = why;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new Error(`${this.lib} runner ${why}${this.stderr.length ? `; last stderr lines:\n    ${this.stderr.slice(-8).join('\n    ')}` : ''}`));
    }
  }

  next() {
    return new Promise((resolve, reject) => {
      if (this.dead) return reject(new Error(`${this.lib} runner ${this.dead}`));
      const timer = setTimeout(() => this.fail(`timed out after ${this.timeoutMs / 1000} s`), this.timeoutMs);
      this.pending = { resolve, reject, timer };
    });
  }

  request(msg) {
    const reply = this.next();
    this.proc.stdin.write(`${JSON.stringify(msg)}\n`);
    return reply;
  }

  close() {
    if (!this.dead) this.proc.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    setTimeout(() => {
      if (this.proc.exitCode === null) this.proc.kill();
    }, 2000).unref();
  }
}

function pythonHas(module) {
  const r = spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
  return r.status === 0;
}

// --- machine -------------------------------------------------------------------------------

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

// --- the run ---------------------------------------------------------------------------------

async function timeCli(rounds, warmup) {
  const bin = path.join(ROOT, 'dist', 'cli', 'bin.js');
  const once = () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...CLI_ARGS], { cwd: ROOT, encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`tensorgrad train exited ${r.status}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    return ms;
  };
  for (let i = 0; i < warmup; i++) once();
  const times = [];
  for (let i = 0; i < rounds; i++) times.push(once());
  return times;
}

async function main() {
  const program = new Command()
    .name('npm run bench --')
    .description("issue 4's workloads on tensorgrad and its peers: medians, ratios, targets")
    .option('--quick', 'few samples per workload (a couple of minutes)', false)
    .addOption(new Option('--workloads <list>', `comma-separated, from: ${WORKLOADS.map((w) => w.id).join(', ')}`).default(WORKLOADS.map((w) => w.id).join(',')))
    .addOption(new Option('--libs <list>', `comma-separated, from: ${LIBS.join(', ')}`).default(LIBS.join(',')))
    .option('--reps <n>', 'samples per workload (overrides the defaults)', (v) => {
      const n = Number.parseInt(v, 10);
      if (!(n >= 1)) throw new Error('--reps must be a positive integer');
      return n;
    })
    .option('--json <file>', 'also write the results as JSON')
    .option('--markdown <file>', 'also write the tables as Markdown')
    .option('--python-blas <dir>', 'a folder holding the libblas.so.3 the Python peers should load (LD_LIBRARY_PATH), e.g. OpenBLAS', process.env.TG_BENCH_BLAS_DIR)
    .option('--no-build', 'never run npm run build, even when dist/ is stale')
    .option('--timeout <s>', 'seconds a runner may take for one request', (v) => Number(v), 600);
  program.parse(process.argv);
  const opts = program.opts();
  const workloads = list(opts.workloads);
  const libs = list(opts.libs);
  for (const w of workloads) if (!WORKLOADS.some((x) => x.id === w)) throw new Error(`unknown workload ${w}`);
  for (const l of libs) if (!LIBS.includes(l)) throw new Error(`unknown library ${l}`);
  const started = performance.now();

  const notes = [];
  const build = libs.includes('tensorgrad') ? ensureBuilt(opts.build) : 'not needed';
  const mach = machine();
  log(`machine: ${mach.cpu}, ${mach.cores} cores, ${mach.memoryGiB} GiB, Node ${mach.node}, load ${mach.load.join(' ')}`);

  // start the runners (one process per library) and read their hellos
  const runners = new Map();
  const hasPython = existsSync(PYTHON);
  if (opts.pythonBlas) {
    if (!existsSync(path.join(opts.pythonBlas, 'libblas.so.3'))) throw new Error(`--python-blas: no libblas.so.3 in ${opts.pythonBlas}`);
    notes.push(`Python peers load libblas.so.3 from ${opts.pythonBlas} (LD_LIBRARY_PATH)`);
  }
  for (const lib of libs) {
    const spec = RUNNERS[lib];
    if (spec.python) {
      if (!hasPython) {
        notes.push(`${lib}: skipped, ${PYTHON} not found`);
        continue;
      }
      if (!pythonHas(lib)) {
        notes.push(`${lib}: skipped, ${PYTHON} cannot import ${lib}`);
        continue;
      }
    }
    const needed = workloads.filter((w) => w !== 'train-cli');
    if (needed.length === 0) continue;
    runners.set(lib, new Runner(lib, spec, opts.timeout * 1000, opts.pythonBlas));
  }
  const hellos = new Map();
  for (const [lib, r] of runners) {
    try {
      const hello = await r.hello;
      hellos.set(lib, hello);
      for (const n of hello.notes ?? []) notes.push(`${lib}: ${n}`);
    } catch (e) {
      notes.push(`${lib}: skipped, ${e.message}`);
      runners.delete(lib);
    }
  }
  const refBlas = [...hellos.values()].filter((h) => ['torch', 'numpy'].includes(h.lib) && h.info?.openblas !== true);
  if (refBlas.length) {
    notes.push(
      `WARNING: ${refBlas.map((h) => h.lib).join(' and ')} did not load OpenBLAS (probably the reference BLAS): their matmul-bound times are several times ` +
        'what their users see, which flatters the ratios against them; see BENCHMARKS.md and --python-blas',
    );
  }
  for (const n of notes) log(`note: ${n}`);

  const results = [];
  const checks = [];
  for (const wid of RUN_ORDER.filter((w) => workloads.includes(w))) {
    const plan = PLAN[wid];
    const rounds = opts.reps ?? (opts.quick ? plan.quickReps : plan.reps);
    const params = opts.quick && plan.quickParams ? plan.quickParams : plan.params;
    const w = WORKLOADS.find((x) => x.id === wid);
    log(`\n${w.title}: ${rounds} round(s)`);
    if (wid === 'train-cli') {
      if (!libs.includes('tensorgrad')) continue;
      log(`  command: node dist/cli/bin.js ${CLI_ARGS.join(' ')}`);
      const entry = { workload: wid, lib: 'tensorgrad', variant: 'cli', label: 'tensorgrad train, whole process', dtype: 'float64', samples: [] };
      try {
        entry.samples = await timeCli(rounds, opts.quick ? 0 : plan.warmup);
      } catch (e) {
        entry.error = e.message;
      }
      results.push(entry);
      log(`  tensorgrad train (whole process): ${entry.error ?? entry.samples.map(formatMs).join(', ')}`);
      continue;
    }
    const entries = [];
    for (const [lib, hello] of hellos) {
      for (const v of hello.variants.filter((x) => x.workload === wid)) {
        entries.push({ workload: wid, lib, variant: v.variant, label: v.label, dtype: v.dtype, samples: [] });
      }
    }
    const libsHere = [...new Set(entries.map((e) => e.lib))];
    for (let round = 0; round < rounds; round++) {
      for (const lib of roundOrder(libsHere, round)) {
        for (const e of entries.filter((x) => x.lib === lib && !x.error)) {
          const runner = runners.get(lib);
          try {
            const reply = await runner.request({ op: 'run', id: `${wid}/${e.variant}/${round}`, workload: wid, variant: e.variant, params, warmup: round === 0 ? plan.warmup : 0, reps: 1 });
            if (reply.error) throw new Error(reply.error);
            e.samples.push(...reply.times);
            if (reply.check && Number.isFinite(reply.check.loss)) e.loss = reply.check.loss;
          } catch (err) {
            e.error = err.message.split('\n')[0];
            log(`  ${e.label}: FAILED: ${err.message}`);
          }
        }
      }
      process.stdout.write(`  round ${round + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }
    for (const e of entries) {
      results.push(e);
      if ((wid === 'brief-f64' || wid === 'brief-forward' || wid === 'brief-f32') && e.loss !== undefined) {
        checks.push({ workload: wid, lib: e.lib, name: `${e.label} [${wid}]`, dtype: e.dtype, loss: e.loss });
      }
    }
  }
  for (const r of runners.values()) r.close();

  // statistics, ratios, targets
  for (const r of results) {
    Object.assign(r, summarize(r.samples));
    const w = WORKLOADS.find((x) => x.id === r.workload);
    if (w.kind === 'gflops' && Number.isFinite(r.median)) r.gflops = gflops(w.flops, r.median);
  }
  const ordered = WORKLOADS.flatMap((w) => results.filter((r) => r.workload === w.id));
  const targets = evaluateTargets(ordered);
  const fixture = JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'brief-training.json'), 'utf8'));
  const fixtureLoss = fixture.batchLosses.at(-1).at(-1);
  const f64checks = checks.filter((c) => c.dtype === 'float64');
  if (f64checks.length) f64checks.push({ workload: 'fixture', lib: 'fixture', name: 'fixture brief-training.json (scripts/brief_numpy.py)', dtype: 'float64', loss: fixtureLoss });
  const lossCheck = checkLosses(f64checks, 1e-9, REFERENCE_LIBS);

  // report
  const rows = tableRows(ordered);
  const trows = targetRows(targets);
  log(`\n=== results (medians; the machine is shared and noisy: read the ratios) ===\n`);
  log(formatTable(rows, RESULT_COLUMNS));
  log(`\n=== issue 4 targets (tensorgrad = its fastest variant in the workload) ===\n`);
  log(formatTable(trows, TARGET_COLUMNS));
  log(`\n=== correctness: final loss of the brief's run (last batch of epoch 20) ===`);
  for (const c of checks) log(`  ${c.name}: ${c.loss}`);
  if (f64checks.length) log(`  fixture: ${fixtureLoss}`);
  for (const c of f64checks.filter((x) => x.lib !== 'tensorgrad' && !REFERENCE_LIBS.includes(x.lib))) {
    log(`  (peer, not a reference) ${c.name} differs from the fixture by ${Math.abs(c.loss - fixtureLoss).toExponential(2)}`);
  }
  if (lossCheck.rows.length === 0) log('  (no float64 pair to compare)');
  else if (lossCheck.ok) log(`  OK: every float64 tensorgrad loss matches every float64 reference to 1e-9 (largest difference ${Math.max(...lossCheck.rows.map((r) => r.diff)).toExponential(2)})`);
  else {
    log('\n  !!!!!!!! LOSS MISMATCH: tensorgrad does not compute what the references compute !!!!!!!!');
    for (const r of lossCheck.rows.filter((x) => !x.ok)) log(`  !! ${r.tensorgrad} vs ${r.reference}: |diff| = ${r.diff}`);
    for (const n of lossCheck.nonFinite) log(`  !! ${n}: no finite loss`);
  }
  const elapsed = (performance.now() - started) / 1000;
  log(`\n(${elapsed.toFixed(0)} s in all; build: ${build})`);

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const report = {
    date: new Date().toISOString(),
    command,
    machine: mach,
    build,
    options: { workloads, libs, quick: opts.quick, reps: opts.reps ?? null, pythonBlas: opts.pythonBlas ?? null },
    notes,
    runners: [...hellos.values()].map((h) => ({ lib: h.lib, version: h.version, notes: h.notes, info: h.info })),
    results: ordered.map(({ samples, ...r }) => ({ ...r, samples })),
    ratios: ratios(ordered),
    targets,
    lossCheck: { ...lossCheck, losses: checks, fixtureLoss },
    seconds: elapsed,
  };
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify(report, null, 1)}\n`);
    log(`wrote ${opts.json}`);
  }
  if (opts.markdown) {
    const md = [
      `Command: \`${command}\` (${report.date}, ${elapsed.toFixed(0)} s)`,
      '',
      formatMarkdown(rows, RESULT_COLUMNS),
      '',
      formatMarkdown(trows, TARGET_COLUMNS),
      '',
      `Loss check: ${lossCheck.ok ? 'OK' : lossCheck.rows.length ? 'MISMATCH' : 'not run'}${lossCheck.rows.length ? ` (largest |difference| ${Math.max(...lossCheck.rows.map((r) => r.diff)).toExponential(2)} over ${lossCheck.rows.length} pairs)` : ''}`,
      '',
      ...notes.map((n) => `- ${n}`),
      '',
    ].join('\n');
    writeFileSync(opts.markdown, md);
    log(`wrote ${opts.markdown}`);
  }
  if (lossCheck.rows.length > 0 && !lossCheck.ok) process.exitCode = 2;
}

main().catch((e) => {
  console.error(`bench: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
