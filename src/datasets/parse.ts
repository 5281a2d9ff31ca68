import { gunzipSync } from 'fflate';
import { ValueError } from '../core/errors.js';

/** A dataset parsed once: features row-major, labels, and the class names if the file has them. */
export interface ParsedTable {
  readonly rows: number;
  readonly features: number;
  readonly x: Float64Array;
  readonly y: Int32Array;
  readonly classNames: string[] | null;
}

/**
 * Parses the project's dataset CSV format: one example per line, the features then the
 * integer class label. With `header`, the first line is `n_samples,n_features,class names...`
 * and the counts are checked.
 */
export function parseTable(op: string, text: string, header: boolean): ParsedTable {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  let classNames: string[] | null = null;
  let expectRows = -1;
  let expectFeatures = -1;
  if (header) {
    const head = lines.shift()!.split(',');
    expectRows = Number(head[0]);
    expectFeatures = Number(head[1]);
    classNames = head.slice(2).map((s) => s.trim());
  }
  const features = expectFeatures >= 0 ? expectFeatures : lines[0].split(',').length - 1;
  const rows = lines.length;
  if (expectRows >= 0 && rows !== expectRows) throw new ValueError(op, `embedded data has ${rows} rows but its header says ${expectRows}`);
  const x = new Float64Array(rows * features);
  const y = new Int32Array(rows);
  lines.forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== features + 1) throw new ValueError(op, `embedded data row ${r} has ${cells.length} cells, expected ${features + 1}`);
    for (let c = 0; c < features; c++) x[r * features + c] = Number(cells[c]);
    y[r] = Number(cells[features]);
  });
  return { rows, features, x, y, classNames };
}

/** Base64 -> bytes, with the `atob` that Node (>= 16) and browsers both provide. */
function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The text of a gzip file embedded as base64 (inflated with fflate, which runs anywhere). */
export function gunzipBase64(b64: string): string {
  return new TextDecoder().decode(gunzipSync(base64Bytes(b64)));
}
