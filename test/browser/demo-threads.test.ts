// The demo page, built and served as demo.test.ts does, is cross-origin isolated (demo/
// vite.config.ts sends COOP/COEP from its dev and preview servers), so the library in its
// worker starts matmul web workers in tg.ready(). Runs in the `demo` vitest project.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

const root = resolve(__dirname, '../..');
const config = join(root, 'demo/vite.config.ts');

let outDir = '';
let server: PreviewServer | undefined;
let url = '';
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

beforeAll(async () => {
  const { build, preview } = await import('vite');
  outDir = mkdtempSync(join(tmpdir(), 'tg-demo-threads-'));
  await build({ configFile: config, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile: config, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  url = server.resolvedUrls?.local[0] ?? '';
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the demo page gets matmul threads', () => {
  // on a one-core machine the pool is empty and the checks below hold trivially
  it('is cross-origin isolated, and its worker starts one matmul worker per extra core', async () => {
    const page = await browser!.context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    const response = await page.goto(url);
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    // the page says ready once its worker has awaited tg.ready(), which starts the pool
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 30_000 });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    // the demo's own worker, and the pool's: Blob URL scripts (threads-browser.ts), blocked
    // in Atomics.wait between jobs, so they can be counted but not asked anything
    const pool = () => page.workers().filter((w) => w.url().startsWith('blob:'));
    await expect.poll(() => pool().length, { timeout: 10_000 }).toBe(cores - 1);
    expect(page.workers().length).toBe(cores);
    expect(problems).toEqual([]);
    await page.close();
  });
});
