import { ValueError } from '../core/errors.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { stateFromJSON, stateToJSON } from '../io/state-json.js';
import { stateOf, type HasState, type StateDict } from '../io/state.js';

/** The two state file formats: readable JSON (exact) and compact safetensors. */
export type StateFileFormat = 'json' | 'safetensors';

function formatOfName(name: string): StateFileFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.safetensors')) return 'safetensors';
  return null;
}

/**
 * A model's state (or a state dict) as a file's contents, ready to download, upload or
 * store (IndexedDB, Cache API). The same bytes `tg.save` writes in Node.
 */
export function stateToBlob(source: HasState | StateDict, format: StateFileFormat = 'safetensors', metadata: Record<string, string> = {}): Blob {
  const state = stateOf(source);
  if (format === 'json') return new Blob([JSON.stringify(stateToJSON(state, metadata))], { type: 'application/json' });
  if (format === 'safetensors') return new Blob([encodeSafetensors(state, metadata) as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  throw new ValueError('stateToBlob', `unknown format ${JSON.stringify(format)}: use 'json' or 'safetensors'`);
}

/**
 * Browsers have no file system to `save` to: this offers the state as a download named
 * `fileName` (`.json` or `.safetensors`, which picks the format), the browser counterpart
 * of Node's `tg.save(model, path)`. Returns the file's contents.
 */
export function downloadState(source: HasState | StateDict, fileName = 'model.safetensors', metadata: Record<string, string> = {}): Blob {
  const format = formatOfName(fileName);
  if (!format) throw new ValueError('downloadState', `cannot tell the format of ${JSON.stringify(fileName)}: use a .json or .safetensors file name`);
  if (typeof document === 'undefined') {
    throw new ValueError('downloadState', 'a download needs a page (document); in a worker, post stateToBlob(model) to the page and download it there');
  }
  const blob = stateToBlob(source, format, metadata);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  try {
    a.click();
  } finally {
    a.remove();
    // the download has started reading the URL by now; release it on the next turn
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
  return blob;
}

/** A safetensors file begins with its header's length (8 bytes, little-endian) and then '{'. */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  return headerLength > 0n && headerLength <= BigInt(bytes.length - 8) && bytes[8] === 0x7b;
}

/**
 * Reads a state file the user picked or dropped (a `File`), fetched (`Response.blob()`),
 * or already in memory, written by `tg.save` or `downloadState`: the browser counterpart
 * of Node's `tg.loadWithMetadata(path)`. The format comes from the file name when there
 * is one, else from the contents. Load the result with `model.loadStateDict(state)`.
 */
export async function readStateFile(
  file: Blob | ArrayBuffer | Uint8Array,
  fileName?: string,
): Promise<{ state: StateDict; metadata: Record<string, string> }> {
  const name = fileName ?? (typeof File !== 'undefined' && file instanceof File ? file.name : '');
  let bytes: Uint8Array;
  if (file instanceof Uint8Array) bytes = file;
  else if (file instanceof ArrayBuffer) bytes = new Uint8Array(file);
  else if (typeof Blob !== 'undefined' && file instanceof Blob) bytes = new Uint8Array(await file.arrayBuffer());
  else throw new ValueError('readStateFile', 'expected a File, Blob, ArrayBuffer or Uint8Array');
  const format = formatOfName(name) ?? (looksLikeSafetensors(bytes) ? 'safetensors' : 'json');
  if (format === 'safetensors') return decodeSafetensors(bytes);
  const label = name ? JSON.stringify(name) : 'the file';
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ValueError('readStateFile', `${label} is neither safetensors nor valid JSON (${(e as Error).message})`);
  }
  return stateFromJSON(json);
}
