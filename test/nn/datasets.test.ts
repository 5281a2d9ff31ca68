import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Parses a data/ CSV independently of the library (node:zlib, not fflate). */
function readCsv(file: string, header: boolean): { rows: number[][]; head: string[] } {
  const raw = readFileSync(join(root, 'data', file));
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const lines = text.trim().split('\n');
  const head = header ? lines.shift()!.split(',') : [];
  return { rows: lines.map((l) => l.split(',').map(Number)), head };
}

const counts = (y: tg.Tensor, k: number) => Array.from({ length: k }, (_, c) => Array.from(y.dataSync()).filter((v) => v === c).length);

describe('built-in datasets', () => {
  it('breastCancer: 569 × 30 float64, labels int32 (212 malignant, 357 benign), names', () => {
    const d = tg.datasets.breastCancer();
    expect([d.x.shape, d.x.dtype, d.y.shape, d.y.dtype]).toEqual([[569, 30], 'float64', [569], 'int32']);
    expect(counts(d.y, 2)).toEqual([212, 357]);
    expect(d.targetNames).toEqual(['malignant', 'benign']);
    expect(d.featureNames.length).toBe(30);
    expect(d.featureNames.slice(0, 2)).toEqual(['mean radius', 'mean texture']);
    expect(d.featureNames[29]).toBe('worst fractal dimension');
    expect((d.x.toArray() as number[][])[0].slice(0, 4)).toEqual([17.99, 10.38, 122.8, 1001]);
    expect(d.x.max().item()).toBe(4254); // the brief's x.max()
  });

  it('digits: 1797 × 64 pixels 0..16, labels 0..9, pixel_r_c names', () => {
    const d = tg.datasets.digits();
    expect([d.x.shape, d.y.shape, d.y.dtype]).toEqual([[1797, 64], [1797], 'int32']);
    expect(d.featureNames[0]).toBe('pixel_0_0');
    expect(d.featureNames[9]).toBe('pixel_1_1');
    expect(d.featureNames[63]).toBe('pixel_7_7');
    expect(d.targetNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([d.x.min().item(), d.x.max().item()]).toEqual([0, 16]);
    expect(counts(d.y, 10).reduce((a, b) => a + b)).toBe(1797);
    expect(counts(d.y, 10).every((n) => n >= 170 && n <= 190)).toBe(true);
  });

  it('iris: 150 × 4, 50 per class', () => {
    const d = tg.datasets.iris();
    expect([d.x.shape, d.y.shape]).toEqual([[150, 4], [150]]);
    expect(counts(d.y, 3)).toEqual([50, 50, 50]);
    expect(d.targetNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(d.featureNames).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
    expect((d.x.toArray() as number[][])[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
  });

  it('hold exactly the values of the files in data/', () => {
    for (const [load, file, header] of [
      [tg.datasets.breastCancer, 'breast_cancer.csv', true],
      [tg.datasets.digits, 'digits.csv.gz', false],
      [tg.datasets.iris, 'iris.csv', true],
    ] as const) {
      const { rows, head } = readCsv(file, header);
      const d = load();
      const f = d.x.shape[1];
      expect(rows.map((r) => r.slice(0, f))).toEqual(d.x.toArray());
      expect(rows.map((r) => r[f])).toEqual(d.y.toArray());
      if (header) expect(head.slice(2)).toEqual(d.targetNames);
    }
  });

  it('give fresh tensors on every call', () => {
    const a = tg.datasets.iris();
    a.x.assign_(tg.zeros([150, 4]));
    a.featureNames[0] = 'changed';
    const b = tg.datasets.iris();
    expect((b.x.toArray() as number[][])[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(b.featureNames[0]).toBe('sepal length (cm)');
  });

  it('the embedded modules are up to date with data/ (scripts/embed-datasets.mjs --check)', () => {
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/embed-datasets.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('load and train in a browser bundle, with no Node API in reach', async () => {
    // Bundle the nn stack and the datasets for the browser with vite (which vitest runs on),
    // then run the bundle in a bare V8 context holding only the web APIs a browser has
    // (atob, TextDecoder): no require, process, Buffer or file system.
    const { build } = await import('vite');
    const dir = mkdtempSync(join(tmpdir(), 'tg-bundle-'));
    const src = (p: string) => JSON.stringify(join(root, 'src', p));
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(
        entry,
        `import ${src('ops/index.ts')};
import * as nn from ${src('nn/index.ts')};
import * as optim from ${src('optim/index.ts')};
import * as data from ${src('data/index.ts')};
import * as datasets from ${src('datasets/index.ts')};
export function run() {
  const digits = datasets.digits();
  const { x, y } = datasets.iris();
  const split = data.trainTestSplit(x, y, { seed: 0, stratify: true });
  const scaler = new data.StandardScaler();
  const model = new nn.FeedForward(4, 16, 3, 0, { init: 'he' });
  const opt = new optim.Adam(model, { lr: 0.05 });
  const loss = new nn.LogLoss();
  const xTrain = scaler.fitTransform(split.xTrain);
  const losses = [];
  for (let epoch = 0; epoch < 30; epoch++) {
    let total = 0;
    for (const [xb, yb] of new data.DataLoader(xTrain, split.yTrain, { batchSize: 32, shuffle: true, seed: epoch })) {
      opt.zeroGrad();
      const l = loss.forward(model.forward(xb), yb);
      l.backward();
      opt.step();
      total += l.item();
    }
    losses.push(total);
  }
  const pred = model.predict(scaler.transform(split.xTest)).dataSync();
  const truth = split.yTest.dataSync();
  let right = 0;
  for (let i = 0; i < truth.length; i++) right += pred[i] === truth[i] ? 1 : 0;
  return { digitsShape: digits.x.shape, first: losses[0], last: losses[losses.length - 1], accuracy: right / truth.length };
}
`,
      );
      const result = await build({
        configFile: false,
        logLevel: 'silent',
        root,
        build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'bundle' } },
      });
      const output = (Array.isArray(result) ? result[0] : result) as { output: { code?: string }[] };
      const code = output.output[0].code!;
      expect(code).not.toMatch(/\brequire\(|from ['"]node:/);
      const context: Record<string, unknown> = { atob, TextDecoder };
      vm.runInNewContext(`${code}\nglobalThis.result = bundle.run();`, context);
      const r = context.result as { digitsShape: number[]; first: number; last: number; accuracy: number };
      expect(r.digitsShape).toEqual([1797, 64]);
      expect(r.last).toBeLessThan(r.first / 3);
      expect(r.accuracy).toBeGreaterThanOrEqual(0.9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
