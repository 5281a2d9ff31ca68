import { isFloat } from '../core/dtype.js';
import { GradError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { ones, zeros } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { reversePass } from './backward.js';
import { engineOps } from './engine-ops.js';
import { getGradMode, withGradMode } from './grad-mode.js';
import { jacobian } from './jacobian.js';
import { asTangent, denseTangent } from './kronecker.js';

/** A function of tensors returning a tensor, as the transforms take it. */
export type TensorFn = (...args: Tensor[]) => Tensor;

export interface ArgnumsOptions {
  /** Which arguments to differentiate with respect to (default 0). A list gives a list back. */
  argnums?: number | readonly number[];
}

function toList(op: string, argnums: number | readonly number[] | undefined, nargs: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < 0 || a >= nargs) {
      throw new ValueError(op, `argnums ${a} is out of range for a call with ${nargs} argument${nargs === 1 ? '' : 's'}`);
    }
  }
  return list;
}

function checkArg(op: string, x: unknown, i: number): Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(op, `argument ${i} must be a Tensor, got ${typeof x}`);
  if (!isFloat(x.dtype)) throw new GradError(op, `argument ${i} is ${x.dtype}; only float tensors can be differentiated`);
  return x;
}

/** Fresh leaves for the differentiated arguments (the callers' tensors are left untouched). */
function freshLeaves(op: string, args: Tensor[], which: number[]): Tensor[] {
  return args.map((a, i) => (which.includes(i) ? checkArg(op, a, i).detach().requiresGrad_(true) : a));
}

/**
 * Whether this call sits inside another transform (or a tape) that differentiates the same
 * arguments, as in `grad(grad(f))` or `jacfwd(grad(f))`: then the gradient must stay
 * connected to the arguments instead of starting from detached copies.
 */
function isNested(args: Tensor[], which: number[]): boolean {
  return getGradMode() !== 'none' && which.some((i) => args[i] instanceof Tensor && args[i].requiresGrad);
}

/**
 * Entry points for a reverse pass: a tracked argument gets a tracked alias (a reshape to its
 * own shape), so that the pass can stop there while the enclosing transform still sees the
 * connection; the others become fresh leaves.
 */
function entryPoints(op: string, args: Tensor[], which: number[], nested: boolean): Tensor[] {
  return args.map((a, i) => {
    if (!which.includes(i)) return a;
    const x = checkArg(op, a, i);
    return nested && x.requiresGrad ? engineOps().reshape(x, x.shape) : x.detach().requiresGrad_(true);
  });
}

function checkOutput(op: string, out: unknown, scalar: boolean): Tensor {
  if (!(out instanceof Tensor)) throw new ValueError(op, `the function must return a Tensor, got ${typeof out}`);
  if (scalar && out.size !== 1) {
    throw new ValueError(op, `the function must return a one-element tensor, got shape ${fmtShape(out.shape)}; use vjp or jacrev for non-scalar outputs`);
  }
  return out;
}

/**
 * Gradients of a scalar `out` with respect to `wrt` by one reverse pass (zeros where
 * independent); with `createGraph` the pass itself is recorded, for nested transforms.
 */
function reverseGrads(out: Tensor, wrt: Tensor[], createGraph = false): Tensor[] {
  const seed = ones(out.shape, { dtype: out.dtype });
  const grads = out.node ? reversePass(out, seed, { createGraph }) : new Map<Tensor, Tensor>();
  if (!grads.has(out)) grads.set(out, seed);
  return wrt.map((w) => grads.get(w) ?? zeros(w.shape, { dtype: w.dtype }));
}

/**
 * `valueAndGrad(f)(...args)` returns `[f(...args), df/dargs[argnums]]` for a scalar-valued f,
 * by reverse mode. The gradient has the argument's shape; a list of argnums gives a list.
 */
export function valueAndGrad(f: TensorFn, opts: ArgnumsOptions = {}): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  return (...args) => {
    const which = toList('valueAndGrad', opts.argnums, args.length);
    const nested = isNested(args, which);
    const xs = entryPoints('valueAndGrad', args, which, nested);
    const out = checkOutput('valueAndGrad', withGradMode('reverse', () => f(...xs)), true);
    const grads = reverseGrads(out, which.map((i) => xs[i]), nested);
    return [nested ? out : out.detach(), typeof opts.argnums === 'object' ? grads : grads[0]];
  };
}

/** `grad(f)(...args)`: the gradient of a scalar-valued f with respect to argument `argnums` (JAX's `grad`). */
export function grad(f: TensorFn, opts: ArgnumsOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, opts);
  return (...args) => vg(...args)[1];
}

/**
 * `vjp(f, ...primals)` returns `[f(...primals), vjpFn]`; `vjpFn(cotangent)` gives
 * `cotangent · df/dprimal` for every primal, by reverse mode. vjpFn may be called many times.
 */
export function vjp(f: TensorFn, ...primals: Tensor[]): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const which = primals.map((_, i) => i);
  const xs = freshLeaves('vjp', primals, which);
  const out = checkOutput('vjp', withGradMode('reverse', () => f(...xs)), false);
  const vjpFn = (cotangent: Tensor): Tensor[] => {
    if (!(cotangent instanceof Tensor) || !shapesEqual(cotangent.shape, out.shape)) {
      const got = cotangent instanceof Tensor ? fmtShape(cotangent.shape) : typeof cotangent;
      throw new ValueError('vjp', `the cotangent must have the output's shape ${fmtShape(out.shape)}, got ${got}`);
    }
    const ct = cotangent.dtype === out.dtype ? cotangent : engineOps().cast(cotangent, out.dtype);
    const grads = out.node ? reversePass(out, ct, { retainGraph: true }) : new Map<Tensor, Tensor>();
    return xs.map((x) => grads.get(x) ?? (out === x ? ct : zeros(x.shape, { dtype: x.dtype })));
  };
  return [out.detach(), vjpFn];
}

/**
 * `jvp(f, primals, tangents)` returns `[f(...primals), df · tangents]`: the directional
 * derivative, by forward mode, in one pass.
 */
export function jvp(f: TensorFn, primals: readonly Tensor[], tangents: readonly Tensor[]): [Tensor, Tensor] {
  if (primals.length !== tangents.length) {
    throw new ValueError('jvp', `got ${primals.length} primals but ${tangents.length} tangents`);
  }
  const ops = engineOps();
  const xs = primals.map((p, i) => {
    const x = checkArg('jvp', p, i).detach().requiresGrad_(true);
    const t = tangents[i];
    if (!(t instanceof Tensor) || !shapesEqual(t.shape, p.shape)) {
      const got = t instanceof Tensor ? fmtShape(t.shape) : typeof t;
      throw new ValueError('jvp', `tangent ${i} must have the primal's shape ${fmtShape(p.shape)}, got ${got}`);
    }
    const seed = withGradMode('none', () => ops.reshape(t.dtype === x.dtype ? t : ops.cast(t, x.dtype), [1, ...x.shape]));
    x.tangents = new Map([[x, seed]]);
    return x;
  });
  const out = checkOutput('jvp', withGradMode('forward', () => f(...xs)), false);
  let tangentOut: Tensor = zeros(out.shape, { dtype: out.dtype });
  withGradMode('none', () => {
    // only the seeded arguments' directions: leaves the function closes over (a model's
    // weights) carry Jacobians too, with as many directions as they have entries
    for (const x of xs) {
      const t = out.tangents?.get(x);
      if (t) tangentOut = ops.add(tangentOut, ops.reshape(denseTangent(asTangent(t), 'jvp'), out.shape));
    }
  });
  return [out.detach(), tangentOut];
}

function jacWith(op: string, mode: 'forward' | 'reverse', f: TensorFn, opts: ArgnumsOptions): (...args: Tensor[]) => Tensor | Tensor[] {
  return (...args) => {
    const which = toList(op, opts.argnums, args.length);
    const xs = freshLeaves(op, args, which);
    const out = checkOutput(op, withGradMode(mode, () => f(...xs)), false);
    const jacs = which.map((i) => {
      const x = xs[i];
      if (out === x) return jacobian(x, x);
      if (!out.tangents && !out.node) return zeros([...out.shape, ...x.shape], { dtype: out.dtype });
      return jacobian(out, x);
    });
    return typeof opts.argnums === 'object' ? jacs : jacs[0];
  };
}

/** `jacfwd(f)(...args)`: the full Jacobian `[...out.shape, ...arg.shape]` by forward mode. */
export function jacfwd(f: TensorFn, opts: ArgnumsOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  return jacWith('jacfwd', 'forward', f, opts);
}

/**
 * `hessian(f)(...args)`: second derivatives of a scalar-valued f, `[...x.shape, ...x.shape]`,
 * as forward-over-reverse (jacfwd of grad), JAX's choice.
 */
export function hessian(f: TensorFn, opts: { argnums?: number } = {}): (...args: Tensor[]) => Tensor {
  const g = grad(f, { argnums: opts.argnums ?? 0 }) as TensorFn;
  return jacfwd(g, { argnums: opts.argnums ?? 0 }) as (...args: Tensor[]) => Tensor;
}

/** `jacrev(f)(...args)`: the full Jacobian `[...out.shape, ...arg.shape]` by reverse mode (one pass per output element). */
export function jacrev(f: TensorFn, opts: ArgnumsOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  return jacWith('jacrev', 'reverse', f, opts);
}
