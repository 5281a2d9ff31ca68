import { itemSize, type DType } from '../core/dtype.js';
import { GradError, fmtShape } from '../core/errors.js';
import { shapesEqual, sizeOf } from '../core/shape.js';
import { currentBackend } from '../backend/index.js';
import { eye } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { engineOps } from './engine-ops.js';
import { getForwardModeLimit, getGradMode, withGradMode } from './grad-mode.js';

/** What a derivative rule sees of the op application it differentiates. */
export interface OpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly out: Tensor;
  readonly attrs: A;
}

/**
 * One primitive: its forward computation and its two derivative rules, side by side.
 *
 * - `jvp` (forward mode) gets one tangent per input, each of shape `[P, ...input.shape]`
 *   (P directions stacked on a leading axis; `null` for an input that does not depend on
 *   the leaf) and returns the output's tangent `[P, ...out.shape]`. At least one tangent
 *   is non-null. Rules that name axes use negative axes or shift by one for the leading P.
 * - `vjp` (reverse mode) gets the cotangent `g` of the output's shape and returns one
 *   cotangent per input (`null` where `needs[i]` is false).
 *
 * Rules are written with differentiable ops. The engine does the broadcasting: with
 * `broadcasts: true` it pads lower-rank input tangents to the output's rank before `jvp`,
 * and it sums every cotangent back to its input's shape after `vjp`.
 * An op without rules is not differentiable: its results are never tracked.
 */
export interface OpSpec<A> {
  readonly name: string;
  readonly broadcasts?: boolean;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  jvp?(ctx: OpContext<A>, tangents: readonly (Tensor | null)[]): Tensor;
  vjp?(ctx: OpContext<A>, g: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[];
}

export type OpApply<A> = ((inputs: readonly Tensor[], attrs: A) => Tensor) & { readonly spec: OpSpec<A> };

const registry = new Map<string, OpSpec<unknown>>();

/** Names of every registered primitive (the test suite checks each has a test entry). */
export function registeredOps(): { name: string; differentiable: boolean }[] {
  return [...registry.values()].map((s) => ({ name: s.name, differentiable: !!(s.jvp && s.vjp) }));
}

/** Defines a primitive op from its spec; returns the function that applies it. */
export function defineOp<A>(spec: OpSpec<A>): OpApply<A> {
  if (registry.has(spec.name)) throw new Error(`defineOp: '${spec.name}' is defined twice`);
  if (!!spec.jvp !== !!spec.vjp) throw new Error(`defineOp: '${spec.name}' must define both jvp and vjp, or neither`);
  registry.set(spec.name, spec as OpSpec<unknown>);
  const apply = (inputs: readonly Tensor[], attrs: A): Tensor => {
    // kernels run on the current backend: inputs made on another one move there first
    const backend = currentBackend();
    for (const t of inputs) if (t.backend !== backend) t.moveTo(backend);
    const out = spec.forward(inputs, attrs);
    if (!spec.vjp) return out;
    const mode = getGradMode();
    if (mode === 'none' || !inputs.some((t) => t.requiresGrad)) return out;
    const ctx: OpContext<A> = { inputs, out, attrs };
    // A result of forward mode keeps carrying its Jacobians through later ops, whatever the
    // mode then, so that e.g. `mean(perExampleLosses).jacobian(w)` works after leaving
    // withGradMode('forward'); only 'none' stops the tracking.
    if (mode === 'forward' || inputs.some((t) => t.tangents !== null)) propagateTangents(spec, ctx);
    else recordNode(spec, ctx);
    return out;
  };
  return Object.assign(apply, { spec });
}

function recordNode<A>(spec: OpSpec<A>, ctx: OpContext<A>): void {
  const { out } = ctx;
  out.markResult(spec.name);
  const vjp = spec.vjp!;
  out.node = {
    op: spec.name,
    inputs: [...ctx.inputs],
    versions: ctx.inputs.map((t) => t.version),
    vjp: (g, needs) => vjp(ctx, g, needs),
  };
}

const identities = new WeakMap<Tensor, Tensor>();
const identityTangents = new WeakSet<Tensor>();

/**
 * True for the tangent a leaf has with respect to itself (the identity, `[P, ...leaf.shape]`).
 * Rules may use it to build their result directly instead of multiplying by the identity.
 */
export function isIdentityTangent(t: Tensor | null): boolean {
  return t !== null && identityTangents.has(t);
}

/** The Jacobian of a leaf with respect to itself, `[P, ...leaf.shape]`, built once per leaf. */
export function leafIdentity(leaf: Tensor): Tensor {
  let id = identities.get(leaf);
  if (!id) {
    checkForwardSize('forward mode', leaf.shape, leaf.shape, leaf.size, leaf.dtype);
    id = engineOps().reshape(eye(leaf.size, leaf.size, { dtype: leaf.dtype }), [leaf.size, ...leaf.shape]);
    identities.set(leaf, id);
    identityTangents.add(id);
  }
  return id;
}

/** The tangent of `t` with respect to `leaf`, or null when `t` does not depend on it. */
export function tangentOf(t: Tensor, leaf: Tensor): Tensor | null {
  if (t.tangents) return t.tangents.get(leaf) ?? null;
  return t === leaf && t.requiresGrad ? leafIdentity(leaf) : null;
}

/** The leaves whose Jacobians `t` carries (itself, for a requiresGrad leaf). */
export function leavesOf(t: Tensor): Iterable<Tensor> {
  if (t.tangents) return t.tangents.keys();
  return t.isLeaf && t.requiresGrad ? [t] : [];
}

function checkForwardSize(op: string, outShape: readonly number[], leafShape: readonly number[], dirs: number, dtype: DType): void {
  const entries = sizeOf(outShape) * dirs;
  const bytes = entries * itemSize(dtype);
  if (bytes > getForwardModeLimit()) {
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    throw new GradError(
      op,
      `forward mode would allocate a Jacobian of ${fmtShape(outShape)} with respect to a leaf of ${fmtShape(leafShape)}: ` +
        `${sizeOf(outShape)} x ${dirs} = ${entries} entries (${mb(bytes)}), over the limit of ${mb(getForwardModeLimit())}. ` +
        `Use reverse mode (tg.setGradMode('reverse')) or raise the limit with tg.setForwardModeLimit(bytes).`,
    );
  }
}

function propagateTangents<A>(spec: OpSpec<A>, ctx: OpContext<A>): void {
  const { inputs, out } = ctx;
  const ops = engineOps();
  const leaves = new Set<Tensor>();
  for (const t of inputs) for (const leaf of leavesOf(t)) leaves.add(leaf);
  const tangents = new Map<Tensor, Tensor>();
  withGradMode('none', () => {
    for (const leaf of leaves) {
      let any = false;
      const ts = inputs.map((t) => {
        let d = tangentOf(t, leaf);
        if (d === null) return null;
        any = true;
        // a direction count taken from the tangent itself: jvp() seeds P = 1 directions
        if (spec.broadcasts && t.ndim < out.ndim) {
          d = ops.reshape(d, [d.shape[0], ...new Array<number>(out.ndim - t.ndim).fill(1), ...t.shape]);
        }
        return d;
      });
      if (!any) continue;
      const dirs = ts.find((d) => d !== null)!.shape[0];
      checkForwardSize(spec.name, out.shape, leaf.shape, dirs, out.dtype);
      let d = spec.jvp!(ctx, ts);
      const want = [dirs, ...out.shape];
      if (!shapesEqual(d.shape, want)) d = ops.broadcastTo(d, want);
      if (d.dtype !== out.dtype) d = ops.cast(d, out.dtype);
      tangents.set(leaf, d);
    }
  });
  out.markResult(spec.name);
  out.tangents = tangents;
}
