import { readFileSync } from 'node:fs';
import * as tg from '../index.js';

/** The data sets the CLI knows by name. */
export const BUILT_IN = ['breast-cancer', 'digits', 'iris'] as const;

export interface LoadedDataset {
  name: string;
  x: tg.Tensor;
  y: tg.Tensor;
  featureNames: string[];
  targetNames: string[];
}

/** A built-in data set by name, or a CSV file by path (features then a label column). */
export function loadDataset(spec: string): LoadedDataset {
  switch (spec) {
    case 'breast-cancer':
      return { name: spec, ...tg.datasets.breastCancer() };
    case 'digits':
      return { name: spec, ...tg.datasets.digits() };
    case 'iris':
      return { name: spec, ...tg.datasets.iris() };
  }
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch {
    throw new tg.ValueError('dataset', `${JSON.stringify(spec)} is neither a built-in data set (${BUILT_IN.join(', ')}) nor a readable CSV file`);
  }
  return { name: spec, ...tg.parseCsvDataset(text, spec) };
}
