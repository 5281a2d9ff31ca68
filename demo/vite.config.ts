import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The wasm backend's kernels are a generated module (git-ignored): build it if assembly/ changed.
const buildWasm = here('../scripts/build-wasm.mjs');
if (existsSync(buildWasm)) execFileSync(process.execPath, [buildWasm], { stdio: 'inherit' });

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
  server: { fs: { allow: [here('..')] } },
});
