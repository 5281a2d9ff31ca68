import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { stateFromJSON, stateToJSON } from '../../src/io/state-json.js';

describe('JSON state files', () => {
  it('round-trip float64 exactly, float32, int32 and non-finite values', () => {
    const state = {
      w: tg.tensor([[0.1, 1 / 3], [Math.PI, -0]]),
      b: tg.tensor([NaN, Infinity, -Infinity], { dtype: 'float32' }),
      i: tg.tensor([1, 2, 3], { dtype: 'int32' }),
    };
    const text = JSON.stringify(stateToJSON(state, { note: 'x' }));
    const { state: back, metadata } = stateFromJSON(JSON.parse(text));
    expect(metadata).toEqual({ note: 'x' });
    expect(Array.from(back.w.dataSync())).toEqual(Array.from(state.w.dataSync()));
    expect(back.b.dtype).toBe('float32');
    expect(Array.from(back.b.dataSync())).toEqual([NaN, Infinity, -Infinity]);
    expect(back.i.toArray()).toEqual([1, 2, 3]);
  });

  it('rejects files that are not tensorgrad state, or whose entries disagree', () => {
    expect(() => stateFromJSON({ hello: 1 })).toThrow(/not a tensorgrad state file/);
    expect(() => stateFromJSON({ format: 'tensorgrad-state', version: 2, tensors: {} })).toThrow(/unsupported version 2/);
    const base = { format: 'tensorgrad-state', version: 1 };
    expect(() => stateFromJSON({ ...base, tensors: { w: { dtype: 'float16', shape: [1], data: [1] } } })).toThrow(/'w' has unknown dtype "float16"/);
    expect(() => stateFromJSON({ ...base, tensors: { w: { dtype: 'float64', shape: [2, 2], data: [1, 2, 3] } } })).toThrow(/'w' of shape \[2, 2\] needs 4 values but has 3/);
    expect(() => stateFromJSON({ ...base, tensors: { w: { dtype: 'float64', shape: [1], data: ['a'] } } })).toThrow(/value 0 is "a", not a number/);
  });
});
