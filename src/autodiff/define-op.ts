import { shapesEqual } from '../core/shape.js';
import { currentBackend } from '../backend/index.js';
import { eye } from '../tensor/create.js';
import type { Tensor } from '../tensor/tensor.js';
import { engineOps } from './engine-ops.js';
import { checkForwardSize, getGradMode, withGradMode } from './grad-mode.js';
import { ElementwiseFactors, structuredStep } from './kronecker-rules.js';
import { KroneckerTangent, asTangent, denseTangent, isKronecker, structuredTangentsEnabled, tangentDirections, type Tangent } from './kronecker.js';

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
 *
 * Forward mode may carry a tangent factored (autodiff/kronecker.ts) instead of dense. The
 * three optional entries below let an op keep it factored; without them the engine
 * expands it and calls `jvp` as usual, so they only ever make an op faster.
 */
export interface OpSpec<A> {
  readonly name: string;
  readonly broadcasts?: boolean;
  /**
   * Each output element depends only on the inputs' elements at the same position (after
   * broadcasting). The engine then reads each input's local derivative off `jvp` itself.
   */
  readonly elementwise?: boolean;
  /**
   * Each output element is a copy of one input element or zero, wherever the values
   * (slices, concatenation, casts): `jvp` may move each factor of a tangent separately.
   */
  readonly layout?: boolean;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  jvp?(ctx: OpContext<A>, tangents: readonly (Tensor | null)[]): Tensor;
  /**
   * The jvp on tangents some of which are factored (padded like `jvp`'s). Returns null to
   * let the engine expand them and call `jvp`.
   */
  structuredJvp?(ctx: OpContext<A>, tangents: readonly (Tangent | null)[]): Tangent | null;
  vjp?(ctx: OpContext<A>, g: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[];
}

export type OpApply<A> = ((inputs: readonly Tensor[], attrs: A) => Tensor) & { readonly spec: OpSpec<A> };

const registry = new Map<string, OpSpec<unknown>>();

/**
 * Every registered primitive (the test suite checks each has a test entry), and how its
 * forward mode treats factored tangents: 'elementwise' / 'layout' (generic rules), 'rule'
 * (its own `structuredJvp`), or null (expanded first).
 */
export function registeredOps(): { name: string; differentiable: boolean; structured: 'elementwise' | 'layout' | 'rule' | null }[] {
  return [...registry.values()].map((s) => ({
    name: s.name,
    differentiable: !!(s.jvp && s.vjp),
    structured: s.structuredJvp ? 'rule' : s.elementwise ? 'elementwise' : s.layout ? 'layout' : null,
  }));
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
    // withGradMode('forward'); only 'none' stops the tracking. In reverse mode such a result
    // is also recorded on the tape: forward-over-reverse (a Hessian by jacfwd of grad)
    // differentiates a reverse pass whose values carry tangents.
    if (mode === 'forward' || inputs.some((t) => t.tangents !== null)) propagateTangents(spec, ctx);
    if (mode === 'reverse') recordNode(spec, ctx);
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

const leafKronecker = new WeakMap<Tensor, KroneckerTangent>();

/**
 * The tangent a leaf starts from: for a matrix [K, N], the factored identity (nothing of
 * size K·N x K·N is allocated); otherwise the dense identity.
 */
function leafTangent(leaf: Tensor): Tangent {
  if (leaf.ndim !== 2 || leaf.size === 0 || !structuredTangentsEnabled()) return leafIdentity(leaf);
  let t = leafKronecker.get(leaf);
  if (!t || t.dtype !== leaf.dtype) {
    t = KroneckerTangent.leafIdentity(leaf.shape[0], leaf.shape[1], leaf.dtype, () => leafIdentity(leaf));
    leafKronecker.set(leaf, t);
  }
  return t;
}

/** The tangent of `t` with respect to `leaf` (dense or factored), or null when `t` does not depend on it. */
export function tangentOf(t: Tensor, leaf: Tensor): Tangent | null {
  if (t.tangents) {
    const d = t.tangents.get(leaf);
    return d ? asTangent(d) : null;
  }
  return t === leaf && t.requiresGrad ? leafTangent(leaf) : null;
}

/** The leaves whose Jacobians `t` carries (itself, for a requiresGrad leaf). */
export function leavesOf(t: Tensor): Iterable<Tensor> {
  if (t.tangents) return t.tangents.keys();
  return t.isLeaf && t.requiresGrad ? [t] : [];
}

function propagateTangents<A>(spec: OpSpec<A>, ctx: OpContext<A>): void {
  const { inputs, out } = ctx;
  const ops = engineOps();
  const leaves = new Set<Tensor>();
  for (const t of inputs) for (const leaf of leavesOf(t)) leaves.add(leaf);
  const tangents = new Map<Tensor, Tangent>();
  // an elementwise op's local derivatives, found once for all the leaves
  const factors = new ElementwiseFactors(spec, ctx);
  withGradMode('none', () => {
    for (const leaf of leaves) {
      let any = false;
      const ts = inputs.map((t): Tangent | null => {
        const d = tangentOf(t, leaf);
        if (d === null) return null;
        any = true;
        if (!spec.broadcasts || t.ndim >= out.ndim) return d;
        if (isKronecker(d)) return d.padRank(out.ndim);
        // a direction count taken from the tangent itself: jvp() seeds P = 1 directions
        return ops.reshape(d, [d.shape[0], ...new Array<number>(out.ndim - t.ndim).fill(1), ...t.shape]);
      });
      if (!any) continue;
      const structured = ts.some(isKronecker) ? structuredStep(spec, ctx, ts, factors) : null;
      if (isKronecker(structured)) {
        tangents.set(leaf, structured.cast(out.dtype));
        continue;
      }
      const dirs = tangentDirections(ts.find((d) => d !== null)!);
      let d: Tensor;
      if (structured) d = structured;
      else {
        checkForwardSize(spec.name, out.shape, leaf.shape, dirs, out.dtype);
        d = spec.jvp!(ctx, ts.map((t) => t && denseTangent(t, spec.name)));
      }
      const want = [dirs, ...out.shape];
      if (!shapesEqual(d.shape, want)) d = ops.broadcastTo(d, want);
      if (d.dtype !== out.dtype) d = ops.cast(d, out.dtype);
      tangents.set(leaf, d);
    }
  });
  out.markResult(spec.name);
  out.tangents = tangents;
}
