// Pure helpers of the benchmark orchestrator: statistics, the workload and target tables,
// ratios, target evaluation, the loss cross-check and the printed table. No timing, no I/O,
// so test/bench-smoke.test.ts can run them on fixed inputs.

/** The workloads of issue 4's table. `unit` is what one sample measures. */
export const WORKLOADS = [
  {
    id: 'brief-f64',
    title: "brief's model, reverse mode, 20 epochs, float64",
    unit: '20 epochs',
    kind: 'time',
  },
  {
    id: 'brief-f32',
    title: "brief's model, reverse mode, 20 epochs, float32",
    unit: '20 epochs',
    kind: 'time',
  },
  {
    id: 'brief-forward',
    title: "brief's model, forward mode (Jacobians carried), 20 epochs, float64",
    unit: '20 epochs',
    kind: 'time',
  },
  {
    id: 'mlp-step',
    title: 'MLP 784-256-256-10, batch 128, float32, one SGD step',
    unit: 'step',
    kind: 'time',
  },
  {
    id: 'matmul',
    title: 'matmul 1024 x 1024 x 1024, float32',
    unit: 'matmul',
    kind: 'gflops',
    flops: 2 * 1024 ** 3,
  },
  {
    id: 'train-cli',
    title: "`tensorgrad train` with the brief's settings, whole process",
    unit: 'process',
    kind: 'time',
  },
];

/**
 * Issue 4's targets. `peer` is an implementation key `lib/variant`; tensorgrad's side is
 * its best variant in the workload (or those whose variant matches `tgVariant`).
 * - `time-ratio-max`: tensorgrad's median time / peer's <= value
 * - `speed-ratio-min`: tensorgrad's throughput / peer's >= value
 * - `time-max-ms`: tensorgrad's median time <= value (no peer)
 */
export const TARGETS = [
  { id: 'reverse-f64', workload: 'brief-f64', peer: 'torch/f64', kind: 'time-ratio-max', value: 0.5, text: '<= 0.5 x PyTorch float64' },
  { id: 'forward', workload: 'brief-forward', peer: 'numpy/design', kind: 'time-ratio-max', value: 0.1, text: "<= 0.1 x the brief's NumPy design" },
  { id: 'mlp-step', workload: 'mlp-step', peer: 'tfjs/wasm', kind: 'time-ratio-max', value: 0.2, text: '<= 0.2 x TF.js wasm' },
  { id: 'mlp-step-torch', workload: 'mlp-step', peer: 'torch/1t', kind: 'report', value: null, text: 'ratio to PyTorch (reported, no target)' },
  { id: 'matmul', workload: 'matmul', peer: 'tfjs/wasm', kind: 'speed-ratio-min', value: 1.5, text: '>= 1.5 x TF.js wasm GFLOP/s (all cores)' },
  { id: 'train-cli', workload: 'train-cli', peer: null, kind: 'time-max-ms', value: 500, text: '< 0.5 s' },
];

/** Median of a non-empty list (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new Error('median of an empty list');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median, min, max and count of some samples (milliseconds). */
export function summarize(samples) {
  const finite = samples.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** GFLOP/s for `flops` operations done in `ms` milliseconds. */
export function gflops(flops, ms) {
  return flops / (ms * 1e6);
}

/** "12.3 ms", "4.56 s", "812 µs": three significant figures. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 1000) return `${sig(ms / 1000)} s`;
  if (ms >= 1) return `${sig(ms)} ms`;
  return `${sig(ms * 1000)} µs`;
}

/** A ratio as "0.42x" (three significant figures). */
export function formatRatio(r) {
  return Number.isFinite(r) ? `${sig(r)}x` : 'n/a';
}

function sig(v) {
  if (v === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(digits, 4));
}

/**
 * The tensorgrad entry that speaks for a workload: the fastest tensorgrad result
 * (lowest median time). `results` are `{ workload, lib, variant, median, ... }`.
 */
export function bestTensorgrad(results, workload) {
  const tg = results.filter((r) => r.workload === workload && r.lib === 'tensorgrad' && Number.isFinite(r.median));
  if (tg.length === 0) return null;
  return tg.reduce((a, b) => (b.median < a.median ? b : a));
}

/** tensorgrad's best time / each other implementation's time, per workload. */
export function ratios(results) {
  const out = [];
  for (const r of results) {
    if (r.lib === 'tensorgrad' || !Number.isFinite(r.median)) continue;
    const tg = bestTensorgrad(results, r.workload);
    if (!tg) continue;
    out.push({ workload: r.workload, peer: `${r.lib}/${r.variant}`, tensorgrad: `${tg.lib}/${tg.variant}`, ratio: tg.median / r.median });
  }
  return out;
}

/**
 * Each target: measured value, whether it is met, and by how much it is missed (the factor
 * by which tensorgrad would have to get faster). Targets whose peer or tensorgrad result is
 * absent come back with status 'not measured'.
 */
export function evaluateTargets(results, targets = TARGETS) {
  return targets.map((t) => {
    const tg = bestTensorgrad(results, t.workload);
    const base = { id: t.id, workload: t.workload, target: t.text, peer: t.peer, tensorgrad: tg ? `${tg.lib}/${tg.variant}` : null };
    if (!tg) return { ...base, measured: null, status: 'not measured', missedBy: null };
    if (t.kind === 'time-max-ms') {
      const met = tg.median < t.value;
      return { ...base, measured: tg.median, text: formatMs(tg.median), status: met ? 'met' : 'missed', missedBy: met ? null : tg.median / t.value };
    }
    const peer = results.find((r) => `${r.lib}/${r.variant}` === t.peer && r.workload === t.workload && Number.isFinite(r.median));
    if (!peer) return { ...base, measured: null, status: 'not measured', missedBy: null };
    const timeRatio = tg.median / peer.median;
    if (t.kind === 'report') return { ...base, measured: timeRatio, text: `${formatRatio(timeRatio)} the time`, status: 'info', missedBy: null };
    if (t.kind === 'time-ratio-max') {
      const met = timeRatio <= t.value;
      return { ...base, measured: timeRatio, text: `${formatRatio(timeRatio)} the time`, status: met ? 'met' : 'missed', missedBy: met ? null : timeRatio / t.value };
    }
    // speed-ratio-min
    const speedRatio = peer.median / tg.median;
    const met = speedRatio >= t.value;
    return { ...base, measured: speedRatio, text: `${formatRatio(speedRatio)} the GFLOP/s`, status: met ? 'met' : 'missed', missedBy: met ? null : t.value / speedRatio };
  });
}

/**
 * Cross-check of the brief's final losses: every float64 tensorgrad result against every
 * float64 reference (entries whose `lib` is in `referenceLibs`, or every non-tensorgrad
 * entry when it is null), |difference| <= tol. Returns one row per pair and `ok` for all.
 */
export function checkLosses(entries, tol = 1e-9, referenceLibs = null) {
  const tg = entries.filter((e) => e.lib === 'tensorgrad' && e.dtype === 'float64' && Number.isFinite(e.loss));
  const isRef = (e) => e.lib !== 'tensorgrad' && (referenceLibs === null || referenceLibs.includes(e.lib));
  const refs = entries.filter((e) => isRef(e) && e.dtype === 'float64' && Number.isFinite(e.loss));
  const rows = [];
  for (const a of tg) {
    for (const b of refs) {
      const diff = Math.abs(a.loss - b.loss);
      rows.push({ tensorgrad: a.name, reference: b.name, diff, ok: diff <= tol });
    }
  }
  const bad = entries.filter((e) => (e.lib === 'tensorgrad' || isRef(e)) && e.dtype === 'float64' && !Number.isFinite(e.loss));
  return { rows, ok: rows.length > 0 && rows.every((r) => r.ok) && bad.length === 0, nonFinite: bad.map((e) => e.name) };
}

/** Fixed-width text table; columns are `{ key, title, align }` ('r' for numbers). */
export function formatTable(rows, columns) {
  const cells = rows.map((row) => columns.map((c) => String(row[c.key] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i].length)));
  const line = (vals) =>
    vals
      .map((v, i) => (columns[i].align === 'r' ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** The same rows as a Markdown table (for BENCHMARKS.md). */
export function formatMarkdown(rows, columns) {
  const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
  const head = `| ${columns.map((c) => c.title).join(' | ')} |`;
  const rule = `| ${columns.map((c) => (c.align === 'r' ? '---:' : '---')).join(' | ')} |`;
  return [head, rule, ...rows.map((r) => `| ${columns.map((c) => esc(r[c.key])).join(' | ')} |`)].join('\n');
}

export const RESULT_COLUMNS = [
  { key: 'workload', title: 'workload' },
  { key: 'impl', title: 'implementation' },
  { key: 'medianText', title: 'median', align: 'r' },
  { key: 'spreadText', title: 'min - max', align: 'r' },
  { key: 'n', title: 'n', align: 'r' },
  { key: 'ratioText', title: 'tensorgrad / this', align: 'r' },
];

export const TARGET_COLUMNS = [
  { key: 'target', title: 'target' },
  { key: 'tensorgrad', title: 'tensorgrad' },
  { key: 'text', title: 'measured' },
  { key: 'statusText', title: 'status' },
];

/**
 * Rows for the printed table: one per implementation, grouped by workload in table order,
 * with the median (and GFLOP/s for throughput workloads), the spread, and the time ratio
 * of tensorgrad's best entry to this one.
 */
export function tableRows(results, workloads = WORKLOADS) {
  const rows = [];
  const rs = ratios(results);
  for (const w of workloads) {
    const mine = results.filter((r) => r.workload === w.id);
    for (const r of mine) {
      const g = w.kind === 'gflops' && Number.isFinite(r.median) ? ` (${sig(gflops(w.flops, r.median))} GFLOP/s)` : '';
      const ratio = rs.find((x) => x.workload === w.id && x.peer === `${r.lib}/${r.variant}`);
      const best = bestTensorgrad(results, w.id);
      rows.push({
        workload: w.id,
        impl: r.label ?? `${r.lib}/${r.variant}`,
        medianText: Number.isFinite(r.median) ? `${formatMs(r.median)}${g}` : (r.error ? `failed: ${r.error}` : 'n/a'),
        spreadText: Number.isFinite(r.min) ? `${formatMs(r.min)} - ${formatMs(r.max)}` : '',
        n: r.n ?? 0,
        ratioText: ratio ? formatRatio(ratio.ratio) : best && r === best ? '(best tensorgrad)' : '',
      });
    }
  }
  return rows;
}

/** Rows for the targets table. */
export function targetRows(evaluated) {
  return evaluated.map((t) => ({
    ...t,
    text: t.text ?? 'n/a',
    tensorgrad: t.tensorgrad ?? '-',
    statusText:
      t.status === 'missed' ? `MISSED (${sig(t.missedBy)}x short)` : t.status === 'met' ? 'met' : t.status === 'info' ? '-' : 'not measured',
  }));
}

/**
 * The order of libraries in round `round`: rotated by one each round, so no library is
 * always first (right after another's garbage) or always last.
 */
export function roundOrder(libs, round) {
  if (libs.length === 0) return [];
  const k = round % libs.length;
  return [...libs.slice(k), ...libs.slice(0, k)];
}
