import type { Activation } from '../backend/backend.js';
import { defineOp, type OpApply } from '../autodiff/define-op.js';
import { getGradMode } from '../autodiff/grad-mode.js';
import { ShapeError, ValueError, fmtShape } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './add.js';
import { matmul } from './matmul.js';
import { relu, reluFn, reluGrad } from './relu.js';
import { reshape } from './reshape.js';
import { sigmoid, sigmoidGrad, stableSigmoid } from './sigmoid.js';
import { sum } from './sum.js';
import { tanh, tanhGrad } from './tanh.js';
import { transpose } from './transpose.js';
import { asTensor, sumPresent, wrap, type TensorLike } from './util.js';

/** The activations a linear layer can apply in the same kernel call. */
export type LinearActivation = 'relu' | 'sigmoid' | 'tanh';

interface Act {
  /** The kernel's name and scalar function (those of the activation's own op). */
  readonly kernel: Activation;
  /** The activation as an op, for the composite path. */
  readonly apply: (z: Tensor) => Tensor;
  /** g·act'(z), from the activation's output y = act(z). */
  readonly grad: (g: Tensor, y: Tensor) => Tensor;
}

const ACTIVATIONS: Readonly<Record<LinearActivation, Act>> = {
  relu: { kernel: { name: 'relu', fn: reluFn }, apply: relu, grad: reluGrad },
  sigmoid: { kernel: { name: 'sigmoid', fn: stableSigmoid }, apply: sigmoid, grad: sigmoidGrad },
  tanh: { kernel: { name: 'tanh', fn: Math.tanh }, apply: tanh, grad: tanhGrad },
};

interface LinearAttrs {
  readonly activation: LinearActivation | null;
}

/** g·act'(z) from y = act(z), or g itself without an activation. */
function throughActivation(attrs: LinearAttrs, g: Tensor, y: Tensor): Tensor {
  return attrs.activation === null ? g : ACTIVATIONS[attrs.activation].grad(g, y);
}

/**
 * act(x·w + b) for x [M, K], w [K, N] and b [N] or [1, N] (inputs [x, w] or [x, w, b]), forward in one
 * backend call. y = act(z), z = x·w + b:
 * dy = act'(z)·(dx·w + x·dw + db); cotangents with gz = g·act'(z): x̄ = gz·wᵀ, w̄ = xᵀ·gz,
 * b̄ = Σ_rows gz. act'(z) is read off y (relu: y > 0; sigmoid: y(1 - y); tanh: 1 - y²).
 */
export const linearOp: OpApply<LinearAttrs> = defineOp<LinearAttrs>({
  name: 'linear',
  forward: ([x, w, b], { activation }) => {
    const [M, K] = x.shape;
    const N = w.shape[1];
    const kernel = activation === null ? null : ACTIVATIONS[activation].kernel;
    return wrap(x.backend.linear(x.storage, w.storage, b ? b.storage : null, M, K, N, kernel, x.dtype), [M, N], x.dtype, x);
  },
  // tangents carry a leading direction axis: dx [P, M, K], dw [P, K, N], db [P, N] or [P, 1, N]
  jvp: ({ inputs: [x, w], out, attrs }, [dx, dw, db]) => {
    const dz = sumPresent(dx && matmul(dx, w), dw && matmul(x, dw), db && reshape(db, [db.shape[0], 1, w.shape[1]]));
    return throughActivation(attrs, dz, out);
  },
  vjp: ({ inputs: [x, w, b], out, attrs }, g, needs) => {
    const gz = throughActivation(attrs, g, out);
    return [
      needs[0] ? matmul(gz, transpose(w)) : null,
      needs[1] ? matmul(transpose(x), gz) : null,
      needs[2] ? sum(gz, 0, b.ndim === 2) : null,
    ];
  },
});

/** The same function as separate ops (matmul, add, the activation). */
function composite(x: Tensor, w: Tensor, b: Tensor | null, activation: LinearActivation | null): Tensor {
  const y = matmul(x, w);
  // a [1, N] bias with a vector x would broadcast the result to [1, N]: the row is the bias
  const z = b === null ? y : add(y, x.ndim === 1 && b.ndim === 2 ? reshape(b, [w.shape[1]]) : b);
  return activation === null ? z : ACTIVATIONS[activation].apply(z);
}

/**
 * A linear layer's function, act(x·w + b): x [..., K] (or [K]), w [K, N], b [N], [1, N] or null,
 * `activation` 'relu', 'sigmoid', 'tanh' or null. Same values and derivatives as
 * `act(add(matmul(x, w), b))`; for a matrix x outside forward mode it runs as one primitive
 * (one kernel call forward, one fused activation derivative backward), which is what
 * nn.Linear and FeedForward use. Forward mode takes the separate ops, whose rules keep the
 * Jacobians factored. d: see `linearOp`.
 */
export function linear(xIn: TensorLike, wIn: TensorLike, bIn: TensorLike | null = null, activation: LinearActivation | null = null): Tensor {
  const x = asTensor('linear', xIn);
  const w = asTensor('linear', wIn);
  const b = bIn === null ? null : asTensor('linear', bIn);
  if (activation !== null && !Object.hasOwn(ACTIVATIONS, activation)) {
    throw new ValueError('linear', `unknown activation ${JSON.stringify(activation)}; expected 'relu', 'sigmoid', 'tanh' or null`);
  }
  const biasOk = b === null || (b.shape[b.ndim - 1] === w.shape[1] && (b.ndim === 1 || (b.ndim === 2 && b.shape[0] === 1)));
  if (w.ndim !== 2 || x.ndim === 0 || x.shape[x.ndim - 1] !== w.shape[0] || !biasOk) {
    throw new ShapeError('linear', `x ${fmtShape(x.shape)}, w ${fmtShape(w.shape)}, b ${b ? fmtShape(b.shape) : 'none'}: expected x [..., K], w [K, N] and b [N] or [1, N]`);
  }
  const fused =
    x.ndim === 2 &&
    x.dtype === w.dtype &&
    (b === null || b.dtype === x.dtype) &&
    (x.dtype === 'float32' || x.dtype === 'float64') &&
    getGradMode() !== 'forward' &&
    x.tangents === null &&
    w.tangents === null &&
    (b === null || b.tangents === null);
  if (!fused) return composite(x, w, b, activation);
  return linearOp(b === null ? [x, w] : [x, w, b], { activation });
}
