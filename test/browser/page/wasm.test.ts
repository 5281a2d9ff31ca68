// Runs in Chromium only (the `chromium` vitest project): the wasm backend in a page's main thread.
import { afterEach, describe, expect, it } from 'vitest';
import * as tg from '../../../src/index.browser.js';

describe('wasm backend in the page', () => {
  const before = tg.getBackend();
  afterEach(() => tg.setBackend(before));

  it('after await tg.ready(), setBackend("wasm") works and computes what js computes', () => {
    // setup.ts awaited tg.ready() already; calling it again is harmless
    tg.manualSeed(0);
    const a = tg.randn([33, 17]);
    const b = tg.randn([17, 9]);
    tg.setBackend('js');
    const expected = tg.sum(tg.relu(tg.matmul(a, b)), 0).dataSync();
    tg.setBackend('wasm');
    expect(tg.getBackend()).toBe('wasm');
    const got = tg.sum(tg.relu(tg.matmul(a, b)), 0).dataSync();
    Array.from(got).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
  });

  it('trains the brief-sized model on breast cancer with the wasm backend in both modes', () => {
    tg.setBackend('wasm');
    const d = tg.datasets.breastCancer();
    const x = new tg.data.MaxScaler().fitTransform(d.x);
    for (const mode of ['reverse', 'forward'] as const) {
      tg.manualSeed(0);
      const m = new tg.nn.FeedForward(30, 8, 1, 0, { init: 'he' });
      const h = tg.fit(m, { loss: new tg.nn.LogLoss(), optimizer: new tg.optim.Adam(m, { lr: 0.01 }), data: new tg.data.DataSet(x, d.y, 128), epochs: 3, mode });
      expect(h.loss[2]).toBeLessThan(h.loss[0]);
    }
  });
});
