/**
 * Which backend tensors land on when the user has not chosen: wasm where its module
 * compiles synchronously (Node), js where it does not (a browser's main thread, simulated
 * here), until `ready()` has compiled it asynchronously.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as RegistryModule from '../../src/backend/index.js';
import type * as WasmModule from '../../src/backend/wasm/index.js';

type Registry = typeof RegistryModule;

async function freshRegistry(): Promise<Registry> {
  vi.resetModules();
  return import('../../src/backend/index.js');
}

describe(`default backend in Node ${process.version}`, () => {
  afterEach(() => {
    vi.doUnmock('../../src/backend/wasm/index.js');
    vi.resetModules();
  });

  it('is wasm in Node', async () => {
    const reg = await freshRegistry();
    expect(reg.getBackend()).toBe('wasm');
  });

  it('falls back to js when synchronous compilation is refused, and ready() switches to wasm', async () => {
    vi.doMock('../../src/backend/wasm/index.js', async (importOriginal) => {
      const real = await importOriginal<typeof WasmModule>();
      return {
        ...real,
        createWasmBackend: () => {
          throw new RangeError('WebAssembly.Module(): synchronous compilation is not allowed on the main thread');
        },
      };
    });
    const reg = await freshRegistry();
    expect(reg.getBackend()).toBe('js');
    expect(() => reg.setBackend('wasm')).toThrow(/setBackend: could not start the wasm backend .*call 'await tg.ready\(\)' first/);
    await reg.ready();
    expect(reg.getBackend()).toBe('wasm');
  });

  it('ready() keeps a backend the user chose', async () => {
    const reg = await freshRegistry();
    reg.setBackend('js');
    await reg.ready();
    expect(reg.getBackend()).toBe('js');
    reg.setBackend('wasm');
    expect(reg.getBackend()).toBe('wasm');
  });
});
