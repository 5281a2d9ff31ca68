import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { ValueError } from '../core/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { stateFromJSON, stateToJSON } from '../io/state-json.js';
import { stateOf, type HasState, type StateDict } from '../io/state.js';

function formatOf(op: string, path: string): 'json' | 'safetensors' {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.safetensors') return 'safetensors';
  throw new ValueError(op, `cannot tell the format of ${JSON.stringify(path)}: use a .json or .safetensors file name`);
}

/** Writes to a temporary file beside `path`, then renames: a failed write never leaves half a file. */
function writeAtomically(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path) || '.', { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Saves a model's state (or a state dict) to `path`: `.json` (readable, exact) or
 * `.safetensors` (compact, loadable by PyTorch's safetensors). Node only.
 */
export function save(source: HasState | StateDict, path: string, metadata: Record<string, string> = {}): void {
  const state = stateOf(source);
  const format = formatOf('save', path);
  writeAtomically(path, format === 'json' ? JSON.stringify(stateToJSON(state, metadata)) : encodeSafetensors(state, metadata));
}

/** Reads a state dict saved by `save` (or any safetensors file of F64/F32/I32 tensors). Node only. */
export function load(path: string): StateDict {
  return loadWithMetadata(path).state;
}

/** Like `load`, with the file's metadata. */
export function loadWithMetadata(path: string): { state: StateDict; metadata: Record<string, string> } {
  const format = formatOf('load', path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ValueError('load', `cannot read ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
  if (format === 'safetensors') return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new ValueError('load', `${JSON.stringify(path)} is not valid JSON (${(e as Error).message})`);
  }
  return stateFromJSON(json);
}
