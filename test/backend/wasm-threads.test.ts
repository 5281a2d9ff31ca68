/**
 * Large products split over worker threads (Node): the same bits as on one thread, bands
 * that do not divide evenly, the thread setting, and workers that never keep the process
 * alive.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../src/core/shape.js';
import { createWasmBackend, type WasmBackend } from '../../src/backend/wasm/index.js';
import * as tg from '../../src/index.js';
import { lcgValues } from '../values.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}


function product(be: WasmBackend, a: number[], b: number[], transA: boolean, dtype: 'float32' | 'float64'): number[] {
  const av = lcgValues(sizeOf(a), 5);
  const bv = lcgValues(sizeOf(b), 9);
  return Array.from(be.read(be.matmul(be.fromArray(av, dtype), a, be.fromArray(bv, dtype), b, transA, false, dtype)));
}

describe(`wasm matmul on worker threads (Node ${process.version})`, () => {
  const threaded = createWasmBackend({ threads: 3 });
  const single = createWasmBackend({ threads: 1 });

  it.each([
    ['float32', [257, 300], [300, 130], false],
    ['float64', [131, 517], [517, 96], false],
    ['float64', [300, 257], [300, 64], true],
    ['float32', [2, 130, 70], [70, 150], false], // batches stacked into one tall product
  ] as const)('%s %j @ %j (transposed A: %s) equals the one-thread result bit for bit', (dtype, a, b, transA) => {
    const got = product(threaded, [...a], [...b], transA, dtype);
    const want = product(single, [...a], [...b], transA, dtype);
    expect(got).toEqual(want);
    expect(threaded.workerThreads?.size).toBe(2);
    expect(single.workerThreads).toBeNull();
  });

  it('never keeps the process alive: a script that used them exits by itself', () => {
    // the backend's sources, transpiled as they are, run in a child Node process
    const out = mkdtempSync(join(tmpdir(), 'tg-threads-'));
    try {
      for (const file of sourceFiles(join(root, 'src/core')).concat(sourceFiles(join(root, 'src/backend')))) {
        const js = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
        const dest = join(out, relative(join(root, 'src'), file)).replace(/\.ts$/, '.js');
        mkdirSync(dirname(dest), { recursive: true });
        writeFileSync(dest, js);
      }
      writeFileSync(join(out, 'package.json'), '{"type": "module"}');
      const script = [
        "import { createWasmBackend } from './backend/wasm/index.js';",
        'const be = createWasmBackend({ threads: 2 });',
        "const a = be.full(300 * 300, 1, 'float32');",
        "const c = be.matmul(a, [300, 300], a, [300, 300], false, false, 'float32');",
        "console.log(be.workerThreads ? be.workerThreads.size : 0, be.readAt(c, 0));",
      ].join('\n');
      writeFileSync(join(out, 'main.js'), script);
      const started = Date.now();
      const run = spawnSync(process.execPath, [join(out, 'main.js')], { encoding: 'utf8', timeout: 30_000 });
      expect(run.error, 'the child process did not exit by itself').toBeUndefined();
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('1 300');
      expect(run.status).toBe(0);
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('follows setNumThreads, and rejects bad counts', () => {
    const initial = tg.getNumThreads();
    try {
      tg.setNumThreads(2);
      expect(tg.getNumThreads()).toBe(2);
      tg.setNumThreads(1);
      expect(tg.getNumThreads()).toBe(1);
      expect(() => tg.setNumThreads(0)).toThrow(/setNumThreads: expected a whole number >= 1, got 0/);
      expect(() => tg.setNumThreads(1.5)).toThrow(/setNumThreads/);
    } finally {
      tg.setNumThreads(initial);
    }
  });
});
