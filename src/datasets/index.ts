/**
 * Built-in datasets, embedded in the package (no network, no file system; they work in
 * browser bundles too). Each loader returns fresh tensors: features `x` [n, f] float64,
 * labels `y` [n] int32, and the feature and class names. The data is parsed on first use
 * and cached.
 *
 * Attribution (also in data/README.md):
 * - breast cancer: UCI ML Breast Cancer Wisconsin (Diagnostic), W. H. Wolberg, W. N. Street,
 *   O. L. Mangasarian, 1995; CC BY 4.0.
 * - digits: UCI ML Optical Recognition of Handwritten Digits (test set), E. Alpaydin,
 *   C. Kaynak, 1998; CC BY 4.0.
 * - iris: R. A. Fisher, 1936, as in R's `iris`; public domain.
 */
import { fromValues } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { BREAST_CANCER_CSV } from './generated/breast-cancer.js';
import { DIGITS_CSV_GZ_BASE64 } from './generated/digits.js';
import { IRIS_CSV } from './generated/iris.js';
import { gunzipBase64, parseTable, type ParsedTable } from './parse.js';

/** A classification dataset: features, integer labels, and their names. */
export interface Dataset {
  /** Features, [n, f] float64. */
  x: Tensor;
  /** Class labels 0..k-1, [n] int32. */
  y: Tensor;
  /** One name per feature column. */
  featureNames: string[];
  /** One name per class, indexed by label. */
  targetNames: string[];
}

const cache = new Map<string, ParsedTable>();

function load(name: string, parse: () => ParsedTable, featureNames: string[], targetNames?: string[]): Dataset {
  let table = cache.get(name);
  if (!table) {
    table = parse();
    cache.set(name, table);
  }
  return {
    x: fromValues(table.x, [table.rows, table.features], 'float64'),
    y: fromValues(table.y, [table.rows], 'int32'),
    featureNames: [...featureNames],
    targetNames: [...(targetNames ?? table.classNames ?? [])],
  };
}

const BREAST_CANCER_FEATURES = [
  'mean radius', 'mean texture', 'mean perimeter', 'mean area', 'mean smoothness',
  'mean compactness', 'mean concavity', 'mean concave points', 'mean symmetry',
  'mean fractal dimension', 'radius error', 'texture error', 'perimeter error', 'area error',
  'smoothness error', 'compactness error', 'concavity error', 'concave points error',
  'symmetry error', 'fractal dimension error', 'worst radius', 'worst texture',
  'worst perimeter', 'worst area', 'worst smoothness', 'worst compactness',
  'worst concavity', 'worst concave points', 'worst symmetry', 'worst fractal dimension',
];

/**
 * Breast Cancer Wisconsin (Diagnostic): 569 tumours × 30 features computed from images of
 * cell nuclei; 0 = malignant (212), 1 = benign (357). The dataset of the project brief
 * (scikit-learn's `load_breast_cancer`). UCI ML repository, W. H. Wolberg, W. N. Street,
 * O. L. Mangasarian, 1995; CC BY 4.0.
 */
export function breastCancer(): Dataset {
  return load('breastCancer', () => parseTable('breastCancer', BREAST_CANCER_CSV, true), BREAST_CANCER_FEATURES);
}

/**
 * Optical recognition of handwritten digits: 1797 images of 8×8 pixels with values 0..16,
 * flattened row by row into 64 features `pixel_<row>_<col>`; classes '0'..'9'
 * (scikit-learn's `load_digits`). UCI ML repository (test set), E. Alpaydin, C. Kaynak,
 * 1998; CC BY 4.0.
 */
export function digits(): Dataset {
  const names = Array.from({ length: 64 }, (_, i) => `pixel_${Math.floor(i / 8)}_${i % 8}`);
  const classes = Array.from({ length: 10 }, (_, i) => String(i));
  return load('digits', () => parseTable('digits', gunzipBase64(DIGITS_CSV_GZ_BASE64), false), names, classes);
}

/**
 * Fisher's iris: 150 flowers × 4 measurements in cm; classes setosa, versicolor, virginica
 * (50 each). R. A. Fisher, 1936, as in R's `iris`; public domain.
 */
export function iris(): Dataset {
  const names = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
  return load('iris', () => parseTable('iris', IRIS_CSV, true), names);
}
