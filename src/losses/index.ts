/**
 * Loss functions: `loss.forward(prediction, target)` gives a scalar whose `backward()`
 * fills the parameters' gradients. Also exported under `tg.nn`.
 */
export { Loss, type Reduction, type LossOptions } from './loss.js';
export { LogLoss, type LogLossOptions } from './log-loss.js';
export { BCEWithLogitsLoss } from './bce-with-logits.js';
export { CrossEntropyLoss } from './cross-entropy.js';
export { MSELoss } from './mse.js';
