import { GradError, fmtShape } from '../core/errors.js';
import { fromValues, zeros } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { reversePass } from './backward.js';
import { leafIdentity, leavesOf } from './define-op.js';
import { engineOps } from './engine-ops.js';
import { withGradMode } from './grad-mode.js';
import { asTangent, denseTangent } from './kronecker.js';

/** Internal tangent layout `[P, ...y.shape]` -> public Jacobian layout `[...y.shape, ...w.shape]`. */
export function tangentToJacobian(tangent: Tensor, yShape: readonly number[], wShape: readonly number[]): Tensor {
  const ops = engineOps();
  const P = tangent.shape[0];
  const Y = tangent.size / Math.max(P, 1);
  return withGradMode('none', () =>
    ops.reshape(ops.transpose(ops.reshape(tangent, [P, Y]), [1, 0]), [...yShape, ...wShape]),
  );
}

function checkWrt(y: Tensor, w: Tensor): void {
  if (!w.requiresGrad) {
    throw new GradError('jacobian', `the tensor to differentiate with respect to (shape ${fmtShape(w.shape)}) does not require grad; create it with { requiresGrad: true }`);
  }
  if (!w.isLeaf) {
    throw new GradError('jacobian', `Jacobians are taken with respect to leaves (tensors created with requiresGrad), but this tensor is a result of '${w.creator}'`);
  }
  if (!y.tangents && !y.node && !(y.isLeaf && y.requiresGrad)) {
    throw new GradError(
      'jacobian',
      `this result (shape ${fmtShape(y.shape)}) carries no derivatives: it was computed with tracking off (mode 'none' or noGrad) or from tensors that do not require grad`,
    );
  }
}

/**
 * dy/dw with shape `[...y.shape, ...w.shape]`: read off the Jacobians y carries in
 * forward mode, or computed by one reverse pass per element of y in reverse mode.
 * Zeros when y does not depend on w.
 */
export function jacobian(y: Tensor, w: Tensor): Tensor {
  checkWrt(y, w);
  if (y.tangents) {
    const t = y.tangents.get(w);
    return t ? tangentToJacobian(denseTangent(asTangent(t), 'jacobian'), y.shape, w.shape) : zeros([...y.shape, ...w.shape], { dtype: y.dtype });
  }
  if (y === w) return tangentToJacobian(leafIdentity(w), w.shape, w.shape);
  if (!y.node) return zeros([...y.shape, ...w.shape], { dtype: y.dtype });
  return reverseJacobian(y, w);
}

function reverseJacobian(y: Tensor, w: Tensor): Tensor {
  const n = y.size;
  const m = w.size;
  const values = new Float64Array(n * m);
  const seed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seed.fill(0);
    seed[i] = 1;
    const grads = reversePass(y, fromValues(seed, y.shape, y.dtype), { retainGraph: true });
    const g = grads.get(w);
    if (g) values.set(g.dataSync(), i * m);
  }
  return fromValues(values, [...y.shape, ...w.shape], y.dtype);
}

/** Every Jacobian y carries, keyed by leaf (forward mode), or reachable leaves' Jacobians (reverse). */
export function jacobians(y: Tensor): Map<Tensor, Tensor> {
  const out = new Map<Tensor, Tensor>();
  if (y.tangents) {
    for (const [leaf, t] of y.tangents) out.set(leaf, tangentToJacobian(denseTangent(asTangent(t), 'jacobians'), y.shape, leaf.shape));
    return out;
  }
  if (y.isLeaf && y.requiresGrad) {
    for (const leaf of leavesOf(y)) out.set(leaf, jacobian(y, leaf));
    return out;
  }
  for (const leaf of reachableLeaves(y)) out.set(leaf, reverseJacobian(y, leaf));
  return out;
}

function reachableLeaves(y: Tensor): Tensor[] {
  const leaves: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack = [y];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (t.isLeaf && t.requiresGrad) leaves.push(t);
    for (const i of t.node?.inputs ?? []) stack.push(i);
  }
  return leaves;
}
