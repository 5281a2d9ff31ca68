/**
 * The vitest projects that need a real browser (Debian's Chromium, driven by Playwright):
 *
 * - `chromium`: the core suite, run once inside the browser (vitest's browser mode). It
 *   takes every test file that needs no Node API (no `node:` import, no `process`, no
 *   `__dirname`) plus test/browser/page/, and gives them the browser entry
 *   (src/index.browser.ts) wherever they import src/index.ts or 'tensorgrad'. Its pages
 *   are cross-origin isolated (COOP/COEP headers), so the wasm backend runs large
 *   products on web workers there.
 * - `chromium-plain`: test/browser/plain/, in pages without those headers (no shared
 *   memory): what most pages are, where everything runs on one thread.
 * - `demo`: test/browser/*.test.ts, run in Node: they build the demo page, serve it with
 *   Vite's preview server on a free port and drive it with playwright-core.
 *
 * Both fail with a clear message when Chromium is missing (globalSetup), never skip.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import type { TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nodeEntry = join(root, 'src/index.ts');
const browserEntry = join(root, 'src/index.browser.ts');

/** Test files the backend (Node) projects leave to these projects. */
export const BROWSER_ONLY_TESTS = ['test/browser/**'];

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? testFiles(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Node-only test files the scan below cannot tell by their own text, and why. */
const NODE_ONLY: Record<string, string> = {
  'test/examples.test.ts': 'runs the Node example scripts in examples/, which read process.stdout',
  'test/backend/wasm-kernels.test.ts':
    "expects exp/log bit-identical to Node 20's V8 Math.exp/Math.log; Chromium's newer V8 rounds about 7% of them differently (by an ulp)",
  'test/backend/wasm-threads-restart.test.ts':
    'expects worker threads to start synchronously inside a product, as in Node; in browsers they start in tg.ready() (test/browser/page/threads.test.ts)',
};

/** Test files (relative to the root) that can run in a browser as they are. */
export function browserSafeTests(): string[] {
  const nodeOnly = /from ['"]node:|import\(['"]node:|\bprocess\.|__dirname|__filename|\brequire\(/;
  return testFiles(join(root, 'test'))
    .map((file) => relative(root, file).split('\\').join('/'))
    .filter((file) => !file.startsWith('test/browser/') && !(file in NODE_ONLY))
    .filter((file) => !nodeOnly.test(readFileSync(join(root, file), 'utf8')))
    .sort();
}

/** Serves the browser entry wherever a test or example asks for the Node one. */
function browserEntryPlugin(): Plugin {
  return {
    name: 'tensorgrad:browser-entry',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source === 'tensorgrad') return browserEntry;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && resolved.id === nodeEntry ? browserEntry : resolved;
    },
  };
}

const globalSetup = [join(root, 'test/browser/require-chromium.ts')];

/** Headers that make a page cross-origin isolated (`crossOriginIsolated`: shared memory, threads). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Vitest's browser mode in Debian's Chromium, headless (a fresh object for each project). */
function browser() {
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({ launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS } }),
    instances: [{ browser: 'chromium' as const }],
  };
}

export const browserProjects: TestProjectInlineConfiguration[] = [
  // not `extends: true`: that would merge the root's include list into these
  {
    plugins: [browserEntryPlugin()],
    optimizeDeps: { include: ['fast-check', 'fflate', 'asciichart', 'csv-parse/browser/esm/sync'] },
    // vitest's browser server sends these with every response, its own pages included
    server: { headers: ISOLATION_HEADERS },
    test: {
      name: 'chromium',
      include: [...browserSafeTests(), 'test/browser/page/**/*.test.ts'],
      setupFiles: ['./test/browser/page/setup.ts'],
      globalSetup,
      testTimeout: 60_000,
      browser: browser(),
    },
  },
  {
    plugins: [browserEntryPlugin()],
    test: {
      name: 'chromium-plain',
      include: ['test/browser/plain/**/*.test.ts'],
      setupFiles: ['./test/browser/page/setup.ts'],
      globalSetup,
      testTimeout: 60_000,
      browser: browser(),
    },
  },
  {
    resolve: { alias: { tensorgrad: browserEntry } },
    test: {
      name: 'demo',
      include: ['test/browser/*.test.ts'],
      globalSetup,
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  },
];
