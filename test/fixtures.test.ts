/**
 * Replays the PyTorch reference cases of test/fixtures/ops.json (made by
 * scripts/make-fixtures.py, `npm run fixtures`) with tensorgrad: forward values, and the
 * derivatives in both modes. Python is not needed here.
 *
 * Per case:
 * - value: tg[fn](...args) equals PyTorch's result;
 * - reverse mode: `out.backward(cotangent)` fills each input's `.grad` with PyTorch's
 *   gradient of <cotangent, out>, and `tg.vjp` gives the same;
 * - forward mode: the Jacobians the result carries (`out.jacobian(x)`), contracted with
 *   the cotangent, give the same gradients; `backward()` in forward mode does too; and
 *   `tg.jvp` with the stored tangents gives PyTorch's forward-mode directional derivative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';
import { expectClose } from './helpers.js';

type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

interface FixtureCase {
  name: string;
  fn: string;
  dtype: 'float64' | 'float32';
  args: unknown[];
  inputs: { shape: number[]; data: JsonNumber[]; differentiable: boolean }[];
  out: { shape: number[]; data: JsonNumber[] };
  cotangent?: JsonNumber[];
  grads?: (JsonNumber[] | null)[];
  tangents?: JsonNumber[][];
  jvp?: JsonNumber[];
  /** Full forward-mode Jacobians [...out.shape, ...input.shape], stored for special-value cases. */
  jacobians?: (JsonNumber[] | null)[];
}

interface Fixture {
  generator: { command: string; torch: string; numpy: string; seed: number };
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/ops.json', import.meta.url), 'utf8')) as Fixture;

const decode = (xs: readonly JsonNumber[]): number[] => xs.map((v) => (typeof v === 'string' ? Number(v) : v));

function makeTensor(data: readonly JsonNumber[], shape: readonly number[], dtype: tg.DType, requiresGrad = false): tg.Tensor {
  return tg.tensor(Float64Array.from(decode(data)), { shape, dtype, requiresGrad });
}

/** Substitutes the tensors for the {"input": i} placeholders of a case's argument list. */
function bind(arg: unknown, inputs: readonly tg.Tensor[]): unknown {
  if (Array.isArray(arg)) return arg.map((a) => bind(a, inputs));
  if (arg !== null && typeof arg === 'object' && 'input' in arg) return inputs[(arg as { input: number }).input];
  return arg;
}

const ops = tg as unknown as Record<string, (...args: unknown[]) => tg.Tensor>;

function call(c: FixtureCase, inputs: readonly tg.Tensor[]): tg.Tensor {
  const fn = ops[c.fn];
  if (typeof fn !== 'function') throw new Error(`fixture case '${c.name}': tg.${c.fn} is not a function`);
  return fn(...(bind(c.args, inputs) as unknown[]));
}

const tolerance = (c: FixtureCase): [number, number] => (c.dtype === 'float32' ? [1e-5, 1e-5] : [1e-10, 1e-10]);

/** Fresh input tensors of a case; the differentiable ones require grad when `track`. */
function inputsOf(c: FixtureCase, track: boolean): tg.Tensor[] {
  return c.inputs.map((inp) => makeTensor(inp.data, inp.shape, c.dtype, track && inp.differentiable));
}

/** <cotangent, J> contracted over the output's axes: J has shape [...out.shape, ...x.shape]. */
function contract(cotangent: tg.Tensor, jac: tg.Tensor): tg.Tensor {
  return tg.noGrad(() => tg.tensordot(cotangent, jac, cotangent.ndim));
}

function expectGrads(c: FixtureCase, grads: readonly (tg.Tensor | null)[], what: string): void {
  const [atol, rtol] = tolerance(c);
  c.inputs.forEach((inp, i) => {
    const want = c.grads![i];
    if (!inp.differentiable || want === null) return;
    const got = grads[i];
    expect(got, `${what}: gradient of input ${i}`).not.toBeNull();
    expect(got!.shape, `${what}: gradient shape of input ${i}`).toEqual(inp.shape);
    expectClose(got!, decode(want), atol, rtol);
  });
}

describe('fixture file', () => {
  it('records how it was made', () => {
    expect(fixture.generator.command).toContain('npm run fixtures');
    expect(fixture.generator.torch).toMatch(/^\d+\.\d+/);
    expect(fixture.generator.numpy).toMatch(/^\d+\.\d+/);
  });

  it('covers every public op', () => {
    const covered = new Set(fixture.cases.map((c) => c.fn));
    const expected = [
      'add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'log', 'log1p', 'sqrt', 'abs', 'sign', 'tanh', 'sigmoid', 'relu',
      'sin', 'cos', 'maximum', 'minimum', 'clamp', 'where', 'softmax', 'logSoftmax', 'logsumexp', 'sum', 'mean', 'max',
      'min', 'argmax', 'argmin', 'matmul', 'tensordot', 'transpose', 'reshape', 'squeeze', 'unsqueeze', 'flatten',
      'broadcastTo', 'sumToShape', 'concat', 'stack', 'index', 'cast', 'equal', 'notEqual', 'less', 'lessEqual',
      'greater', 'greaterEqual',
    ];
    expect(expected.filter((name) => !covered.has(name))).toEqual([]);
    expect(fixture.cases.some((c) => c.dtype === 'float32')).toBe(true);
  });
});

describe.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const [atol, rtol] = tolerance(c);
  const differentiable = c.grads !== undefined;

  it('value', () => {
    const out = tg.noGrad(() => call(c, inputsOf(c, false)));
    expect(out.shape).toEqual(c.out.shape);
    expectClose(out, decode(c.out.data), atol, rtol);
  });

  if (!differentiable) {
    it('is not tracked in either mode', () => {
      for (const mode of ['reverse', 'forward'] as const) {
        const out = tg.withGradMode(mode, () => call(c, inputsOf(c, true).map((t) => t.requiresGrad_(true))));
        expect(out.node, mode).toBeNull();
        expect(out.tangents, mode).toBeNull();
        expect(out.requiresGrad, mode).toBe(false);
      }
    });
    return;
  }

  const outDtype = (): tg.DType => (c.fn === 'cast' ? (c.args[1] as tg.DType) : c.dtype);
  const cotangent = () => makeTensor(c.cotangent!, c.out.shape, outDtype());

  it('reverse mode: backward(cotangent) and vjp', () => {
    const xs = inputsOf(c, true);
    const out = tg.withGradMode('reverse', () => call(c, xs));
    expectClose(out, decode(c.out.data), atol, rtol);
    out.backward(cotangent());
    expectGrads(c, xs.map((x) => x.grad), 'backward');

    const plain = inputsOf(c, false);
    const [value, vjpFn] = tg.vjp((...args) => call(c, args), ...plain);
    expectClose(value, decode(c.out.data), atol, rtol);
    expectGrads(c, vjpFn(cotangent()), 'vjp');
  });

  it('forward mode: carried Jacobians, backward(cotangent) and jvp', () => {
    const xs = inputsOf(c, true);
    const out = tg.withGradMode('forward', () => call(c, xs));
    expectClose(out, decode(c.out.data), atol, rtol);
    const ct = cotangent();
    if (c.jacobians) {
      // Special values: a Jacobian built one direction at a time has 0 * Infinity = NaN
      // entries (in PyTorch's forward mode and JAX's jacfwd too) where the single reverse
      // pass has none, so the Jacobians are compared with PyTorch's forward-mode ones, and
      // backward() in forward mode with their contraction.
      xs.forEach((x, i) => {
        const want = c.jacobians![i];
        if (!x.requiresGrad || want === null) return;
        const shape = [...c.out.shape, ...x.shape];
        const jac = out.jacobian(x);
        expect(jac.shape).toEqual(shape);
        expectClose(jac, decode(want), atol, rtol);
      });
      out.backward(ct);
      xs.forEach((x, i) => {
        const want = c.jacobians![i];
        if (!x.requiresGrad || want === null) return;
        expectClose(x.grad!, contract(ct, makeTensor(want, [...c.out.shape, ...x.shape], c.dtype)), atol, rtol);
      });
    } else {
      expectGrads(c, xs.map((x) => (x.requiresGrad ? contract(ct, out.jacobian(x)) : null)), 'jacobian');
      out.backward(ct);
      expectGrads(c, xs.map((x) => x.grad), 'forward backward');
    }

    const plain = inputsOf(c, false);
    const tangents = c.tangents!.map((t, i) => makeTensor(t, c.inputs[i].shape, c.dtype));
    const [value, jvpOut] = tg.jvp((...args) => call(c, args), plain, tangents);
    expectClose(value, decode(c.out.data), atol, rtol);
    expect(jvpOut.shape).toEqual(c.out.shape);
    expectClose(jvpOut, decode(c.jvp!), atol, rtol);
  });
});
