import type { ProgressReporter } from '../train/progress.js';

/**
 * The browser's default progress display for `fit({ progress: true })`: the epoch lines
 * (`epoch 10/20  loss 0.1234 ...`) on the console, and a closing line with the run's
 * speed. Nothing per batch, so the console stays readable. Pass `write` to send the lines
 * elsewhere (a `<pre>`, a worker's `postMessage`); for a live display, implement
 * `ProgressReporter` yourself.
 */
export function consoleProgress(write: (line: string) => void = (line) => console.log(line)): ProgressReporter {
  let epochs = 0;
  let batches = 0;
  let speed = 0;
  let lastEpoch = 0;
  return {
    start(info) {
      epochs = info.epochs;
      batches = 0;
      speed = 0;
      lastEpoch = 0;
    },
    update(state) {
      batches++;
      speed = state.samplesPerSecond;
      lastEpoch = state.epoch;
    },
    log: write,
    stop() {
      if (batches > 0) write(`trained ${lastEpoch}/${epochs} epochs, ${batches} batches, ${Math.round(speed)} samples/s`);
    },
  };
}
