import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { fit, evaluate, formatEpoch } from '../../src/train/fit.js';
import type { ProgressReporter } from '../../src/train/progress.js';
import { expectClose } from '../helpers.js';

/** Logistic regression written with core ops only, so this test depends on the loop alone. */
class TinyModel {
  w = tg.tensor([[0.1], [-0.2]], { requiresGrad: true });
  b = tg.tensor([[0.05]], { requiresGrad: true });
  training = true;
  forward(x: tg.Tensor): tg.Tensor {
    const run = () => tg.sigmoid(tg.add(tg.matmul(x, this.w), this.b));
    return this.training ? run() : tg.noGrad(run);
  }
  train(mode = true) {
    this.training = mode;
  }
  eval() {
    this.training = false;
  }
}

class Bce {
  forward(p: tg.Tensor, y: tg.Tensor): tg.Tensor {
    const t = y.reshape(p.shape).cast(p.dtype);
    return tg.neg(tg.mean(tg.add(tg.mul(t, tg.log(p)), tg.mul(tg.sub(1, t), tg.log(tg.sub(1, p))))));
  }
}

class PlainSgd {
  constructor(private params: tg.Tensor[], private lr: number) {}
  zeroGrad() {
    for (const p of this.params) p.grad = null;
  }
  step() {
    tg.noGrad(() => {
      for (const p of this.params) if (p.grad) p.assign_(tg.sub(p, tg.mul(p.grad, this.lr)));
    });
  }
}

const x = tg.tensor([[0, 1], [1, 0], [1, 1], [0, 0], [2, 1], [-1, -1]]);
const y = tg.tensor([1, 0, 1, 0, 1, 0], { dtype: 'int32' });
const batches = (bs: number): [tg.Tensor, tg.Tensor][] => {
  const out: [tg.Tensor, tg.Tensor][] = [];
  for (let i = 0; i < 6; i += bs) out.push([tg.index(x, `${i}:${i + bs}`), tg.index(y, `${i}:${i + bs}`)]);
  return out;
};

function run(mode: 'reverse' | 'forward', epochs = 12, extra: Partial<Parameters<typeof fit>[1]> = {}) {
  const model = new TinyModel();
  const history = fit(model, { loss: new Bce(), optimizer: new PlainSgd([model.w, model.b], 0.5), data: batches(4), epochs, mode, ...extra });
  return { model, history };
}

describe('fit', () => {
  it('runs the brief\'s loop: the first epoch matches a hand-written loop', () => {
    const { history } = run('reverse', 1);
    const model = new TinyModel();
    const opt = new PlainSgd([model.w, model.b], 0.5);
    const loss = new Bce();
    const losses: number[] = [];
    for (const [xb, yb] of batches(4)) {
      const l = loss.forward(model.forward(xb), yb);
      opt.zeroGrad();
      l.backward();
      opt.step();
      losses.push(l.item());
    }
    expect(history.loss[0]).toBeCloseTo((losses[0] + losses[1]) / 2, 14);
  });

  it('lowers the loss and gives the same history in forward and reverse mode', () => {
    const rev = run('reverse');
    const fwd = run('forward');
    expect(rev.history.loss.at(-1)!).toBeLessThan(rev.history.loss[0]);
    rev.history.loss.forEach((l, i) => expect(fwd.history.loss[i]).toBeCloseTo(l, 12));
    expectClose(fwd.model.w, rev.model.w, 1e-12);
  });

  it('evaluates validation data and metrics each epoch', () => {
    const { model, history } = run('reverse', 30, { validation: { x, y }, metrics: ['accuracy', 'auc', 'f1'] });
    const last = history.epochs.at(-1)!;
    expect(last.valMetrics!.accuracy).toBe(1);
    expect(last.valMetrics!.auc).toBe(1);
    expect(history.valLoss).toHaveLength(30);
    const direct = evaluate(model, { x, y }, { loss: new Bce(), metrics: ['accuracy'] });
    expect(direct.loss).toBeCloseTo(last.valLoss!, 14);
    expect(last.metrics.accuracy).toBeGreaterThan(0.5);
  });

  it('reports progress and prints the mean loss every logEvery epochs', () => {
    const seen = { updates: 0, lines: [] as string[], started: 0, stopped: 0 };
    const spy: ProgressReporter = {
      start: () => void seen.started++,
      update: () => void seen.updates++,
      log: (l) => void seen.lines.push(l),
      stop: () => void seen.stopped++,
    };
    const { history } = run('reverse', 20, { progress: spy });
    expect(seen.started).toBe(1);
    expect(seen.stopped).toBe(1);
    expect(seen.updates).toBe(40);
    expect(seen.lines).toEqual([formatEpoch(history.epochs[9], 20), formatEpoch(history.epochs[19], 20)]);
    expect(seen.lines[0]).toMatch(/^epoch 10\/20 {2}loss \d\.\d{4}$/);
  });

  it('stops early when a callback says so', () => {
    const { history } = run('reverse', 50, { callbacks: { onEpochEnd: (logs) => logs.epoch < 3 } });
    expect(history.loss).toHaveLength(3);
    expect(history.stoppedEarly).toBe(true);
  });

  it('rejects bad options', () => {
    const model = new TinyModel();
    const base = { loss: new Bce(), optimizer: new PlainSgd([], 1), data: batches(4) };
    expect(() => fit(model, { ...base, epochs: -1 })).toThrow('fit: epochs must be a non-negative integer, got -1');
    expect(() => fit(model, { ...base, epochs: 1, data: 5 as never })).toThrow(/data must be an iterable/);
    expect(() => fit(model, { ...base, epochs: 1, mode: 'none' as never })).toThrow(/mode must be 'reverse' or 'forward'/);
    expect(() => fit(model, { ...base, epochs: 1, data: [] })).toThrow(/no batches/);
  });
});
