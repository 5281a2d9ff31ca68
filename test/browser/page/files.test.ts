// Runs in Chromium only (the `chromium` vitest project): the browser platform's files and progress.
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tg from '../../../src/index.browser.js';

function model(seed: number): tg.nn.FeedForward {
  tg.manualSeed(seed);
  return new tg.nn.FeedForward(4, 3, 2, 1, { init: 'he' });
}

const snapshot = (m: tg.nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('browser entry: state files as downloads and uploads', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const ext of ['json', 'safetensors'] as const) {
    it(`downloadState offers a .${ext} file that readStateFile loads back into a model`, async () => {
      const clicked: { download: string; href: string }[] = [];
      vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push({ download: this.download, href: this.href });
      });
      const a = model(1);
      const blob = tg.downloadState(a, `model.${ext}`, { note: 'page' });
      expect(clicked).toHaveLength(1);
      expect(clicked[0].download).toBe(`model.${ext}`);
      expect(clicked[0].href).toMatch(/^blob:/);
      expect(document.querySelectorAll('a[download]')).toHaveLength(0);

      const file = new File([blob], `model.${ext}`);
      const { state, metadata } = await tg.readStateFile(file);
      expect(metadata).toEqual({ note: 'page' });
      const b = model(2);
      expect(snapshot(b)).not.toEqual(snapshot(a));
      b.loadStateDict(state);
      expect(snapshot(b)).toEqual(snapshot(a));
    });
  }

  it('readStateFile tells the format from the contents when there is no file name', async () => {
    const a = model(3);
    for (const format of ['json', 'safetensors'] as const) {
      const bytes = new Uint8Array(await tg.stateToBlob(a, format).arrayBuffer());
      const { state } = await tg.readStateFile(bytes);
      expect(Object.keys(state).sort()).toEqual(Object.keys(a.stateDict()).sort());
    }
  });

  it('a file that is neither format is a clear error', async () => {
    await expect(tg.readStateFile(new Blob(['not a model']))).rejects.toThrow(/readStateFile: the file is neither safetensors nor valid JSON/);
    expect(() => tg.downloadState(model(4), 'model.bin')).toThrow(/downloadState: cannot tell the format of "model.bin"/);
  });
});

describe('browser entry: progress', () => {
  it('fit({ progress: true }) prints epoch lines and a summary to the console', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
    try {
      tg.manualSeed(0);
      const x = tg.randn([16, 3]);
      const y = tg.tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: 'int32' });
      const m = new tg.nn.FeedForward(3, 4, 1);
      tg.fit(m, { loss: new tg.nn.LogLoss(), optimizer: new tg.optim.SGD(m, { lr: 0.1 }), data: new tg.data.DataSet(x, y, 8), epochs: 2, logEvery: 1, progress: true });
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}loss \d/);
    expect(lines[1]).toMatch(/^epoch 2\/2/);
    expect(lines[2]).toMatch(/^trained 2\/2 epochs, 4 batches, \d+ samples\/s$/);
  });
});
