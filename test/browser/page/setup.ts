// Runs in the page before every test file of the `chromium` project: prepares the wasm
// backend the way a page must (compiled asynchronously; a browser's main thread may refuse
// to compile a module of this size synchronously). The suite itself runs on the default
// backend, as a user's page would.
import * as tg from '../../../src/index.browser.js';

await tg.ready();
