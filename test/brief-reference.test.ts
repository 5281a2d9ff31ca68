/**
 * The brief's training run, rebuilt from core tensorgrad ops only, against the independent
 * NumPy implementation of the brief's forward-mode design (test/fixtures/brief-training.json,
 * made by scripts/brief_numpy.py; Python is not needed here).
 *
 * FeedForward(30, 50): relu(x·W1 + b1)·W2 + b2 -> sigmoid, the log loss
 * L = -(1/B)(yᵀ log p + (1 - y)ᵀ log(1 - p)), plain gradient descent with lr 0.1, in-order
 * batches of 128, breast cancer scaled by x / x.max(), from the fixture's initial weights.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';

interface Weights {
  [name: string]: { shape: number[]; data: number[] };
}

interface BriefFixture {
  config: { samples: number; features: number; xMax: number; hidden: number; lr: number; batchSize: number; epochs: number };
  initialWeights: Weights;
  epochLosses: number[];
  batchLosses: number[][];
  finalWeights: Weights;
  pHitZeroOrOne: boolean;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/brief-training.json', import.meta.url), 'utf8')) as BriefFixture;
const NAMES = ['inLayer.weight', 'inLayer.bias', 'outLayer.weight', 'outLayer.bias'] as const;

/**
 * Epochs trained in forward mode: all of them. Forward mode carries the Jacobians with
 * respect to all 1601 parameters; dense, the first layer's output alone would have
 * 128 x 50 x 1500 entries per batch, factored (src/autodiff/kronecker.ts) the run takes
 * about as long as in reverse mode. TG_BRIEF_FORWARD_EPOCHS=n runs the first n only.
 */
const FORWARD_EPOCHS = Number(process.env.TG_BRIEF_FORWARD_EPOCHS ?? fixture.config.epochs);

/** data/breast_cancer.csv: header `n,d,classes...`, then d features and the label per line. */
function loadBreastCancer(): { x: tg.Tensor; y: tg.Tensor } {
  const lines = readFileSync(new URL('../data/breast_cancer.csv', import.meta.url), 'utf8').trim().split('\n');
  const [n, d] = lines[0].split(',').slice(0, 2).map(Number);
  const xs = new Float64Array(n * d);
  const ys = new Float64Array(n);
  lines.slice(1).forEach((line, i) => {
    const v = line.split(',').map(Number);
    xs.set(v.slice(0, d), i * d);
    ys[i] = v[d];
  });
  return { x: tg.tensor(xs, { shape: [n, d] }), y: tg.tensor(ys, { shape: [n, 1] }) };
}

interface Run {
  epochLosses: number[];
  batchLosses: number[][];
  params: tg.Tensor[];
}

/** L = -(1/B)(yᵀ log p + (1 - y)ᵀ log(1 - p)), a [1, 1] tensor. */
function logLoss(p: tg.Tensor, y: tg.Tensor): tg.Tensor {
  const b = y.shape[0];
  const yesTerm = tg.matmul(tg.transpose(y), tg.log(p));
  const noTerm = tg.matmul(tg.transpose(tg.sub(1, y)), tg.log(tg.sub(1, p)));
  return tg.mul(tg.add(yesTerm, noTerm), -1 / b);
}

function train(mode: 'forward' | 'reverse', epochs: number, x: tg.Tensor, y: tg.Tensor): Run {
  const { lr, batchSize } = fixture.config;
  const params = NAMES.map((name) => {
    const w = fixture.initialWeights[name];
    return tg.tensor(Float64Array.from(w.data), { shape: w.shape, requiresGrad: true });
  });
  const [w1, b1, w2, b2] = params;
  const n = x.shape[0];
  const run: Run = { epochLosses: [], batchLosses: [], params };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const losses: number[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const range = `${start}:${Math.min(start + batchSize, n)}`;
      const xb = tg.index(x, range);
      const yb = tg.index(y, range);
      for (const w of params) w.grad = null;
      const loss = tg.withGradMode(mode, () => {
        const h = tg.relu(tg.add(tg.matmul(xb, w1), b1));
        const p = tg.sigmoid(tg.add(tg.matmul(h, w2), b2));
        return logLoss(p, yb);
      });
      if (mode === 'forward') expect(loss.tangents, 'forward mode carries Jacobians').not.toBeNull();
      else expect(loss.node, 'reverse mode records a graph').not.toBeNull();
      loss.backward();
      losses.push(loss.item());
      tg.noGrad(() => {
        for (const w of params) w.assign_(tg.sub(w, tg.mul(w.grad!, lr)));
      });
    }
    run.batchLosses.push(losses);
    run.epochLosses.push(losses.reduce((s, v) => s + v, 0) / losses.length);
  }
  return run;
}

describe("the brief's training against the NumPy forward-mode reference", () => {
  const data = loadBreastCancer();
  const xMax = tg.max(data.x);
  const x = tg.div(data.x, xMax);

  it('reads the same data', () => {
    expect(data.x.shape).toEqual([fixture.config.samples, fixture.config.features]);
    expect(xMax.item()).toBe(fixture.config.xMax);
    expect(fixture.pHitZeroOrOne).toBe(false);
    expect(fixture.epochLosses).toHaveLength(fixture.config.epochs);
  });

  let reverse: Run;
  it(`reverse mode: all ${fixture.config.epochs} epochs match per epoch and per batch, and the final weights`, () => {
    reverse = train('reverse', fixture.config.epochs, x, data.y);
    expectClose(reverse.epochLosses, fixture.epochLosses, 1e-9);
    expectClose(reverse.batchLosses, fixture.batchLosses, 1e-9);
    NAMES.forEach((name, i) => {
      expect(reverse.params[i].shape).toEqual(fixture.finalWeights[name].shape);
      expectClose(reverse.params[i], fixture.finalWeights[name].data, 1e-9);
    });
    // the run must actually learn, or matching losses would say little
    expect(reverse.epochLosses[fixture.config.epochs - 1]).toBeLessThan(0.5 * reverse.epochLosses[0]);
  });

  it(`forward mode: the first ${FORWARD_EPOCHS} epochs match the reference and reverse mode`, () => {
    const forward = train('forward', FORWARD_EPOCHS, x, data.y);
    expectClose(forward.epochLosses, fixture.epochLosses.slice(0, FORWARD_EPOCHS), 1e-9);
    expectClose(forward.batchLosses, fixture.batchLosses.slice(0, FORWARD_EPOCHS), 1e-9);
    expectClose(forward.epochLosses, reverse.epochLosses.slice(0, FORWARD_EPOCHS), 1e-9);
    const partial = train('reverse', FORWARD_EPOCHS, x, data.y);
    forward.params.forEach((w, i) => expectClose(w, partial.params[i], 1e-9));
  });
});
