import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-files-'));

function model(seed: number): tg.nn.FeedForward {
  tg.manualSeed(seed);
  return new tg.nn.FeedForward(4, 3, 1, 1);
}

const snapshot = (m: tg.nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('saving and loading models', () => {
  for (const ext of ['json', 'safetensors']) {
    it(`round-trips a model's state through a .${ext} file`, () => {
      const a = model(1);
      const b = model(2);
      const path = join(dir, `model.${ext}`);
      tg.save(a, path, { note: 'test' });
      expect(snapshot(b)).not.toEqual(snapshot(a));
      b.loadStateDict(tg.load(path));
      expect(snapshot(b)).toEqual(snapshot(a));
      expect(tg.loadWithMetadata(path).metadata).toEqual({ note: 'test' });
      const x = tg.randn([5, 4]);
      expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    });
  }

  it('a truncated or mismatched file is a clear error and leaves the model unchanged', () => {
    const target = model(3);
    const before = snapshot(target);
    const good = join(dir, 'good.safetensors');
    tg.save(model(4), good);
    const bytes = readFileSync(good);
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 10));
    expect(() => target.loadStateDict(tg.load(truncated))).toThrow(/truncated|cover/);
    const other = join(dir, 'other.json');
    tg.save(new tg.nn.FeedForward(5, 3, 1, 1), other);
    expect(() => target.loadStateDict(tg.load(other))).toThrow(/inLayer\.weight.*\[5, 3\].*\[4, 3\]|inLayer\.weight.*\[4, 3\].*\[5, 3\]/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": "tensorgrad-state", "version": 1, "tensors": {');
    expect(() => tg.load(broken)).toThrow(/load: .*broken\.json" is not valid JSON/);
    expect(snapshot(target)).toEqual(before);
  });

  it('refuses unknown extensions and missing files, and never leaves temporary files behind', () => {
    expect(() => tg.save(model(5), join(dir, 'model.bin'))).toThrow('save: cannot tell the format of');
    expect(() => tg.load(join(dir, 'nope.json'))).toThrow(/load: cannot read/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
