import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';

/** Builds a safetensors file by hand from the format's description, independently of the encoder. */
function handMade(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('safetensors', () => {
  const state = {
    'inLayer.weight': tg.tensor([[1.5, -2], [0.25, 1e-300]]),
    'inLayer.bias': tg.tensor([[0.1, 0.2]], { dtype: 'float32' }),
    steps: tg.tensor([3, -7], { dtype: 'int32' }),
  };

  it('round-trips values, shapes and dtypes exactly', () => {
    const { state: back, metadata } = decodeSafetensors(encodeSafetensors(state, { model: 'FeedForward' }));
    expect(metadata).toEqual({ model: 'FeedForward' });
    expect(Object.keys(back).sort()).toEqual(Object.keys(state).sort());
    for (const [k, t] of Object.entries(state)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect(Array.from(back[k].dataSync())).toEqual(Array.from(t.dataSync()));
    }
  });

  it('writes the layout of the format: u64 LE header size, JSON, aligned little-endian data', () => {
    const bytes = encodeSafetensors({ a: tg.tensor([1, 2]) });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } });
    expect(view.getFloat64(8 + n, true)).toBe(1);
    expect(view.getFloat64(8 + n + 8, true)).toBe(2);
  });

  it('reads a file written by hand from the spec', () => {
    const data = new Uint8Array(12);
    const dv = new DataView(data.buffer);
    dv.setFloat32(0, 0.5, true);
    dv.setFloat32(4, -3, true);
    dv.setInt32(8, 42, true);
    const file = handMade({ __metadata__: { format: 'pt' }, w: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] }, n: { dtype: 'I32', shape: [], data_offsets: [8, 12] } }, data);
    const { state: s, metadata } = decodeSafetensors(file);
    expect(metadata.format).toBe('pt');
    expect(s.w.toArray()).toEqual([[0.5, -3]]);
    expect(s.n.dtype).toBe('int32');
    expect(s.n.item()).toBe(42);
  });

  it('rejects truncated and inconsistent files with clear errors', () => {
    const good = encodeSafetensors(state);
    expect(() => decodeSafetensors(good.subarray(0, 5))).toThrow(/too short/);
    expect(() => decodeSafetensors(good.subarray(0, 20))).toThrow(/header claims \d+ bytes but only 12 follow/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 3))).toThrow(/truncated|cover/);
    expect(() => decodeSafetensors(handMade({ w: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)))).toThrow(/unsupported dtype "BF16"/);
    expect(() => decodeSafetensors(handMade({ w: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(/needs 16 bytes but its range holds 8/);
    expect(() =>
      decodeSafetensors(handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [2, 6] } }, new Uint8Array(6))),
    ).toThrow(/overlap or hole/);
    const notJson = handMade({}, new Uint8Array(0));
    notJson[8] = 0x7b + 1;
    expect(() => decodeSafetensors(notJson)).toThrow(/not valid JSON/);
  });
});
