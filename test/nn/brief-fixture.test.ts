/**
 * Issue 3, "done when": the brief's model built from the library's own classes
 * (FeedForward, LogLoss, SGD, DataSet, MaxScaler, the shipped data set), started from the
 * fixture's initial weights, trains to the same per-epoch losses as the independent NumPy
 * implementation of the brief's forward-mode design (test/fixtures/brief-training.json),
 * in reverse mode and in forward mode (all 20 epochs), to 1e-9.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tg from '../../src/index.js';
import { expectClose } from '../helpers.js';

interface Fixture {
  config: { hidden: number; lr: number; batchSize: number; epochs: number; xMax: number };
  initialWeights: Record<string, { shape: number[]; data: number[] }>;
  finalWeights: Record<string, { shape: number[]; data: number[] }>;
  epochLosses: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/brief-training.json', import.meta.url), 'utf8')) as Fixture;
const FORWARD_EPOCHS = Number(process.env.TG_BRIEF_FORWARD_EPOCHS ?? 20);

function train(mode: 'reverse' | 'forward', epochs: number): { losses: number[]; model: tg.nn.FeedForward } {
  const { x, y } = tg.datasets.breastCancer();
  const scaler = new tg.data.MaxScaler();
  const xs = scaler.fitTransform(x);
  expect(scaler.scale!.item()).toBe(fixture.config.xMax);
  const model = new tg.nn.FeedForward(30, fixture.config.hidden);
  const state: Record<string, tg.Tensor> = {};
  for (const [name, w] of Object.entries(fixture.initialWeights)) state[name] = tg.tensor(w.data, { shape: w.shape });
  model.loadStateDict(state);
  const history = tg.fit(model, {
    loss: new tg.nn.LogLoss(),
    optimizer: new tg.optim.SGD(model, { lr: fixture.config.lr }),
    data: new tg.data.DataSet(xs, y, fixture.config.batchSize),
    epochs,
    mode,
  });
  return { losses: history.loss, model };
}

describe("the brief's model, with the library's classes, against the NumPy design", () => {
  it('reverse mode: every epoch\'s mean loss and the final weights match to 1e-9', () => {
    const { losses, model } = train('reverse', fixture.config.epochs);
    expectClose(losses, fixture.epochLosses, 1e-9);
    for (const [name, t] of Object.entries(model.stateDict())) expectClose(t, fixture.finalWeights[name].data, 1e-9);
  });

  it(`forward mode: ${FORWARD_EPOCHS} epochs match the fixture to 1e-9, and reverse mode`, () => {
    const fwd = train('forward', FORWARD_EPOCHS);
    expectClose(fwd.losses, fixture.epochLosses.slice(0, FORWARD_EPOCHS), 1e-9);
    if (FORWARD_EPOCHS === fixture.config.epochs) {
      for (const [name, t] of Object.entries(fwd.model.stateDict())) expectClose(t, fixture.finalWeights[name].data, 1e-9);
    }
  });
});
