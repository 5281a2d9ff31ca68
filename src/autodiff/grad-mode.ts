import { itemSize, type DType } from '../core/dtype.js';
import { GradError, ValueError, fmtShape } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';

/**
 * How derivatives are tracked:
 * - `'reverse'` (default): ops record a graph that `backward()` walks back;
 * - `'forward'`: every result carries its Jacobians with respect to the `requiresGrad`
 *   leaves it depends on, computed as the forward pass runs (the project brief's design);
 * - `'none'`: nothing is tracked (evaluation; PyTorch's `no_grad`).
 */
export type GradMode = 'reverse' | 'forward' | 'none';

let mode: GradMode = 'reverse';

function check(op: string, m: unknown): GradMode {
  if (m !== 'reverse' && m !== 'forward' && m !== 'none') {
    throw new ValueError(op, `unknown gradient mode ${JSON.stringify(m)}; expected 'reverse', 'forward' or 'none'`);
  }
  return m;
}

/** The current gradient mode. */
export function getGradMode(): GradMode {
  return mode;
}

/** Sets the gradient mode until it is set again. */
export function setGradMode(m: GradMode): void {
  mode = check('setGradMode', m);
}

/** Runs `fn` with the gradient mode set to `m`, restoring the previous mode afterwards (also on errors). */
export function withGradMode<T>(m: GradMode, fn: () => T): T {
  const next = check('withGradMode', m);
  const prev = mode;
  mode = next;
  try {
    return fn();
  } finally {
    mode = prev;
  }
}

/** Runs `fn` with tracking off: the brief's evaluation switch, PyTorch's `torch.no_grad()`. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode('none', fn);
}

let forwardLimitBytes = 1024 * 1024 * 1024;

/**
 * Largest Jacobian, in bytes, that forward mode may allocate for one result with respect
 * to one leaf (default 1 GiB). Above it an op throws before allocating.
 */
export function setForwardModeLimit(bytes: number): void {
  if (!(bytes > 0)) throw new ValueError('setForwardModeLimit', `limit must be a positive number of bytes, got ${bytes}`);
  forwardLimitBytes = bytes;
}

export function getForwardModeLimit(): number {
  return forwardLimitBytes;
}

/**
 * Throws before forward mode allocates a Jacobian of `outShape` x `dirs` directions (with
 * respect to a leaf of `leafShape`) larger than the limit, naming the sizes.
 */
export function checkForwardSize(op: string, outShape: readonly number[], leafShape: readonly number[], dirs: number, dtype: DType): void {
  const entries = sizeOf(outShape) * dirs;
  const bytes = entries * itemSize(dtype);
  if (bytes > forwardLimitBytes) {
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    throw new GradError(
      op,
      `forward mode would allocate a Jacobian of ${fmtShape(outShape)} with respect to a leaf of ${fmtShape(leafShape)}: ` +
        `${sizeOf(outShape)} x ${dirs} = ${entries} entries (${mb(bytes)}), over the limit of ${mb(forwardLimitBytes)}. ` +
        `Use reverse mode (tg.setGradMode('reverse')) or raise the limit with tg.setForwardModeLimit(bytes).`,
    );
  }
}
