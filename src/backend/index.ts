import { ValueError } from '../core/errors.js';
import type { Backend } from './backend.js';
import { JsBackend } from './js.js';

export type { Backend, Storage, UnaryFn, BinaryFn, ReduceKind, ArgReduceKind } from './backend.js';

const backends = new Map<string, Backend>([['js', new JsBackend()]]);
let current: Backend = backends.get('js')!;

/** Registers a backend under its name (a later `setBackend(name)` selects it). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Selects the backend new tensors are created on. */
export function setBackend(name: string): void {
  const b = backends.get(name);
  if (!b) throw new ValueError('setBackend', `unknown backend ${JSON.stringify(name)}; available: ${[...backends.keys()].join(', ')}`);
  current = b;
}

/** Name of the backend new tensors are created on. */
export function getBackend(): string {
  return current.name;
}

/** The backend object itself (for the tensor layer). */
export function currentBackend(): Backend {
  return current;
}
