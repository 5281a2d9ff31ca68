import { ValueError } from '../core/errors.js';
import type { Optimizer } from './optimizer.js';
import { checkHyper } from './optimizer.js';

/**
 * Base of the learning-rate schedules. A schedule remembers the optimizer's learning rate
 * at construction as `baseLr`; each `step()` (usually once per epoch) advances the epoch
 * counter and sets `optimizer.lr` to the schedule's value for it.
 */
export abstract class LRScheduler {
  readonly optimizer: Optimizer;
  readonly baseLr: number;
  /** Number of `step()` calls so far. */
  epoch = 0;

  constructor(optimizer: Optimizer) {
    if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.lr !== 'number') {
      throw new ValueError(new.target.name, 'expected an optimizer (with a numeric lr)');
    }
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr;
  }

  /** The learning rate for the current epoch. */
  getLr(): number {
    return this.lrAt(this.epoch);
  }

  /** Advances one epoch and sets the optimizer's learning rate. */
  step(): void {
    this.epoch++;
    this.optimizer.lr = this.lrAt(this.epoch);
  }

  /** The learning rate at `epoch` (a closed form of the schedule). */
  protected abstract lrAt(epoch: number): number;
}

export interface StepLROptions {
  /** Epochs between decays (a positive integer). */
  stepSize: number;
  /** Factor applied at each decay (default 0.1). */
  gamma?: number;
}

/** lr = baseLr · gamma^floor(epoch / stepSize), PyTorch's StepLR. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    const { stepSize, gamma = 0.1 } = options ?? {};
    if (typeof stepSize !== 'number' || !Number.isInteger(stepSize) || stepSize < 1) {
      throw new ValueError('StepLR', `stepSize must be a positive integer, got ${String(stepSize)}`);
    }
    this.stepSize = stepSize;
    this.gamma = checkHyper('StepLR', 'gamma', gamma, 0);
  }

  protected lrAt(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

export interface CosineAnnealingLROptions {
  /** Epochs of one half cosine period, from baseLr down to etaMin (a positive integer). */
  tMax: number;
  /** The lowest learning rate (default 0). */
  etaMin?: number;
}

/**
 * lr = etaMin + (baseLr - etaMin)·(1 + cos(π·epoch / tMax)) / 2: from baseLr at epoch 0
 * down to etaMin at epoch tMax (the closed form of PyTorch's CosineAnnealingLR; after
 * tMax it rises again along the same cosine).
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    const { tMax, etaMin = 0 } = options ?? {};
    if (typeof tMax !== 'number' || !Number.isInteger(tMax) || tMax < 1) {
      throw new ValueError('CosineAnnealingLR', `tMax must be a positive integer, got ${String(tMax)}`);
    }
    this.tMax = tMax;
    this.etaMin = checkHyper('CosineAnnealingLR', 'etaMin', etaMin, 0);
  }

  protected lrAt(epoch: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}
