import { parse } from '#csv-parse'; // csv-parse/sync in Node, csv-parse's browser build in browsers (package.json "imports"): the Node one needs the global Buffer
import { ValueError } from '../core/errors.js';
import { fromValues } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';

/** A labelled data set read from CSV. */
export interface CsvDataset {
  x: Tensor;
  y: Tensor;
  featureNames: string[];
  targetNames: string[];
}

const isNumber = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));

/**
 * Parses a labelled CSV data set: one sample per row, numeric features, the label in the
 * last column. An optional first row of column names is recognised by holding a field
 * that is not a number. Integer labels are class indices as they are; any other labels
 * (e.g. "setosa") become class indices in sorted order. Every problem is reported with its
 * line and column: ragged rows, non-numeric features, too few rows or columns.
 */
export function parseCsvDataset(text: string, source = 'CSV'): CsvDataset {
  const op = 'readCsv';
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new ValueError(op, `${source}: not valid CSV (${(e as Error).message})`);
  }
  if (rows.length === 0) throw new ValueError(op, `${source}: the file is empty`);
  // a first row is a header when a feature field is not a number, or when only its label is
  // text while the next row's label is a number
  const first = rows[0];
  const hasHeader =
    first.slice(0, -1).some((f) => !isNumber(f)) || (!isNumber(first[first.length - 1]) && rows.length > 1 && isNumber(rows[1][rows[1].length - 1]));
  const header = hasHeader ? rows[0] : null;
  const body = hasHeader ? rows.slice(1) : rows;
  const firstLine = hasHeader ? 2 : 1;
  if (body.length === 0) throw new ValueError(op, `${source}: no data rows after the header`);
  const width = header && !isShippedHeader(header) ? header.length : body[0].length;
  if (width < 2) throw new ValueError(op, `${source}: needs at least one feature column and a label column, found ${width} column(s)`);
  const f = width - 1;
  const values = new Float64Array(body.length * f);
  const rawLabels: string[] = [];
  body.forEach((row, r) => {
    if (row.length !== width) {
      throw new ValueError(op, `${source}: line ${r + firstLine} has ${row.length} fields but ${width} were expected`);
    }
    for (let c = 0; c < f; c++) {
      if (!isNumber(row[c])) {
        throw new ValueError(op, `${source}: line ${r + firstLine}, column ${c + 1}: ${JSON.stringify(row[c])} is not a number`);
      }
      values[r * f + c] = Number(row[c]);
    }
    if (row[f] === '') throw new ValueError(op, `${source}: line ${r + firstLine}: the label is empty`);
    rawLabels.push(row[f]);
  });
  const allInts = rawLabels.every((l) => /^\d+$/.test(l));
  let labels: number[];
  let targetNames: string[];
  if (allInts) {
    labels = rawLabels.map(Number);
    const k = Math.max(...labels) + 1;
    targetNames = header && isShippedHeader(header) ? header.slice(2) : Array.from({ length: k }, (_, i) => String(i));
  } else {
    targetNames = [...new Set(rawLabels)].sort();
    labels = rawLabels.map((l) => targetNames.indexOf(l));
  }
  const featureNames = header && !isShippedHeader(header) ? header.slice(0, f) : Array.from({ length: f }, (_, i) => `feature_${i}`);
  return { x: fromValues(values, [body.length, f], 'float64'), y: fromValues(labels, [body.length], 'int32'), featureNames, targetNames };
}

/**
 * The header of the data sets this project ships (`n_samples,n_features,class names...`),
 * which describes the file rather than naming its columns.
 */
function isShippedHeader(header: string[]): boolean {
  return header.length >= 3 && isNumber(header[0]) && isNumber(header[1]);
}
