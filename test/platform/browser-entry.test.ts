import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from '../../src/index.browser.js';
import * as node from '../../src/index.js';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Third-party modules the browser entry may reach, each checked to run in browsers. */
const BROWSER_SAFE = new Set([
  'fflate', // gunzip of the embedded digits data; has a browser build
  'asciichart', // plain string building
  'csv-parse/browser/esm/sync', // csv-parse's own browser build (bundles what it needs of Buffer)
  'vega', // loaded on demand by lossCurveSVG; made for browsers
  'vega-lite',
]);

/** The documented differences between the entries (src/index.browser.ts says why). */
const NODE_ONLY = ['load', 'loadWithMetadata', 'save', 'terminalProgress'];
const BROWSER_ONLY = ['consoleProgress', 'downloadState', 'readStateFile', 'stateToBlob'];

/** Resolves a `#name` import the way a bundler does under `condition`. */
function packageImport(spec: string, condition: 'browser' | 'default'): string {
  const target = pkg.imports?.[spec];
  if (!target) throw new Error(`${spec} is not in package.json "imports"`);
  return typeof target === 'string' ? target : (target[condition] ?? target.default);
}

/**
 * Every module the entry loads at run time, following relative imports through src/
 * (type-only imports are erased by the compiler and skipped): source files and bare
 * specifiers (packages and builtins).
 */
function importGraph(entry: string, condition: 'browser' | 'default'): { files: string[]; modules: string[] } {
  const files = new Set<string>();
  const modules = new Set<string>();
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
      if (m[2]) continue; // import type / export type
      let spec = m[3] ?? m[4];
      if (spec.startsWith('#')) spec = packageImport(spec, condition);
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else modules.add(spec);
    }
  };
  visit(join(root, entry));
  return { files: [...files].map((f) => relative(root, f)).sort(), modules: [...modules].sort() };
}

const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

describe('browser entry (src/index.browser.ts)', () => {
  it('loads nothing Node-only: no node: builtins, no cli-progress, no Node platform files', () => {
    const { files, modules } = importGraph('src/index.browser.ts', 'browser');
    expect(files).toContain('src/api.ts');
    expect(files).toContain('src/platform/browser-files.ts');
    expect(modules.filter(isBuiltin)).toEqual([]);
    expect(modules).not.toContain('cli-progress');
    expect(modules).not.toContain('csv-parse/sync'); // uses Node's Buffer
    expect(files.filter((f) => f.includes('platform/node-'))).toEqual([]);
    const unchecked = modules.filter((m) => !BROWSER_SAFE.has(m));
    expect(unchecked, 'a new third-party import on the browser path: check that it runs in browsers, then add it to BROWSER_SAFE').toEqual([]);
  });

  it('the check sees Node imports where they are: the Node entry reaches node:fs and cli-progress', () => {
    const { files, modules } = importGraph('src/index.ts', 'default');
    expect(modules).toEqual(expect.arrayContaining(['node:fs', 'node:path', 'cli-progress', 'csv-parse/sync']));
    expect(files).toEqual(expect.arrayContaining(['src/platform/node-files.ts', 'src/platform/node-progress.ts']));
  });

  it('exports the same API as the Node entry, minus files and the terminal bar, plus their browser counterparts', () => {
    const nodeNames = Object.keys(node).sort();
    const browserNames = Object.keys(browser).sort();
    expect(nodeNames.filter((n) => !(n in browser))).toEqual(NODE_ONLY);
    expect(browserNames.filter((n) => !(n in node))).toEqual(BROWSER_ONLY);
    // the shared names are the very same functions, classes and namespaces
    const differing = nodeNames.filter((n) => n in browser && (node as Record<string, unknown>)[n] !== (browser as Record<string, unknown>)[n]);
    expect(differing).toEqual([]);
    expect(nodeNames.length).toBeGreaterThan(100);
  });

  it('package.json sends browsers (and bundlers targeting them) to the browser build, everyone else to the Node one', () => {
    const dot = pkg.exports['.'];
    expect(Object.keys(dot)[0]).toBe('browser'); // conditions match in order
    expect(dot.browser).toEqual({ types: './dist/index.browser.d.ts', default: './dist/index.browser.js' });
    expect(dot.types).toBe('./dist/index.d.ts');
    expect(dot.default).toBe('./dist/index.js');
    expect(pkg.exports['./browser']).toEqual(dot.browser);
    expect(pkg.browser).toBe('./dist/index.browser.js');
    expect(packageImport('#csv-parse', 'browser')).toBe('csv-parse/browser/esm/sync');
    expect(packageImport('#csv-parse', 'default')).toBe('csv-parse/sync');
    // bundlers must keep the entries' side effects (Tensor methods, default progress)
    expect(pkg.sideEffects).toEqual(expect.arrayContaining(['./src/index.*', './src/api.*', './dist/index.*', './dist/api.*']));
  });

  it('outside a page (a worker, Node) state files still encode and decode; downloadState says it needs a page', async () => {
    browser.manualSeed(0);
    const m = new browser.nn.Linear(3, 2);
    for (const format of ['json', 'safetensors'] as const) {
      const { state, metadata } = await browser.readStateFile(browser.stateToBlob(m, format, { run: '1' }), `m.${format}`);
      expect(metadata).toEqual({ run: '1' });
      expect(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.toArray()]))).toEqual(
        Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.toArray()])),
      );
    }
    expect(() => browser.downloadState(m, 'm.json')).toThrow(/^downloadState: a download needs a page \(document\); in a worker, post stateToBlob\(model\)/);
  });
});
