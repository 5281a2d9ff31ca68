// The demo page in Debian's Chromium: built by Vite, served by Vite's preview server on a
// free localhost port, driven by playwright-core. Runs in the `demo` vitest project.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

const root = resolve(__dirname, '../..');
const config = join(root, 'demo/vite.config.ts');
/** Screenshots land here (git-ignored), for people and CI to look at. */
const ARTIFACTS = join(root, 'test-artifacts');

let outDir = '';
let server: PreviewServer | undefined;
let url = '';
let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;

beforeAll(async () => {
  const { build, preview } = await import('vite');
  outDir = mkdtempSync(join(tmpdir(), 'tg-demo-'));
  await build({ configFile: config, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile: config, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  url = server.resolvedUrls?.local[0] ?? '';
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console errors and warnings, uncaught exceptions and failed requests, as they happen. */
  problems: string[];
}

async function openDemo(): Promise<Opened> {
  const page = await browser!.context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  await page.goto(url);
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 30_000 });
  return { page, problems };
}

/** The run's state as the page exposes it on <main id="app">. */
async function appData(page: Page): Promise<Record<string, string | undefined>> {
  return page.evaluate(() => ({ ...document.getElementById('app')!.dataset }));
}

async function chooseDataset(page: Page, value: string): Promise<void> {
  await page.selectOption('#dataset', value);
  if (value !== 'csv') await page.waitForSelector('#app[data-state="ready"]');
}

/** Presses Train and waits for the run to end; returns the longest main-thread task meanwhile (ms). */
async function train(page: Page, timeout = 90_000): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { longestTask: number };
    w.longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longestTask = Math.max(w.longestTask, e.duration);
    }).observe({ type: 'longtask' });
  });
  await page.click('#train');
  await page.waitForSelector('#app[data-state="training"], #app[data-state="done"]');
  await page.waitForSelector('#app[data-state="done"]', { timeout });
  return page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
}

describe('demo page in Chromium', () => {
  it('loads without console errors and describes the default data set', async () => {
    const { page, problems } = await openDemo();
    await expect.poll(() => page.textContent('#dataset-info')).toMatch(/^569 samples × 30 features · 2 classes: malignant \(212\), benign \(357\)$/);
    expect(await page.textContent('#status')).toMatch(/Ready: Breast cancer/);
    expect(await page.isEnabled('#train')).toBe(true);
    expect(await page.isVisible('#error')).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('trains on breast cancer to the end without freezing the page: the loss falls, test accuracy > 0.9, a sensitivity ranking', async () => {
    const { page, problems } = await openDemo();
    const longestTask = await train(page);
    const data = await appData(page);
    const losses = JSON.parse(data.losses!) as number[];
    expect(data.epochsDone).toBe(String(losses.length));
    expect(losses.length).toBe(Number(await page.inputValue('#epochs')));
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 3);
    expect(Number(data.testAccuracy)).toBeGreaterThan(0.9);
    expect(Number(data.trainAccuracy)).toBeGreaterThan(0.9);
    // the worker trains; the page's own tasks stay short (no frozen UI)
    expect(longestTask).toBeLessThan(250);

    // the confusion matrix covers the 114 test examples
    const cells = (await page.$$eval('#confusion td', (tds) => tds.map((td) => Number(td.textContent)))) as number[];
    expect(cells).toHaveLength(4);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(114);
    expect(await page.textContent('#metrics [data-metric="test-accuracy"] td')).toMatch(/^\d+\.\d%$/);

    // the Jacobian view: 12 features, most sensitive first, forward and reverse mode agree
    await page.waitForSelector('#jacobian ol.bars li');
    const values = await page.$$eval('#jacobian li', (lis) => lis.map((li) => Number(li.getAttribute('data-value'))));
    expect(values).toHaveLength(12);
    const sizes = values.map(Math.abs);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(sizes[0]).toBeGreaterThan(0);
    expect(Number(await page.getAttribute('#jacobian', 'data-reverse-diff'))).toBeLessThan(1e-10);
    await page.screenshot({ path: join(ARTIFACTS, 'demo.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    expect(download.suggestedFilename()).toBe('model.safetensors');
    await page.check('#show-all');
    expect(await page.$$eval('#jacobian li', (lis) => lis.length)).toBe(30);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a bad CSV file shows a readable error on the page; a good one loads and trains', async () => {
    const { page, problems } = await openDemo();
    await chooseDataset(page, 'csv');
    expect(await page.isDisabled('#train')).toBe(true);
    await page.setInputFiles('#csv-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('width,height,label\n1.5,2,a\n3,oops,b\n2,1,a\n') });
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toBe('Could not load the data: readCsv: bad.csv: line 3, column 2: "oops" is not a number');
    expect((await appData(page)).error).toBe('dataset');
    expect(await page.isDisabled('#train')).toBe(true);

    const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) + (i % 2) * 5},${i % 5},${i % 2 ? 'big' : 'small'}`);
    await page.setInputFiles('#csv-file', { name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(['a,b,size', ...rows].join('\n')) });
    await page.waitForSelector('#app[data-state="ready"]');
    expect(await page.isVisible('#error')).toBe(false);
    expect(await page.textContent('#dataset-info')).toBe('60 samples × 2 features · 2 classes: big (30), small (30)');
    await page.fill('#epochs', '5');
    await train(page);
    expect(JSON.parse((await appData(page)).losses!)).toHaveLength(5);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('trains on two moons in forward mode, redrawing the decision boundary as it goes', async () => {
    const { page, problems } = await openDemo();
    await chooseDataset(page, 'moons');
    await page.click('label:has(input[name="mode"][value="forward"])');
    expect(await page.isChecked('input[name="mode"][value="forward"]')).toBe(true);
    expect(await page.textContent('#mode-info')).toMatch(/^Forward mode, .* all 337 parameters/);
    await page.fill('#epochs', '60');
    await train(page);
    const data = await appData(page);
    expect(data.mode).toBe('forward');
    const losses = JSON.parse(data.losses!) as number[];
    expect(losses).toHaveLength(60);
    expect(losses.at(-1)!).toBeLessThan(losses[0] / 3);
    expect(Number(data.testAccuracy)).toBeGreaterThan(0.9);
    // redrawn during training, not only at the end
    expect(Number(await page.getAttribute('#boundary', 'data-frames'))).toBeGreaterThanOrEqual(3);
    await page.waitForSelector('#jacobian ol.bars li');
    expect(await page.$$eval('#jacobian li', (lis) => lis.map((li) => li.getAttribute('data-feature')).sort())).toEqual(['x₁', 'x₂']);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-moons-forward.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('Stop ends a run early and keeps the model for the metrics and the Jacobian view', async () => {
    const { page, problems } = await openDemo();
    await chooseDataset(page, 'digits');
    await page.fill('#epochs', '500');
    await page.click('#train');
    await page.waitForFunction(() => Number(document.getElementById('app')!.dataset.epochsDone ?? 0) >= 2);
    await page.click('#stop');
    await page.waitForSelector('#app[data-state="done"]', { timeout: 60_000 });
    const done = Number((await appData(page)).epochsDone);
    expect(done).toBeGreaterThanOrEqual(2);
    expect(done).toBeLessThan(500);
    expect(await page.textContent('#status')).toMatch(/^Stopped after \d+ epochs/);
    const cells = await page.$$eval('#confusion td', (tds) => tds.length);
    expect(cells).toBe(100);
    await page.waitForSelector('#jacobian ol.bars li');
    expect(await page.isVisible('#digit-view')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });
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
