// The built package as its users get it: compiled with tsconfig.build.json into an app's
// node_modules/tensorgrad, then imported by name from Node, bundled by Vite for a page
// that runs in Chromium, and type-checked under both package.json "exports" conditions.
// Runs in the `demo` vitest project.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';

const run = promisify(execFile);
const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

let dir = '';
let app = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tg-package-'));
  app = join(dir, 'app');
  const installed = join(app, 'node_modules/tensorgrad');
  mkdirSync(installed, { recursive: true });
  copyFileSync(join(root, 'package.json'), join(installed, 'package.json'));
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')]);
  // the package's dependencies, as npm would place them beside it
  for (const dep of Object.keys(pkg.dependencies)) symlinkSync(join(root, 'node_modules', dep), join(app, 'node_modules', dep), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built package', () => {
  it('Node: import * as tg from "tensorgrad" gives the Node entry, with files and the terminal bar', async () => {
    const script = `
      import * as tg from 'tensorgrad';
      const d = tg.datasets.iris();
      const m = new tg.nn.FeedForward(4, 8, 3, 0, { init: 'he' });
      const x = new tg.data.StandardScaler().fitTransform(d.x);
      const h = tg.fit(m, { loss: new tg.nn.LogLoss(), optimizer: new tg.optim.Adam(m, { lr: 0.05 }), data: new tg.data.DataSet(x, d.y, 32), epochs: 10 });
      console.log(JSON.stringify({ save: typeof tg.save, terminalProgress: typeof tg.terminalProgress, downloadState: typeof tg.downloadState, first: h.loss[0], last: h.loss.at(-1) }));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ save: 'function', terminalProgress: 'function', downloadState: 'undefined' });
    expect(r.last).toBeLessThan(r.first);
  });

  it('a browser bundle (Vite) gets the browser entry, keeps the Tensor methods, and runs in Chromium with the wasm backend', async () => {
    writeFileSync(join(app, 'index.html'), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="./main.js"></script>');
    writeFileSync(
      join(app, 'main.js'),
      `import * as tg from 'tensorgrad';
      await tg.ready();
      tg.setBackend('wasm');
      const d = tg.datasets.breastCancer();
      const x = new tg.data.StandardScaler().fitTransform(d.x);
      const m = new tg.nn.FeedForward(30, 8, 1, 0, { init: 'he' });
      const h = tg.fit(m, { loss: new tg.nn.LogLoss(), optimizer: new tg.optim.Adam(m, { lr: 0.01 }), data: new tg.data.DataSet(x, d.y, 64), epochs: 5, mode: 'forward' });
      const csv = tg.parseCsvDataset('a,b,label\\n1,2,yes\\n3,4,no\\n');
      document.body.dataset.result = JSON.stringify({
        backend: tg.getBackend(), first: h.loss[0], last: h.loss.at(-1), doubled: tg.tensor([1, 2]).mul(2).toArray(),
        classes: csv.targetNames, names: { save: 'save' in tg, terminalProgress: 'terminalProgress' in tg, downloadState: typeof tg.downloadState },
      });`,
    );
    const { build, preview } = await import('vite');
    await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: join(app, 'dist'), target: 'es2022' } });
    const code = readdirSync(join(app, 'dist/assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(app, 'dist/assets', f), 'utf8'))
      .join('\n');
    // no Node module imported (Vite would stub it as __vite-browser-external), no terminal bar
    const nodeImports = code.match(/\bfrom\s*["']node:[\w/]+|\bimport\(\s*["']node:[\w/]+|__vite-browser-external|cli-progress/g) ?? [];
    expect(nodeImports).toEqual([]);

    let server: PreviewServer | undefined;
    const browser = await launchChromium();
    try {
      server = await preview({ root: app, configFile: false, logLevel: 'silent', build: { outDir: join(app, 'dist') }, preview: { host: '127.0.0.1', port: 0, open: false } });
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(server.resolvedUrls!.local[0]);
      await page.waitForFunction(() => document.body.dataset.result !== undefined || document.body.dataset.error !== undefined, null, { timeout: 60_000 });
      const r = JSON.parse((await page.getAttribute('body', 'data-result'))!);
      expect(problems).toEqual([]);
      expect(r.backend).toBe('wasm');
      expect(r.last).toBeLessThan(r.first);
      expect(r.doubled).toEqual([2, 4]);
      expect(r.classes).toEqual(['no', 'yes']);
      expect(r.names).toEqual({ save: false, terminalProgress: false, downloadState: 'function' });
    } finally {
      await browser.close();
      await server?.close();
    }
  });

  it('TypeScript sees the browser types under the "browser" condition and the Node types otherwise', async () => {
    writeFileSync(join(app, 'browser.ts'), "import * as tg from 'tensorgrad';\ntg.downloadState(new tg.nn.Linear(2, 1), 'm.json');\n// @ts-expect-error files are Node-only\ntg.save(new tg.nn.Linear(2, 1), 'm.json');\n");
    writeFileSync(join(app, 'node.ts'), "import * as tg from 'tensorgrad';\ntg.save(new tg.nn.Linear(2, 1), 'm.json');\n// @ts-expect-error downloads are browser-only\ntg.downloadState(new tg.nn.Linear(2, 1), 'm.json');\n");
    const common = { strict: true, noEmit: true, skipLibCheck: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [] };
    writeFileSync(join(app, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { ...common, module: 'ESNext', moduleResolution: 'Bundler', customConditions: ['browser'] }, files: ['browser.ts'] }));
    writeFileSync(join(app, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { ...common, module: 'NodeNext', moduleResolution: 'NodeNext' }, files: ['node.ts'] }));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    for (const config of ['tsconfig.browser.json', 'tsconfig.node.json']) {
      await expect(run(process.execPath, [tsc, '-p', join(app, config)], { cwd: app }).then(() => 'ok')).resolves.toBe('ok');
    }
  });
});
