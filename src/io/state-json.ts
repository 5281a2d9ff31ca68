import { isDType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { fromValues } from '../tensor/create.js';
import type { StateDict } from './state.js';

/** The JSON form of a state dict: readable, diffable, exact for float64 (shortest round-trip numbers). */
export interface StateJSON {
  format: 'tensorgrad-state';
  version: 1;
  metadata?: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; data: (number | string)[] }>;
}

// JSON has no NaN, Infinity or negative zero: they are written as the strings "NaN",
// "Infinity", "-Infinity" and "-0".
const SPECIAL = ['NaN', 'Infinity', '-Infinity', '-0'];
const encodeNumber = (v: number): number | string => (Object.is(v, -0) ? '-0' : Number.isFinite(v) ? v : String(v));
const decodeNumber = (v: unknown): number => {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (v === '-0') return -0;
  return NaN;
};

/** A state dict as a JSON-ready object. */
export function stateToJSON(state: StateDict, metadata: Record<string, string> = {}): StateJSON {
  const tensors: StateJSON['tensors'] = {};
  for (const [name, t] of Object.entries(state)) {
    tensors[name] = { dtype: t.dtype, shape: [...t.shape], data: Array.from(t.dataSync(), encodeNumber) };
  }
  return { format: 'tensorgrad-state', version: 1, ...(Object.keys(metadata).length ? { metadata } : {}), tensors };
}

/** Reads the JSON form back, checking every entry; a bad file is a clear error naming the entry. */
export function stateFromJSON(json: unknown): { state: StateDict; metadata: Record<string, string> } {
  const op = 'loadStateJSON';
  const obj = json as Partial<StateJSON>;
  if (typeof obj !== 'object' || obj === null || obj.format !== 'tensorgrad-state') {
    throw new ValueError(op, `not a tensorgrad state file (expected "format": "tensorgrad-state")`);
  }
  if (obj.version !== 1) throw new ValueError(op, `unsupported version ${JSON.stringify(obj.version)} (this library reads version 1)`);
  if (typeof obj.tensors !== 'object' || obj.tensors === null) throw new ValueError(op, '"tensors" must be an object');
  const state: StateDict = {};
  for (const [name, e] of Object.entries(obj.tensors)) {
    if (!e || !isDType(e.dtype)) throw new ValueError(op, `tensor '${name}' has unknown dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ValueError(op, `tensor '${name}' has a bad shape ${JSON.stringify(e.shape)}`);
    if (!Array.isArray(e.data) || e.data.length !== sizeOf(e.shape)) {
      throw new ValueError(op, `tensor '${name}' of shape [${e.shape.join(', ')}] needs ${sizeOf(e.shape)} values but has ${Array.isArray(e.data) ? e.data.length : 'none'}`);
    }
    const bad = e.data.findIndex((v) => typeof v !== 'number' && !SPECIAL.includes(v as string));
    if (bad >= 0) throw new ValueError(op, `tensor '${name}' value ${bad} is ${JSON.stringify(e.data[bad])}, not a number`);
    const values = e.data.map(decodeNumber);
    state[name] = fromValues(values, e.shape, e.dtype);
  }
  return { state, metadata: obj.metadata ?? {} };
}
