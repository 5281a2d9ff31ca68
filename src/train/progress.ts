/** What a training run tells a progress display. */
export interface ProgressStart {
  epochs: number;
  /** Batches per epoch, when the data says (undefined for plain iterables). */
  batchesPerEpoch?: number;
}

export interface ProgressUpdate {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based batch within the epoch. */
  batch: number;
  /** Running mean loss of the epoch so far. */
  loss: number;
  /** Training samples per second over the run so far. */
  samplesPerSecond: number;
}

/**
 * A progress display for `fit`. The terminal one (Node) draws a live bar; any object with
 * these methods can stand in (a web page, a logger, a test spy).
 */
export interface ProgressReporter {
  start(info: ProgressStart): void;
  update(state: ProgressUpdate): void;
  /** Prints a line (e.g. the loss every 10 epochs) without garbling the bar. */
  log(line: string): void;
  stop(): void;
}

/** Prints nothing. */
export const silentProgress: ProgressReporter = {
  start() {},
  update() {},
  log() {},
  stop() {},
};

/** Plain lines, for logs and pipes: one line per log message, nothing per batch. */
export function lineProgress(write: (line: string) => void): ProgressReporter {
  return {
    start() {},
    update() {},
    log: write,
    stop() {},
  };
}

let defaultFactory: (() => ProgressReporter) | null = null;

/**
 * Sets what `fit` uses for `progress: true` (the Node entry point installs a terminal bar
 * that falls back to plain lines when stdout is not a TTY; browsers print to the console).
 */
export function setDefaultProgress(factory: () => ProgressReporter): void {
  defaultFactory = factory;
}

export function defaultProgress(): ProgressReporter {
  return defaultFactory ? defaultFactory() : lineProgress((line) => console.log(line));
}
