import { ValueError } from '../core/errors.js';
import type { Backend } from './backend.js';
import { JsBackend } from './js.js';
import { WasmBackend, createWasmBackend, createWasmBackendAsync } from './wasm/index.js';
import { startThreads } from './wasm/matmul.js';
import { hardwareThreads } from './wasm/threads.js';

export type { Backend, Storage, UnaryFn, BinaryFn, ReduceKind, ArgReduceKind } from './backend.js';

/**
 * The backend new tensors are created on when the user has not chosen one: wasm, measured
 * faster than js on every workload of bench/ (BENCHMARKS.md) and passing the whole suite.
 * Where its module cannot be compiled synchronously (a browser's main thread), js is used
 * until `ready()` has compiled it.
 */
const PREFERRED: string = 'wasm';

const backends = new Map<string, Backend>([['js', new JsBackend()]]);
/** Backends that are built on first use (the wasm one compiles its module then). */
const factories = new Map<string, () => Backend>([['wasm', () => configured(createWasmBackend())]]);
/** The user's `setNumThreads`, applied to the wasm backend whenever it is created. */
let threadSetting: number | null = null;

function configured(wasm: WasmBackend): WasmBackend {
  if (threadSetting !== null) wasm.setNumThreads(threadSetting);
  return wasm;
}
let current: Backend | null = null;
/** Whether the user picked a backend (then `ready()` does not switch to the preferred one). */
let chosen = false;

function backendNamed(name: string): Backend {
  let b = backends.get(name);
  if (b) return b;
  const make = factories.get(name);
  if (!make) {
    const known = [...new Set([...backends.keys(), ...factories.keys()])];
    throw new ValueError('setBackend', `unknown backend ${JSON.stringify(name)}; available: ${known.join(', ')}`);
  }
  try {
    b = make();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ValueError('setBackend', `could not start the ${name} backend (${why}); in a browser's main thread, call 'await tg.ready()' first`);
  }
  backends.set(name, b);
  return b;
}

/** Registers a backend under its name (a later `setBackend(name)` selects it). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/**
 * Selects the backend new tensors are created on: 'wasm' (WebAssembly kernels with SIMD)
 * or 'js' (plain JavaScript, the reference). Tensors made on another backend still work
 * with these: an op moves its inputs to the current backend.
 */
export function setBackend(name: string): void {
  current = backendNamed(name);
  chosen = true;
}

/** Name of the backend new tensors are created on. */
export function getBackend(): string {
  return currentBackend().name;
}

/** The backend object itself (for the tensor layer). */
export function currentBackend(): Backend {
  return current ?? (current = preferredBackend());
}

/** The preferred backend if it starts synchronously here, else js (never throws). */
function preferredBackend(): Backend {
  if (PREFERRED !== 'js') {
    try {
      return backendNamed(PREFERRED);
    } catch {
      // e.g. a browser's main thread refusing to compile synchronously: js until ready()
    }
  }
  return backends.get('js')!;
}

/**
 * Prepares the wasm backend without blocking: compiles its module asynchronously, which
 * browsers require on their main thread for modules of this size, and in a
 * cross-origin-isolated page starts its matmul worker threads (web workers only start
 * asynchronously). Once it resolves, `setBackend('wasm')` works everywhere, and the default
 * backend is the preferred one. In Node it is optional.
 */
export async function ready(): Promise<void> {
  if (!backends.has('wasm')) backends.set('wasm', configured(await createWasmBackendAsync()));
  const wasm = backends.get('wasm');
  if (wasm instanceof WasmBackend) await startThreads(wasm.heap);
  if (!chosen) current = preferredBackend();
}

/**
 * Sets how many threads the wasm backend may use for one large matrix product (the calling
 * thread included; 1 turns worker threads off). The default is the number of cores. Worker
 * threads need Node >= 20.16, or a cross-origin-isolated page (where `await tg.ready()`
 * starts them after a change); elsewhere products run on one thread.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new ValueError('setNumThreads', `expected a whole number >= 1, got ${n}`);
  threadSetting = n;
  (backends.get('wasm') as WasmBackend | undefined)?.setNumThreads(n);
}

/**
 * How many threads the wasm backend runs one large matrix product on: the setting, or 1
 * where worker threads are not available (no shared memory, or they failed to start).
 */
export function getNumThreads(): number {
  const wasm = backends.get('wasm') as WasmBackend | undefined;
  if (wasm) return wasm.numThreads;
  const available = hardwareThreads();
  return available === 1 ? 1 : (threadSetting ?? available);
}
