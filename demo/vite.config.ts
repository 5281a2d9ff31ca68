import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The wasm backend's kernels are a generated module (git-ignored): build it if assembly/ changed.
const buildWasm = here('../scripts/build-wasm.mjs');
if (existsSync(buildWasm)) execFileSync(process.execPath, [buildWasm], { stdio: 'inherit' });

/**
 * Cross-origin isolation: with these headers the page gets shared memory, so the wasm
 * backend (in the page's worker) splits large products over web workers. A host that
 * serves demo/dist needs to send them too; without them everything runs on one thread.
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The demo page. `npm run demo` serves it, `npm run demo:build` writes it to demo/dist.
 * It imports the library by its package name, resolved here to the browser entry in src/,
 * so the page always runs the current sources.
 */
export default defineConfig({
  root: here('.'),
  base: './',
  resolve: {
    alias: [{ find: /^tensorgrad$/, replacement: here('../src/index.browser.ts') }],
  },
  worker: { format: 'es' },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // the digits data set and the wasm kernels are embedded in the worker's bundle
    chunkSizeWarningLimit: 2048,
  },
  server: { fs: { allow: [here('..')] }, headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
});
