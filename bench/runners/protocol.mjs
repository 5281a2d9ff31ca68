// The runner side of the benchmark protocol (bench/README.md), for the Node runners.
//
// A runner writes one JSON line `{"type":"hello", lib, version, variants, notes}` on stdout,
// then answers each request line from stdin with one JSON line:
//   {"op":"run", id, workload, variant, params, warmup, reps}
//     -> {"id", times: [ms per sample], check?: {loss}}  or  {"id", error}
//   {"op":"quit"} -> exits.
// Anything else a runner or its library prints goes to stderr.
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';

// Libraries that print to stdout (TF.js's Node hint) must not break the protocol: send
// console.log and console.info to stderr, and keep the real stdout for protocol lines.
const protocolOut = process.stdout.write.bind(process.stdout);
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

function send(msg) {
  protocolOut(`${JSON.stringify(msg)}\n`);
}

/**
 * Times `run` once per sample after `warmup` untimed calls. `run(ctx)` may return a value
 * (e.g. a final loss) which is reported from the last sample; `setup()` (untimed) runs
 * before each call and its result is passed to `run`. `inner` calls per sample are timed
 * together and divided, for workloads too short for one clock reading.
 */
export async function timeIt({ setup = () => undefined, run, warmup = 1, reps = 1, inner = 1, warmupRun }) {
  for (let i = 0; i < warmup; i++) await (warmupRun ?? run)(await setup());
  const times = [];
  let last;
  for (let i = 0; i < reps; i++) {
    const ctx = await setup();
    const t0 = performance.now();
    for (let k = 0; k < inner; k++) last = await run(ctx);
    times.push((performance.now() - t0) / inner);
  }
  return { times, last };
}

/**
 * Serves requests. `hello` is `{ lib, version, variants: [{ workload, variant, label,
 * dtype }], notes }`; `handlers[workload](variant, request)` resolves to `{ times, check }`.
 */
export async function serve(hello, handlers) {
  send({ type: 'hello', ...hello });
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const req = JSON.parse(line);
    if (req.op === 'quit') break;
    try {
      const handler = handlers[req.workload];
      if (!handler) throw new Error(`no workload ${req.workload}`);
      const res = await handler(req.variant, req);
      send({ id: req.id, ...res });
    } catch (e) {
      send({ id: req.id, error: e instanceof Error ? `${e.message}` : String(e) });
    }
  }
  rl.close();
  process.exit(0);
}
