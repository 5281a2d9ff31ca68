import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, program } from '../../src/cli/main.js';

async function run(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await program((l) => lines.push(...l.split('\n'))).parseAsync(args, { from: 'user' });
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'tensorgrad-cli-'));

describe('tensorgrad CLI', () => {
  it('trains the brief\'s example by default and prints the loss every 10 epochs and the metrics', async () => {
    const lines = await run(['train', '--no-progress', '--no-chart']);
    const text = lines.join('\n');
    expect(text).toContain('breast-cancer: 569 samples, 30 features, 2 classes; train 455, test 114');
    expect(text).toContain('FeedForward(30, 50, 1, 0) with sigmoid output, normal init, 1601 parameters, float64');
    expect(text).toContain('sgd lr 0.1, batch 128, 20 epochs, reverse mode');
    const losses = lines.filter((l) => /^epoch (10|20)\/20 {2}loss \d\.\d{4}$/.test(l)).map((l) => Number(l.split('loss ')[1]));
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
    const acc = lines.find((l) => l.startsWith('accuracy'))!.trim().split(/\s+/).slice(1).map(Number);
    expect(acc[0]).toBeGreaterThan(0.8);
    expect(acc[1]).toBeGreaterThan(0.75);
    expect(text).toMatch(/confusion matrix \(test\):\ntrue \\ predicted +malignant +benign/);
  });

  it('saves a model, plots the loss, and eval reproduces the test scores', async () => {
    const model = join(dir, 'iris.safetensors');
    const plot = join(dir, 'loss.svg');
    const lines = await run(['train', '--dataset', 'iris', '--epochs', '40', '--optimizer', 'adam', '--lr', '0.05', '--scale', 'standard', '--batch-size', '16', '--save', model, '--plot', plot, '--no-progress']);
    expect(lines.join('\n')).toContain('FeedForward(4, 50, 3, 0) with softmax output');
    const trainTest = lines.find((l) => l.startsWith('accuracy'))!.trim().split(/\s+/).slice(1).map(Number);
    expect(trainTest[1]).toBeGreaterThan(0.85);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    const evalLines = await run(['eval', '--model', model]);
    const evalAcc = Number(evalLines.find((l) => l.startsWith('accuracy'))!.trim().split(/\s+/)[1]);
    expect(evalAcc).toBe(trainTest[1]);
  });

  it('trains in forward mode with the same losses as reverse mode', async () => {
    const args = ['train', '--epochs', '2', '--no-progress', '--no-chart', '--test-size', '0.5'];
    const rev = await run([...args, '--mode', 'reverse']);
    const fwd = await run([...args, '--mode', 'forward']);
    const loss = (ls: string[]) => ls.find((l) => l.startsWith('epoch 2/2'));
    expect(loss(fwd)).toBe(loss(rev));
  });

  it('reads a CSV file and reports a bad one clearly', async () => {
    const good = join(dir, 'xor.csv');
    writeFileSync(good, 'a,b,label\n' + Array.from({ length: 40 }, (_, i) => `${i % 2},${(i >> 1) % 2},${(i % 2) ^ ((i >> 1) % 2)}`).join('\n'));
    const lines = await run(['train', '--dataset', good, '--epochs', '3', '--no-progress', '--no-chart']);
    expect(lines[0]).toContain('40 samples, 2 features, 2 classes');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b,label\n1,2,0\n3,oops,1\n');
    await expect(run(['train', '--dataset', bad])).rejects.toThrow(`readCsv: ${bad}: line 3, column 2: "oops" is not a number`);
    await expect(run(['train', '--dataset', join(dir, 'missing.csv')])).rejects.toThrow(/neither a built-in data set/);
  });

  it('rejects bad flags with a readable message and a non-zero exit code', async () => {
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(String(s)), true)) as typeof process.stderr.write;
    try {
      expect(await main(['train', '--epochs', 'many'])).not.toBe(0);
      expect(await main(['train', '--optimizer', 'rmsprop'])).not.toBe(0);
      expect(await main(['train', '--lr', '-1'])).not.toBe(0);
      expect(await main(['--help'])).toBe(0);
    } finally {
      process.stderr.write = orig;
    }
    const text = errors.join('');
    expect(text).toContain('--epochs must be an integer >= 1, got "many"');
    expect(text).toMatch(/argument 'rmsprop' is invalid. Allowed choices are sgd, adam/);
    expect(text).toContain('--lr must be a positive number, got "-1"');
  });
});
