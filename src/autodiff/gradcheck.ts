import { GradError, ValueError, fmtShape } from '../core/errors.js';
import { fromValues } from '../tensor/create.js';
import { Tensor } from '../tensor/tensor.js';
import { withGradMode } from './grad-mode.js';
import { jacfwd, jacrev, type TensorFn } from './transforms.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Which autodiff modes to check (default both). */
  modes?: readonly ('forward' | 'reverse')[];
  /** Throw a GradError describing the worst mismatch (default true); false returns false instead. */
  raiseException?: boolean;
}

/**
 * Full Jacobian of f with respect to input `index` by central finite differences,
 * `[...out.shape, ...inputs[index].shape]`: (f(x + eps e_j) - f(x - eps e_j)) / 2 eps.
 */
export function numericalJacobian(f: TensorFn, inputs: readonly Tensor[], index: number, eps = 1e-6): Tensor {
  const x = inputs[index];
  const base = x.dataSync();
  const evalAt = (j: number, delta: number): Float64Array => {
    const values = Float64Array.from(base);
    values[j] += delta;
    const args = inputs.map((t, i) => (i === index ? fromValues(values, x.shape, x.dtype) : t));
    return Float64Array.from(withGradMode('none', () => f(...args)).dataSync());
  };
  const probe = withGradMode('none', () => f(...inputs));
  const n = probe.size;
  const m = x.size;
  const jac = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const plus = evalAt(j, eps);
    const minus = evalAt(j, -eps);
    for (let i = 0; i < n; i++) jac[i * m + j] = (plus[i] - minus[i]) / (2 * eps);
  }
  return fromValues(jac, [...probe.shape, ...x.shape], 'float64');
}

/**
 * Checks f's derivatives against central finite differences, for every float input, in
 * forward and reverse mode: |analytic - numeric| <= atol + rtol |numeric| for every entry
 * of every Jacobian. Use float64 inputs; float32 is too coarse for finite differences.
 * Returns true, or throws a GradError naming the mode, input, entry and both values.
 */
export function gradcheck(f: TensorFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, modes = ['forward', 'reverse'], raiseException = true } = options;
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ValueError('gradcheck', `input ${i} must be a Tensor`);
  });
  for (let k = 0; k < inputs.length; k++) {
    if (inputs[k].dtype === 'int32') continue;
    const numeric = numericalJacobian(f, inputs, k, eps).dataSync();
    for (const mode of modes) {
      const jac = (mode === 'forward' ? jacfwd : jacrev)(f, { argnums: k })(...inputs) as Tensor;
      const analytic = jac.dataSync();
      for (let e = 0; e < numeric.length; e++) {
        const a = analytic[e];
        const nv = numeric[e];
        const bad = Number.isNaN(a) !== Number.isNaN(nv) || Math.abs(a - nv) > atol + rtol * Math.abs(nv);
        if (bad) {
          if (!raiseException) return false;
          const xShape = inputs[k].shape;
          const m = inputs[k].size;
          throw new GradError(
            'gradcheck',
            `${mode}-mode Jacobian with respect to input ${k} (shape ${fmtShape(xShape)}) differs from finite differences ` +
              `at output element ${Math.floor(e / Math.max(m, 1))}, input element ${e % Math.max(m, 1)}: analytic ${a}, numeric ${nv} ` +
              `(atol ${atol}, rtol ${rtol})`,
          );
        }
      }
    }
  }
  return true;
}
