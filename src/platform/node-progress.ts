import cliProgress from 'cli-progress';
import { lineProgress, type ProgressReporter } from '../train/progress.js';

/** Least time between two redraws of the bar. */
const REDRAW_MS = 50;

/**
 * The terminal progress display: a live bar (cli-progress) with epoch, batch, loss,
 * speed and ETA when `stream` is a TTY; plain lines otherwise (logs, pipes, CI).
 *
 * Training runs synchronously, so cli-progress's own redraw timer never gets a turn while
 * it runs: this reporter redraws itself (at most every 50 ms) and flushes log lines at once.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stdout): ProgressReporter {
  if (!stream.isTTY) return lineProgress((line) => stream.write(line + '\n'));
  let multi: cliProgress.MultiBar | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let perEpoch = 1;
  let epochs = 1;
  let lastDraw = 0;
  const redraw = (force: boolean) => {
    const now = Date.now();
    if (multi && (force || now - lastDraw >= REDRAW_MS)) {
      multi.update();
      lastDraw = now;
    }
  };
  return {
    start(info) {
      epochs = info.epochs;
      perEpoch = info.batchesPerEpoch ?? 1;
      multi = new cliProgress.MultiBar(
        {
          stream,
          format: 'epoch {epoch}/{epochs} |{bar}| batch {batch}/{batches} | loss {loss} | {speed} samples/s | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar = multi.create(epochs * perEpoch, 0, { epoch: 1, epochs, batch: 0, batches: info.batchesPerEpoch ?? '?', loss: '-', speed: '-' });
    },
    update(s) {
      const done = (s.epoch - 1) * perEpoch + Math.min(s.batch, perEpoch);
      bar?.update(done, { epoch: s.epoch, epochs, batch: s.batch, loss: s.loss.toFixed(4), speed: Math.round(s.samplesPerSecond) });
      redraw(false);
    },
    log(line) {
      if (multi) {
        multi.log(line + '\n');
        redraw(true);
      } else stream.write(line + '\n');
    },
    stop() {
      redraw(true);
      multi?.stop();
      multi = null;
      bar = null;
    },
  };
}
