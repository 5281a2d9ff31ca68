import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    projects: BACKENDS.map((name) => ({
      extends: true,
      test: {
        name,
        env: { TG_BACKEND: name },
        setupFiles: ['./test/setup/backend.ts'],
      },
    })),
  },
});
