import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { BROWSER_ONLY_TESTS, browserProjects } from './test/browser/projects.js';

// the wasm kernels are compiled into a generated module; (re)build it when assembly/ changed
execFileSync(process.execPath, [fileURLToPath(new URL('./scripts/build-wasm.mjs', import.meta.url))], { stdio: 'inherit' });

/** The whole suite runs once per backend, each run selecting its backend in a setup file. */
const BACKENDS = ['js', 'wasm'];

export default defineConfig({
  resolve: {
    // examples import 'tensorgrad' as users do; tests run them against the sources
    alias: { tensorgrad: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    projects: [
      ...BACKENDS.map((name) => ({
        extends: true as const,
        test: {
          name,
          env: { TG_BACKEND: name },
          setupFiles: ['./test/setup/backend.ts'],
          exclude: [...configDefaults.exclude, ...BROWSER_ONLY_TESTS],
        },
      })),
      // the core suite once more inside Chromium, and the demo page driven by Playwright
      ...browserProjects,
    ],
  },
});
