/**
 * The op table: one entry per registered primitive and per public composite, each with
 * the cases (input shapes, input domains) on which the table-driven tests run it.
 *
 * A case's function takes only the tensors to differentiate; constants (axes, masks,
 * exponents given as numbers) are closed over. Inputs are drawn by `makeInputs` from a
 * generator seeded by the case, so every run sees the same values.
 */
import * as tg from '../src/index.js';
import { sliceOp } from '../src/ops/slice.js';
import { scatterSliceOp } from '../src/ops/scatter-slice.js';
import { linearOp, type LinearActivation } from '../src/ops/linear.js';

/** The fused linear primitive itself (tg.linear takes the separate ops in forward mode). */
const linearPrimitive = (activation: LinearActivation | null) => (...xs: Tensor[]) => linearOp(xs, { activation });

type Tensor = tg.Tensor;

/**
 * Where an input's values are drawn from:
 * - `any`: uniform in [-2, 2];
 * - `positive`: uniform in [0.5, 2] (log, sqrt, a pow base);
 * - `awayFromZero`: |x| uniform in [0.5, 2] with a random sign (divisors, abs);
 * - `awayFromKinks`: |x| in [0.2, 2], all values of the input at least 0.02 apart (relu,
 *   max/min reductions and clamp, whose derivative jumps at 0 or at ties);
 * - `probability`: uniform in [0.05, 0.95] (probabilities, targets of a cross-entropy).
 */
export type Domain = 'any' | 'positive' | 'awayFromZero' | 'awayFromKinks' | 'probability';

export interface OpCase {
  /** What the case exercises, shown in the test name. */
  readonly label: string;
  /** Shapes of the inputs, one per argument of `fn`. */
  readonly shapes: readonly (readonly number[])[];
  /** Domain of every input (one for all, or one per input). */
  readonly domain?: Domain | readonly Domain[];
  readonly fn: (...xs: Tensor[]) => Tensor;
  /** Finite-difference step (default 1e-5) and tolerances against finite differences. */
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
  /** Relative tolerance between two analytic derivatives (default 1e-12; looser when fn rounds to float32). */
  readonly exact?: number;
  /** Run in float32, the result stays float32 (false when fn mixes in float64 constants or casts). */
  readonly keepsFloat32?: boolean;
  /** `fn` applies the entry's op to its inputs and nothing else (its values can be checked elementwise). */
  readonly plain?: boolean;
}

export interface OpEntry {
  /** The registry name of a primitive, or the exported name of a composite. */
  readonly name: string;
  readonly kind: 'primitive' | 'composite';
  /** Has derivative rules (primitives) or is built only from differentiable pieces (composites). */
  readonly differentiable: boolean;
  /** Scalar reference of an elementwise op, to check forward values (with broadcasting). */
  readonly elementwise?: (...v: number[]) => number;
  readonly cases: readonly OpCase[];
}

const c = (label: string, shapes: number[][], fn: (...xs: Tensor[]) => Tensor, extra: Partial<OpCase> = {}): OpCase => ({
  label,
  shapes,
  fn,
  ...extra,
});

/** Shapes every binary elementwise op runs on: equal shapes, scalars, broadcast pairs. */
const binaryShapes: [string, number[][]][] = [
  ['scalar', [[], []]],
  ['vector', [[4], [4]]],
  ['matrix', [[2, 3], [2, 3]]],
  ['[3,1] x [4]', [[3, 1], [4]]],
  ['scalar x matrix', [[], [2, 3]]],
  ['[2,1,3] x [4,1]', [[2, 1, 3], [4, 1]]],
];

function binaryCases(f: (a: Tensor, b: Tensor) => Tensor, domain: Domain | Domain[] = 'any'): OpCase[] {
  return binaryShapes.map(([label, shapes]) => c(label, shapes, f, { domain, plain: true }));
}

/** Shapes every unary elementwise op runs on. */
function unaryCases(f: (x: Tensor) => Tensor, domain: Domain = 'any'): OpCase[] {
  return [
    c('scalar', [[]], f, { domain, plain: true }),
    c('vector', [[5]], f, { domain, plain: true }),
    c('matrix', [[2, 3]], f, { domain, plain: true }),
    c('3-d', [[2, 1, 3]], f, { domain, plain: true }),
  ];
}

const sigmoidRef = (v: number) => 1 / (1 + Math.exp(-v));
const mask23 = tg.tensor([
  [1, 0, 1],
  [0, 0, 1],
]);

export const opTable: readonly OpEntry[] = [
  // ---- elementwise binary primitives
  {
    name: 'add',
    kind: 'primitive',
    differentiable: true,
    elementwise: (a, b) => a + b,
    cases: [...binaryCases(tg.add), c('number + tensor', [[3]], (x) => tg.add(2.5, x)), c('method', [[2, 2]], (x) => x.add(x))],
  },
  {
    name: 'sub',
    kind: 'primitive',
    differentiable: true,
    elementwise: (a, b) => a - b,
    cases: [...binaryCases(tg.sub), c('1 - p (number first)', [[3]], (p) => tg.sub(1, p)), c('x - x', [[3]], (x) => x.sub(x))],
  },
  {
    name: 'mul',
    kind: 'primitive',
    differentiable: true,
    elementwise: (a, b) => a * b,
    cases: [...binaryCases(tg.mul), c('x * x', [[2, 2]], (x) => tg.mul(x, x)), c('tensor * number', [[3]], (x) => x.mul(-3))],
  },
  {
    name: 'div',
    kind: 'primitive',
    differentiable: true,
    elementwise: (a, b) => a / b,
    cases: [...binaryCases(tg.div, ['any', 'awayFromZero']), c('number / tensor', [[4]], (x) => tg.div(2, x), { domain: 'awayFromZero' })],
  },
  {
    name: 'pow',
    kind: 'primitive',
    differentiable: true,
    elementwise: Math.pow,
    cases: [
      ...binaryCases(tg.pow, ['positive', 'any']),
      c('x ** 3 (any base)', [[5]], (x) => tg.pow(x, 3)),
      c('x ** 0.5', [[2, 2]], (x) => x.pow(0.5), { domain: 'positive' }),
      c('x ** -2', [[3]], (x) => tg.pow(x, -2), { domain: 'awayFromZero' }),
      c('2 ** x (number base)', [[3]], (x) => tg.pow(2, x)),
    ],
  },
  {
    name: 'maximum',
    kind: 'primitive',
    differentiable: true,
    elementwise: Math.max,
    cases: [...binaryCases(tg.maximum), c('with a number', [[5]], (x) => tg.maximum(x, 0.1), { domain: 'awayFromKinks' })],
  },
  {
    name: 'minimum',
    kind: 'primitive',
    differentiable: true,
    elementwise: Math.min,
    cases: [...binaryCases(tg.minimum), c('with a number', [[5]], (x) => x.minimum(0.1), { domain: 'awayFromKinks' })],
  },

  {
    name: 'binaryCrossEntropy',
    kind: 'primitive',
    differentiable: true,
    elementwise: (p, y) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p)),
    cases: [
      ...binaryCases(tg.binaryCrossEntropy, 'probability'),
      c('clamped predictions', [[4]], (y) => tg.binaryCrossEntropy(tg.tensor([0, 1e-14, 0.3, 1]), y), { domain: 'probability', keepsFloat32: false }),
      c('a wide eps', [[5], [5]], (p, y) => tg.binaryCrossEntropy(p, y, 0.1), { domain: 'probability' }),
    ],
  },

  {
    name: 'linear',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('no activation', [[4, 3], [3, 2], [2]], linearPrimitive(null)),
      c('relu, bias [1, N]', [[5, 3], [3, 4], [1, 4]], linearPrimitive('relu'), { domain: 'awayFromKinks' }),
      c('sigmoid', [[3, 2], [2, 1], [1]], linearPrimitive('sigmoid')),
      c('tanh, no bias', [[2, 3], [3, 3]], linearPrimitive('tanh')),
      c('through tg.linear, relu', [[4, 3], [3, 2], [1, 2]], (x, w, b) => tg.linear(x, w, b, 'relu'), { domain: 'awayFromKinks' }),
      c('through tg.linear, a vector x', [[3], [3, 2], [1, 2]], (x, w, b) => tg.linear(x, w, b, 'sigmoid')),
    ],
  },

  // ---- elementwise unary primitives
  { name: 'neg', kind: 'primitive', differentiable: true, elementwise: (v) => -v, cases: unaryCases(tg.neg) },
  { name: 'exp', kind: 'primitive', differentiable: true, elementwise: Math.exp, cases: unaryCases(tg.exp) },
  { name: 'log', kind: 'primitive', differentiable: true, elementwise: Math.log, cases: unaryCases(tg.log, 'positive') },
  { name: 'log1p', kind: 'primitive', differentiable: true, elementwise: Math.log1p, cases: unaryCases(tg.log1p, 'positive') },
  { name: 'sqrt', kind: 'primitive', differentiable: true, elementwise: Math.sqrt, cases: unaryCases(tg.sqrt, 'positive') },
  { name: 'abs', kind: 'primitive', differentiable: true, elementwise: Math.abs, cases: unaryCases(tg.abs, 'awayFromZero') },
  { name: 'tanh', kind: 'primitive', differentiable: true, elementwise: Math.tanh, cases: unaryCases(tg.tanh) },
  { name: 'sigmoid', kind: 'primitive', differentiable: true, elementwise: sigmoidRef, cases: unaryCases(tg.sigmoid) },
  { name: 'relu', kind: 'primitive', differentiable: true, elementwise: (v) => Math.max(v, 0), cases: unaryCases(tg.relu, 'awayFromKinks') },
  { name: 'sin', kind: 'primitive', differentiable: true, elementwise: Math.sin, cases: unaryCases(tg.sin) },
  { name: 'cos', kind: 'primitive', differentiable: true, elementwise: Math.cos, cases: unaryCases(tg.cos) },

  // ---- reductions
  {
    name: 'sum',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('all axes', [[2, 3]], (x) => tg.sum(x)),
      c('scalar', [[]], (x) => tg.sum(x)),
      c('axis 0', [[2, 3]], (x) => tg.sum(x, 0)),
      c('axis -1 keepdims', [[2, 3]], (x) => tg.sum(x, -1, true)),
      c('axes [0, 2] of 3-d', [[2, 3, 2]], (x) => x.sum([0, 2])),
      c('axes [0, 2] keepdims', [[2, 3, 2]], (x) => x.sum([0, 2], true)),
    ],
  },
  {
    name: 'max',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('all axes', [[2, 3]], (x) => tg.max(x), { domain: 'awayFromKinks' }),
      c('axis 1', [[3, 4]], (x) => tg.max(x, 1), { domain: 'awayFromKinks' }),
      c('axis 0 keepdims', [[3, 4]], (x) => x.max(0, true), { domain: 'awayFromKinks' }),
      c('axes [0, 2]', [[2, 2, 3]], (x) => tg.max(x, [0, 2]), { domain: 'awayFromKinks' }),
    ],
  },
  {
    name: 'min',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('all axes', [[2, 3]], (x) => tg.min(x), { domain: 'awayFromKinks' }),
      c('axis -1', [[3, 4]], (x) => tg.min(x, -1), { domain: 'awayFromKinks' }),
      c('axis 0 keepdims', [[3, 4]], (x) => x.min(0, true), { domain: 'awayFromKinks' }),
    ],
  },

  // ---- linear algebra and layout primitives
  {
    name: 'matmul',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('[2,3] @ [3,4]', [[2, 3], [3, 4]], tg.matmul),
      c('vector @ matrix', [[3], [3, 2]], tg.matmul),
      c('matrix @ vector', [[2, 3], [3]], tg.matmul),
      c('vector @ vector', [[4], [4]], tg.matmul),
      c('batched [2,2,3] @ [3,4]', [[2, 2, 3], [3, 4]], tg.matmul),
      c('broadcast batch [2,1,2,3] @ [3,3,2]', [[2, 1, 2, 3], [3, 3, 2]], tg.matmul),
      c('x @ x.T', [[2, 3]], (x) => x.matmul(x.T)),
    ],
  },
  {
    name: 'transpose',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('matrix (default perm)', [[2, 3]], (x) => tg.transpose(x)),
      c('.T of 3-d', [[2, 3, 4]], (x) => x.T),
      c('perm [1, 2, 0]', [[2, 3, 4]], (x) => tg.transpose(x, [1, 2, 0])),
      c('negative perm [-1, 0, 1]', [[2, 3, 2]], (x) => x.transpose([-1, 0, 1])),
    ],
  },
  {
    name: 'reshape',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('[2,3] -> [3,2]', [[2, 3]], (x) => tg.reshape(x, [3, 2])),
      c('[6] -> [2,-1]', [[6]], (x) => x.reshape([2, -1])),
      c('scalar -> [1,1]', [[]], (x) => tg.reshape(x, [1, 1])),
      c('then elementwise', [[2, 3]], (x) => tg.mul(x.reshape([6]), x.reshape([6]).exp())),
    ],
  },
  {
    name: 'broadcastTo',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('[3,1] -> [2,3,4]', [[3, 1]], (x) => tg.broadcastTo(x, [2, 3, 4])),
      c('scalar -> [2,2]', [[]], (x) => x.broadcastTo([2, 2])),
      c('[1,3] -> [2,3]', [[1, 3]], (x) => tg.broadcastTo(x, [2, 3])),
    ],
  },
  {
    name: 'concat',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('[2,3] ++ [2,1] on axis 1', [[2, 3], [2, 1]], (a, b) => tg.concat([a, b], 1)),
      c('three on axis 0', [[1, 2], [2, 2], [1, 2]], (a, b, d) => tg.concat([a, b, d], 0)),
      c('with a float64 constant, axis -1', [[2, 2]], (a) => tg.concat([a, tg.ones([2, 1])], -1), { keepsFloat32: false }),
      c('x with itself', [[3]], (a) => tg.concat([a, a.mul(2)])),
    ],
  },
  {
    name: 'slice',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('strided window', [[4, 5]], (x) => sliceOp([x], { begin: [1, 0], step: [2, 2], shape: [2, 3] })),
      c('negative step', [[5]], (x) => sliceOp([x], { begin: [4], step: [-2], shape: [3] })),
    ],
  },
  {
    name: 'scatterSlice',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('into [4,5]', [[2, 3]], (x) => scatterSliceOp([x], { begin: [1, 0], step: [2, 2], shape: [4, 5] })),
      c('negative step', [[3]], (x) => scatterSliceOp([x], { begin: [4], step: [-2], shape: [5] })),
    ],
  },
  {
    name: 'where',
    kind: 'primitive',
    differentiable: true,
    cases: [
      c('mask [2,3]', [[2, 3], [2, 3]], (a, b) => tg.where(mask23, a, b)),
      c('broadcast [3] and [2,1]', [[3], [2, 1]], (a, b) => tg.where(mask23, a, b)),
      c('number branch', [[2, 3]], (a) => tg.where(mask23, a, 0)),
      c('condition from the input', [[5]], (a) => tg.where(tg.greater(a, 0), a, a.mul(0.1)), { domain: 'awayFromKinks' }),
    ],
  },
  {
    name: 'cast',
    kind: 'primitive',
    differentiable: true,
    cases: [
      // float32 rounding (~6e-8 relative) needs a larger finite-difference step
      c('float64 -> float32 -> float64', [[4]], (x) => tg.cast(tg.cast(x, 'float32').mul(x.cast('float32')), 'float64'), { eps: 1e-2, atol: 1e-5, rtol: 1e-5, exact: 1e-6, keepsFloat32: false }),
      c('to float64', [[3]], (x) => tg.cast(x, 'float64').exp(), { keepsFloat32: false }),
      c('to float32 and back, linear', [[3]], (x) => tg.cast(x, 'float32').mul(3).cast('float64'), { keepsFloat32: false, eps: 1e-2, atol: 1e-4, rtol: 1e-4, exact: 1e-6 }),
    ],
  },

  // ---- non-differentiable primitives
  { name: 'sign', kind: 'primitive', differentiable: false, elementwise: Math.sign, cases: unaryCases(tg.sign) },
  { name: 'equal', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a === b), cases: [...binaryCases(tg.equal), c('x == x', [[3]], (x) => x.eq(x))] },
  { name: 'notEqual', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a !== b), cases: [...binaryCases(tg.notEqual), c('x != x', [[3]], (x) => x.ne(x))] },
  { name: 'less', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a < b), cases: [...binaryCases(tg.less), c('method', [[3]], (x) => x.lt(0))] },
  { name: 'lessEqual', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a <= b), cases: [...binaryCases(tg.lessEqual), c('method', [[3]], (x) => x.le(x))] },
  { name: 'greater', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a > b), cases: [...binaryCases(tg.greater), c('method', [[3]], (x) => x.gt(0))] },
  { name: 'greaterEqual', kind: 'primitive', differentiable: false, elementwise: (a, b) => +(a >= b), cases: [...binaryCases(tg.greaterEqual), c('method', [[3]], (x) => x.ge(x))] },
  {
    name: 'argmax',
    kind: 'primitive',
    differentiable: false,
    cases: [c('flattened', [[3, 4]], (x) => tg.argmax(x)), c('axis 1', [[3, 4]], (x) => x.argmax(1)), c('axis 0 keepdims', [[3, 4]], (x) => tg.argmax(x, 0, true))],
  },
  {
    name: 'argmin',
    kind: 'primitive',
    differentiable: false,
    cases: [c('flattened', [[3, 4]], (x) => tg.argmin(x)), c('axis -1', [[3, 4]], (x) => x.argmin(-1))],
  },

  // ---- public composites
  {
    name: 'mean',
    kind: 'composite',
    differentiable: true,
    cases: [c('all axes', [[2, 3]], (x) => tg.mean(x)), c('axis 1', [[2, 3]], (x) => tg.mean(x, 1)), c('axes [0, 1] keepdims', [[2, 3, 2]], (x) => x.mean([0, 1], true))],
  },
  {
    name: 'softmax',
    kind: 'composite',
    differentiable: true,
    cases: [
      c('vector', [[4]], (x) => tg.softmax(x)),
      c('last axis', [[2, 3]], (x) => tg.softmax(x)),
      c('axis 0', [[3, 2]], (x) => x.softmax(0)),
      c('middle axis of 3-d', [[2, 3, 2]], (x) => tg.softmax(x, 1)),
    ],
  },
  {
    name: 'logSoftmax',
    kind: 'composite',
    differentiable: true,
    cases: [c('vector', [[4]], (x) => tg.logSoftmax(x)), c('last axis', [[2, 3]], (x) => x.logSoftmax()), c('axis 0', [[3, 2]], (x) => tg.logSoftmax(x, 0))],
  },
  {
    name: 'logsumexp',
    kind: 'composite',
    differentiable: true,
    cases: [
      c('all axes', [[2, 3]], (x) => tg.logsumexp(x)),
      c('axis 1', [[2, 3]], (x) => tg.logsumexp(x, 1)),
      c('axis 0 keepdims', [[3, 2]], (x) => x.logsumexp(0, true)),
      c('axes [0, 2]', [[2, 2, 3]], (x) => tg.logsumexp(x, [0, 2])),
    ],
  },
  {
    name: 'clamp',
    kind: 'composite',
    differentiable: true,
    cases: [
      c('both bounds', [[6]], (x) => tg.clamp(x, -0.5, 0.5), { domain: 'awayFromKinks' }),
      c('lower bound only', [[2, 3]], (x) => x.clamp(0.1), { domain: 'awayFromKinks' }),
      c('upper bound only', [[5]], (x) => tg.clamp(x, null, -0.1), { domain: 'awayFromKinks' }),
    ],
  },
  {
    name: 'tensordot',
    kind: 'composite',
    differentiable: true,
    cases: [
      c('axes 1 (the brief\'s product)', [[2, 3], [3, 2]], (a, b) => tg.tensordot(a, b, 1)),
      c('axes 2 (default)', [[2, 3, 2], [3, 2, 2]], (a, b) => tg.tensordot(a, b)),
      c('axes 0 (outer product)', [[2], [3]], (a, b) => tg.tensordot(a, b, 0)),
      c('axis pairs [[0], [1]]', [[3, 2], [2, 3]], (a, b) => a.tensordot(b, [[0], [1]])),
      c('axis pairs [[1, 0], [0, 1]]', [[2, 3], [3, 2]], (a, b) => tg.tensordot(a, b, [[1, 0], [0, 1]])),
    ],
  },
  {
    name: 'index',
    kind: 'composite',
    differentiable: true,
    cases: [
      c('integer', [[3, 4]], (x) => tg.index(x, 1)),
      c('negative integer, range', [[3, 4]], (x) => tg.index(x, -1, '1:3')),
      c('range with step', [[5, 3]], (x) => x.index('::2')),
      c('negative step', [[5]], (x) => tg.index(x, '::-1')),
      c('ellipsis and new axis', [[2, 3, 4]], (x) => tg.index(x, '..., 1:', null)),
      c('range objects', [[6]], (x) => tg.index(x, { start: -5, stop: -1, step: 2 })),
      c('whole', [[2, 2]], (x) => tg.index(x, ':')),
    ],
  },
  {
    name: 'squeeze',
    kind: 'composite',
    differentiable: true,
    cases: [c('all unit axes', [[1, 3, 1]], (x) => tg.squeeze(x)), c('one axis', [[1, 3, 1]], (x) => x.squeeze(-1))],
  },
  {
    name: 'unsqueeze',
    kind: 'composite',
    differentiable: true,
    cases: [c('axis 0', [[3]], (x) => tg.unsqueeze(x, 0)), c('axis -1', [[2, 3]], (x) => x.unsqueeze(-1))],
  },
  {
    name: 'flatten',
    kind: 'composite',
    differentiable: true,
    cases: [c('whole', [[2, 3]], (x) => tg.flatten(x)), c('axes 1..2', [[2, 2, 3]], (x) => x.flatten(1, 2)), c('scalar', [[]], (x) => tg.flatten(x))],
  },
  {
    name: 'stack',
    kind: 'composite',
    differentiable: true,
    cases: [c('axis 0', [[3], [3]], (a, b) => tg.stack([a, b])), c('axis -1', [[2, 2], [2, 2], [2, 2]], (a, b, d) => tg.stack([a, b, d], -1))],
  },
  {
    name: 'sumToShape',
    kind: 'composite',
    differentiable: true,
    cases: [c('[2,3,4] -> [3,1]', [[2, 3, 4]], (x) => tg.sumToShape(x, [3, 1])), c('[2,3] -> []', [[2, 3]], (x) => tg.sumToShape(x, []))],
  },
];

/** Flat list of [entry, case] pairs, for `it.each`-style loops. */
export function allCases(filter: (e: OpEntry) => boolean = () => true): [OpEntry, OpCase][] {
  return opTable.filter(filter).flatMap((e) => e.cases.map((k): [OpEntry, OpCase] => [e, k]));
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}

function draw(g: tg.Generator, domain: Domain, n: number): Float64Array {
  const out = new Float64Array(n);
  const magnitude = (lo: number) => lo + (2 - lo) * g.uniform();
  const signed = (lo: number) => (g.uniform() < 0.5 ? -1 : 1) * magnitude(lo);
  for (let i = 0; i < n; i++) {
    if (domain === 'any') out[i] = -2 + 4 * g.uniform();
    else if (domain === 'positive') out[i] = magnitude(0.5);
    else if (domain === 'awayFromZero') out[i] = signed(0.5);
    else if (domain === 'probability') out[i] = 0.05 + 0.9 * g.uniform();
    else {
      // redraw until the value keeps its distance from 0 and from every earlier value
      let v: number;
      do v = signed(0.2);
      while (out.subarray(0, i).some((u) => Math.abs(u - v) < 0.02));
      out[i] = v;
    }
  }
  return out;
}

/** The case's inputs, drawn reproducibly (the seed mixes entry name, case label and `salt`). */
export function makeInputs(entry: OpEntry, k: OpCase, dtype: tg.DType = 'float64', salt = 0): Tensor[] {
  const g = new tg.Generator(hashString(`${entry.name}/${k.label}`) + salt);
  return k.shapes.map((shape, i) => {
    const domain = typeof k.domain === 'string' || k.domain === undefined ? (k.domain ?? 'any') : k.domain[i];
    const n = shape.reduce((a, b) => a * b, 1);
    return tg.tensor(draw(g, domain, n), { shape, dtype });
  });
}

/** Random tensors of the given shapes (directions and cotangents for the tests). */
export function randomLike(shapes: readonly (readonly number[])[], seed: number): Tensor[] {
  const g = new tg.Generator(seed);
  return shapes.map((shape) => tg.tensor(draw(g, 'any', shape.reduce((a, b) => a * b, 1)), { shape }));
}
