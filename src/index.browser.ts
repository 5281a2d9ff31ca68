/**
 * tensorgrad for browsers (and workers): the same API as in Node, chosen by the "browser"
 * condition of package.json "exports" (or import 'tensorgrad/browser' directly).
 *
 * What differs from the Node entry, and why:
 * - No `save`, `load`, `loadWithMetadata`: a page has no file system. `downloadState(model,
 *   'model.json')` offers the same file as a download, `readStateFile(file)` reads one the
 *   user picked or dropped, and `stateToBlob` gives the bytes to store elsewhere.
 * - No `terminalProgress`: `fit({ progress: true })` prints epoch lines to the console
 *   (`consoleProgress`); any `ProgressReporter` can drive a page instead.
 * - The wasm backend: a page's main thread may not compile WebAssembly synchronously, so
 *   `await tg.ready()` before `tg.setBackend('wasm')` there (workers need not).
 */
export * from './api.js';

// browser platform: files as downloads and uploads, progress on the console
export { downloadState, readStateFile, stateToBlob, type StateFileFormat } from './platform/browser-files.js';
export { consoleProgress } from './platform/browser-progress.js';
import { setDefaultProgress } from './train/progress.js';
import { consoleProgress as browserConsoleProgress } from './platform/browser-progress.js';
setDefaultProgress(() => browserConsoleProgress());
