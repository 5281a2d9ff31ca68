import { describe, expect, it } from 'vitest';
import { parseCsvDataset } from '../../src/io/csv.js';

describe('CSV data sets', () => {
  it('reads a header, numeric features and integer labels', () => {
    const d = parseCsvDataset('a,b,label\n1,2,0\n3.5,-4,1\n');
    expect(d.featureNames).toEqual(['a', 'b']);
    expect(d.x.toArray()).toEqual([[1, 2], [3.5, -4]]);
    expect(d.y.dtype).toBe('int32');
    expect(d.y.toArray()).toEqual([0, 1]);
    expect(d.targetNames).toEqual(['0', '1']);
  });

  it('maps text labels to classes in sorted order, and reads files without a header', () => {
    const d = parseCsvDataset('5.1,3.5,setosa\n6.2,2.9,versicolor\n4.9,3.0,setosa\n');
    expect(d.targetNames).toEqual(['setosa', 'versicolor']);
    expect(d.y.toArray()).toEqual([0, 1, 0]);
    expect(d.featureNames).toEqual(['feature_0', 'feature_1']);
  });

  it('understands the header of the shipped data sets', () => {
    const d = parseCsvDataset('2,2,malignant,benign\n1,2,0\n3,4,1\n');
    expect(d.targetNames).toEqual(['malignant', 'benign']);
    expect(d.x.shape).toEqual([2, 2]);
  });

  it('reports ragged rows, bad numbers and empty files with line and column', () => {
    expect(() => parseCsvDataset('a,b,y\n1,2,0\n3,1\n', 'data.csv')).toThrow('readCsv: data.csv: line 3 has 2 fields but 3 were expected');
    expect(() => parseCsvDataset('a,b,y\n1,x,0\n', 'data.csv')).toThrow('readCsv: data.csv: line 2, column 2: "x" is not a number');
    expect(() => parseCsvDataset('', 'data.csv')).toThrow(/the file is empty/);
    expect(() => parseCsvDataset('a,b,y\n', 'data.csv')).toThrow(/no data rows/);
    expect(() => parseCsvDataset('y\n1\n', 'data.csv')).toThrow(/at least one feature column/);
  });
});
