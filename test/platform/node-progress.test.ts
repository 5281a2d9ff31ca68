import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../src/platform/node-progress.js';

/** A stream that records what is written to it, posing as a terminal or not. */
function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text: () => string } {
  const chunks: string[] = [];
  const s = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { text: () => string };
  Object.assign(s, { isTTY, columns: 120, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, text: () => chunks.join('') });
  return s;
}

describe('terminal progress', () => {
  it('prints plain lines when the output is not a terminal', () => {
    const s = fakeStream(false);
    const p = terminalProgress(s);
    p.start({ epochs: 2, batchesPerEpoch: 3 });
    p.update({ epoch: 1, batch: 1, loss: 0.5, samplesPerSecond: 100 });
    p.log('epoch 1/2  loss 0.5000');
    p.stop();
    expect(s.text()).toBe('epoch 1/2  loss 0.5000\n');
  });

  it('draws a live bar with epoch, batch, loss and speed on a terminal', () => {
    const s = fakeStream(true);
    const p = terminalProgress(s);
    p.start({ epochs: 2, batchesPerEpoch: 3 });
    p.update({ epoch: 2, batch: 3, loss: 0.25, samplesPerSecond: 1234.4 });
    p.log('epoch 2/2  loss 0.2500');
    p.stop();
    const text = s.text();
    expect(text).toContain('epoch 2/2');
    expect(text).toContain('batch 3/3');
    expect(text).toContain('loss 0.2500');
    expect(text).toContain('1234 samples/s');
    expect(text).toContain('epoch 2/2  loss 0.2500\n');
  });
});
