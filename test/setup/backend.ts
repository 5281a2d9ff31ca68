// Runs before every test file: selects the backend the vitest project is for
// (TG_BACKEND=js | wasm, set in vitest.config.ts), so the whole suite runs on each backend.
import { setBackend } from '../../src/index.js';

setBackend(process.env.TG_BACKEND ?? 'js');
