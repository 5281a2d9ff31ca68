import { GradError, ValueError, fmtShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { currentBackend } from '../backend/index.js';
import { ones } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { engineOps } from './engine-ops.js';
import { withGradMode } from './grad-mode.js';
import { contractWithSeed } from './kronecker-rules.js';
import { asTangent } from './kronecker.js';

export interface BackwardOptions {
  /**
   * Keep the graph so that backward can run through it again. Default: false (it is freed),
   * except with `createGraph`, whose gradients still point into the graph (as in PyTorch).
   */
  retainGraph?: boolean;
  /** Record the backward computation itself, so that gradients can be differentiated again. */
  createGraph?: boolean;
}

/** Checks the seed gradient of `backward`, defaulting to 1 for a one-element result. */
export function seedGradient(op: string, root: Tensor, gradient: Tensor | undefined): Tensor {
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new GradError(
        op,
        `the result has shape ${fmtShape(root.shape)}; backward() without a gradient needs a one-element result. ` +
          `Pass a gradient of shape ${fmtShape(root.shape)}, or reduce first (e.g. loss.sum()).`,
      );
    }
    return ones(root.shape, { dtype: root.dtype });
  }
  if (!shapesEqual(gradient.shape, root.shape)) {
    throw new ValueError(op, `gradient has shape ${fmtShape(gradient.shape)} but the result has shape ${fmtShape(root.shape)}`);
  }
  return gradient.dtype === root.dtype ? gradient : engineOps().cast(gradient, root.dtype);
}

/** Tensors with a graph node reachable from `root`, consumers before their inputs. */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if (next.node && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      stack.pop();
      if (t.node) order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Runs reverse mode from `root` seeded with `seed`. Returns the cotangent reached for every
 * tensor (leaves included). Frees the graph unless `retainGraph`.
 */
export function reversePass(root: Tensor, seed: Tensor, opts: BackwardOptions = {}): Map<Tensor, Tensor> {
  const ops = engineOps();
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const order = reverseTopologicalOrder(root);
  const retain = opts.retainGraph ?? !!opts.createGraph;
  withGradMode(opts.createGraph ? 'reverse' : 'none', () => {
    for (const t of order) {
      const g = grads.get(t);
      const node = t.node!;
      if (!g) continue;
      if (!node.vjp) {
        throw new GradError(
          'backward',
          `the graph through '${node.op}' was already freed by an earlier backward(); pass { retainGraph: true } to that call to run backward twice`,
        );
      }
      node.inputs.forEach((inp, i) => {
        if (inp.version !== node.versions[i]) {
          throw new GradError(
            'backward',
            `an input of '${node.op}' (shape ${fmtShape(inp.shape)}) was modified in place after it was used (version ${inp.version}, expected ${node.versions[i]}); its gradient would be wrong`,
          );
        }
      });
      const needs = node.inputs.map((inp) => inp.requiresGrad);
      const cts = node.vjp(g, needs);
      node.inputs.forEach((inp, i) => {
        const raw = cts[i];
        if (!needs[i] || !raw) return;
        let ct = shapesEqual(raw.shape, inp.shape) ? raw : ops.sumToShape(raw, inp.shape);
        if (ct.dtype !== inp.dtype) ct = ops.cast(ct, inp.dtype);
        const prev = grads.get(inp);
        grads.set(inp, prev ? ops.add(prev, ct) : ct);
      });
      if (t.retainsGrad) t.grad = g;
      if (!retain) {
        node.vjp = null;
        node.inputs = [];
      }
    }
  });
  return grads;
}

/** Adds `g` into `leaf.grad` (PyTorch accumulates, so does tensorgrad). */
function accumulate(leaf: Tensor, g: Tensor, keepGraph: boolean): void {
  const value = keepGraph ? g : g.detach();
  leaf.grad = leaf.grad ? withGradMode(keepGraph ? 'reverse' : 'none', () => engineOps().add(leaf.grad!, value)) : value;
}

/**
 * `y.backward(gradient?)`: accumulates d(gradient · y)/dw into `w.grad` for every
 * `requiresGrad` leaf w that y depends on. In reverse mode it walks the recorded graph;
 * in forward mode it contracts the Jacobians y already carries.
 */
export function backward(root: Tensor, gradient?: Tensor, opts: BackwardOptions = {}): void {
  if (root.tangents) {
    const seed = seedGradient('backward', root, gradient);
    const ops = engineOps();
    withGradMode('none', () => {
      for (const [leaf, tangent] of root.tangents!) {
        // tangent [P, ...y.shape] contracted with the seed over y's axes
        const g = ops.reshape(contractWithSeed(asTangent(tangent), seed), leaf.shape);
        // a gradient has its leaf's dtype, as in reverse mode (the tangent has the result's)
        accumulate(leaf, g.dtype === leaf.dtype ? g : ops.cast(g, leaf.dtype), false);
      }
    });
    return;
  }
  if (!root.node) {
    if (root.isLeaf && root.requiresGrad) {
      accumulate(root, seedGradient('backward', root, gradient), !!opts.createGraph);
      return;
    }
    throw new GradError(
      'backward',
      `this tensor (shape ${fmtShape(root.shape)}) does not require grad: it was computed with tracking off or from tensors that do not require grad`,
    );
  }
  if (opts.createGraph) {
    // the gradients are graphs that reach every cotangent: nothing is temporary
    const seed = seedGradient('backward', root, gradient);
    for (const [t, g] of reversePass(root, seed, opts)) if (t.isLeaf && t.requiresGrad) accumulate(t, g, true);
    return;
  }
  // Every tensor made during the pass is a temporary except the gradients that end up on
  // leaves (and on results that retain theirs): the backend may free the others now.
  const backend = currentBackend();
  backend.beginTemporaries?.();
  const keep: Tensor[] = [];
  try {
    const seed = seedGradient('backward', root, gradient);
    for (const [t, g] of reversePass(root, seed, opts)) {
      if (t.isLeaf && t.requiresGrad) {
        accumulate(t, g, false);
        keep.push(t.grad!);
      } else if (t.retainsGrad && t.grad) {
        keep.push(t.grad);
      }
    }
  } finally {
    backend.endTemporaries?.(keep.map((t) => t.storage));
  }
}
