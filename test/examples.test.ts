import { afterEach, describe, expect, it, vi } from 'vitest';

/** Runs an example (an ES module that prints its results) and returns what it printed. */
async function runExample(name: string): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await import(`../examples/${name}?run=${Date.now()}`);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

const numbersIn = (line: string): number[] => [...line.matchAll(/-?\d+\.\d+(?:e[-+]?\d+)?/g)].map((m) => Number(m[0]));

describe('examples', () => {
  afterEach(() => vi.restoreAllMocks());

  it('brief-walkthrough: both worked derivatives match their closed forms, and the model learns', async () => {
    const out = (await runExample('brief-walkthrough.mjs')).split('\n');
    const carried = numbersIn(out.find((l) => l.startsWith('dΦ/dw carried'))!);
    const closed = numbersIn(out.find((l) => l.startsWith('closed form'))!);
    expect(carried).toEqual(closed);
    const jac = numbersIn(out.find((l) => l.startsWith('dφ/dω'))!);
    const sigmaX = numbersIn(out.find((l) => l.startsWith("σ'(xω)"))!);
    expect(jac).toEqual(sigmaX);
    const losses = out.filter((l) => l.startsWith('epoch')).map((l) => numbersIn(l)[0]);
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(numbersIn(out.find((l) => l.startsWith('training accuracy'))!)[0]).toBeGreaterThan(0.8);
  });

  it('digits-classifier: test accuracy above 0.95 and a 10 × 10 confusion matrix that adds up', async () => {
    const out = (await runExample('digits-classifier.mjs')).split('\n');
    expect(numbersIn(out.find((l) => l.startsWith('test accuracy'))!)[0]).toBeGreaterThan(0.95);
    const rows = out.slice(-10).map((l) => l.trim().split(/\s+/).slice(1).map(Number));
    expect(rows.flat().reduce((a, b) => a + b, 0)).toBe(360);
  });

  it('forward-mode-sensitivity: per-example gradients average to the batch gradient', async () => {
    const out = await runExample('forward-mode-sensitivity.mjs');
    expect(out).toContain('their mean equals the gradient of the mean loss: true');
    expect(out).toMatch(/most influential \(standardized\) features:\n {2}\S/);
  });
});
