/**
 * Neural-network building blocks: the `Module` base that finds its own parameters, layers
 * (`Linear`, `FeedForward`, `Sequential`, `Dropout`), activation modules, and the losses
 * (also available as `tg.losses`).
 */
export { Module, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { type InitScheme, type InitOptions } from './init.js';
export { Linear, type LinearOptions } from './linear.js';
export { FeedForward, type FeedForwardOptions } from './feed-forward.js';
export { Sequential } from './sequential.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { ReLU, Sigmoid, Tanh, Softmax, LogSoftmax } from './activations.js';
export * from '../losses/index.js';
