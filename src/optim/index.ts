/**
 * Optimizers (`SGD`, `Adam`, `AdamW`) and learning-rate schedules (`StepLR`,
 * `CosineAnnealingLR`), with PyTorch's update rules and defaults.
 */
export { Optimizer, type HasParameters, type ParamsOrModule } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { LRScheduler, StepLR, CosineAnnealingLR, type StepLROptions, type CosineAnnealingLROptions } from './lr-scheduler.js';
