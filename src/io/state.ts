import { Tensor } from '../tensor/tensor.js';

/** A model's state: parameter (and buffer) names to tensors, as `Module.stateDict()` gives it. */
export type StateDict = Record<string, Tensor>;

/** Anything that has a state dict (every `tg.nn.Module`). */
export interface HasState {
  stateDict(): StateDict;
}

/** The state dict of a module, or the dict itself. */
export function stateOf(source: HasState | StateDict): StateDict {
  const maybe = source as HasState;
  return typeof maybe.stateDict === 'function' ? maybe.stateDict() : (source as StateDict);
}

/** Checks that a state dict maps names to tensors. */
export function isStateDict(x: unknown): x is StateDict {
  return typeof x === 'object' && x !== null && Object.values(x).every((v) => v instanceof Tensor);
}
