/**
 * tensorgrad: tensors with automatic differentiation in forward mode (every result
 * carries its Jacobians, as in the project brief) and reverse mode (`backward()`), plus
 * the JAX-style transforms. This is the Node entry: the common API (src/api.ts) and the
 * Node platform (files, a terminal progress bar). Browsers get src/index.browser.ts
 * through the "browser" condition of package.json "exports".
 */
export * from './api.js';

// Node platform: files and the terminal progress bar
export { save, load, loadWithMetadata } from './platform/node-files.js';
export { terminalProgress } from './platform/node-progress.js';
import { setDefaultProgress as installProgress } from './train/progress.js';
import { terminalProgress as nodeTerminalProgress } from './platform/node-progress.js';
installProgress(() => nodeTerminalProgress());
