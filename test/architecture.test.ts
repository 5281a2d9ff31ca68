import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports flow one way: a file may import from its own layer or the layers below it,
 * never from above (DESIGN.md). The entry points (src/index.ts, src/index.browser.ts and the
 * common src/api.ts they share) may import anything.
 */
const LAYERS: Record<string, number> = {
  core: 0,
  backend: 1,
  tensor: 2,
  autodiff: 3,
  ops: 4,
  nn: 5,
  losses: 5,
  optim: 5,
  data: 5,
  datasets: 5,
  io: 5,
  train: 6,
  platform: 7,
  cli: 8,
};

const SRC = resolve(__dirname, '../src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(file: string): string | null {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length > 1 ? rel[0] : null;
}

describe('architecture', () => {
  it('every folder under src/ has a layer', () => {
    const dirs = readdirSync(SRC).filter((d) => statSync(join(SRC, d)).isDirectory());
    expect(dirs.filter((d) => !(d in LAYERS))).toEqual([]);
  });

  it('imports flow one way: core < backend < tensor < autodiff < ops < nn/losses/optim/data < train < cli', () => {
    const violations: string[] = [];
    for (const file of files(SRC)) {
      const from = layerOf(file);
      if (from === null) continue; // entry points
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:(?:import|export)\s[^'"]*?from\s+|import\s+|import\()['"](\.[^'"]+)['"]/g)) {
        const target = layerOf(resolve(dirname(file), m[1]));
        if (target === null) {
          if (from !== 'cli') violations.push(`${relative(SRC, file)} imports the entry point ${m[1]}`);
          continue;
        }
        if (LAYERS[target] > LAYERS[from]) violations.push(`${relative(SRC, file)} (${from}) imports ${m[1]} (${target})`);
      }
    }
    expect(violations).toEqual([]);
  });
});
