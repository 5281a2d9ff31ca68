import { isDType, type DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { fromValues } from '../tensor/create.js';
import type { StateDict } from './state.js';

/**
 * The safetensors format, the one PyTorch users share weights in: an 8-byte little-endian
 * header length N, N bytes of JSON (`{ name: { dtype, shape, data_offsets: [begin, end] },
 * "__metadata__": { string: string } }`), then the raw little-endian tensor bytes, each
 * tensor's range given relative to the start of that byte buffer.
 */

const CODES: Record<DType, string> = { float64: 'F64', float32: 'F32', int32: 'I32' };
const DTYPES: Record<string, DType> = { F64: 'float64', F32: 'float32', I32: 'int32' };
const ITEM: Record<DType, number> = { float64: 8, float32: 4, int32: 4 };

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** Serializes a state dict (tensor names in sorted order) to safetensors bytes. */
export function encodeSafetensors(state: StateDict, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(state).sort();
  const header: Record<string, Entry | Record<string, string>> = {};
  if (Object.keys(metadata).length) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const name of names) {
    const t = state[name];
    const bytes = t.size * ITEM[t.dtype];
    header[name] = { dtype: CODES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // pad the header with spaces so that the data starts 8-byte aligned
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = state[name];
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (t.dtype === 'float64') view.setFloat64(pos + i * 8, values[i], true);
      else if (t.dtype === 'float32') view.setFloat32(pos + i * 4, values[i], true);
      else view.setInt32(pos + i * 4, values[i], true);
    }
    pos += values.length * ITEM[t.dtype];
  }
  return out;
}

/**
 * Reads safetensors bytes back into tensors, checking the header against the data:
 * a truncated, corrupt or unsupported file is a clear error, never a partial result.
 */
export function decodeSafetensors(bytes: Uint8Array): { state: StateDict; metadata: Record<string, string> } {
  const op = 'loadSafetensors';
  if (bytes.length < 8) throw new ValueError(op, `file is ${bytes.length} bytes long, too short to hold the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) throw new ValueError(op, `header claims ${n} bytes but only ${bytes.length - 8} follow: the file is truncated or not safetensors`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new ValueError(op, `header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new ValueError(op, 'header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const parsed: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null) throw new ValueError(op, '__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw)) metadata[k] = String(v);
      continue;
    }
    const e = raw as Partial<Entry>;
    const dtype = DTYPES[e?.dtype ?? ''];
    if (!dtype || !isDType(dtype)) throw new ValueError(op, `tensor '${name}' has unsupported dtype ${JSON.stringify(e?.dtype)} (supported: F64, F32, I32)`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ValueError(op, `tensor '${name}' has a bad shape ${JSON.stringify(e.shape)}`);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((v) => Number.isInteger(v) && v >= 0) || off[1] < off[0]) {
      throw new ValueError(op, `tensor '${name}' has bad data_offsets ${JSON.stringify(off)}`);
    }
    if (off[1] > dataLength) throw new ValueError(op, `tensor '${name}' ends at byte ${off[1]} but the data holds ${dataLength} bytes: the file is truncated`);
    const expected = sizeOf(e.shape) * ITEM[dtype];
    if (off[1] - off[0] !== expected) {
      throw new ValueError(op, `tensor '${name}' of shape [${e.shape.join(', ')}] (${dtype}) needs ${expected} bytes but its range holds ${off[1] - off[0]}`);
    }
    parsed.push({ name, dtype, shape: e.shape, begin: off[0], end: off[1] });
  }
  // the ranges must tile the data buffer exactly: no overlaps, no holes
  const sorted = [...parsed].sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const p of sorted) {
    if (p.begin !== cursor) throw new ValueError(op, `tensor '${p.name}' starts at byte ${p.begin} but the previous data ends at ${cursor} (overlap or hole)`);
    cursor = p.end;
  }
  if (cursor !== dataLength) throw new ValueError(op, `the data holds ${dataLength} bytes but the tensors cover ${cursor}`);
  const state: StateDict = {};
  for (const p of parsed) {
    const count = sizeOf(p.shape);
    const values = p.dtype === 'float64' ? new Float64Array(count) : p.dtype === 'float32' ? new Float32Array(count) : new Int32Array(count);
    const base = dataStart + p.begin;
    for (let i = 0; i < count; i++) {
      if (p.dtype === 'float64') values[i] = view.getFloat64(base + i * 8, true);
      else if (p.dtype === 'float32') values[i] = view.getFloat32(base + i * 4, true);
      else values[i] = view.getInt32(base + i * 4, true);
    }
    state[p.name] = fromValues(values, p.shape, p.dtype);
  }
  return { state, metadata };
}
