/**
 * Bad input gets a clear error, never a wrong answer or a crash: each case names the error
 * class, the operation (the message starts with it, and `error.op` holds it) and the text
 * that says what was wrong, with the offending shapes or values.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';

type ErrorClass = typeof tg.ShapeError | typeof tg.ValueError | typeof tg.DTypeError | typeof tg.GradError;

interface ErrorCase {
  readonly what: string;
  readonly run: () => unknown;
  readonly type: ErrorClass;
  readonly op: string;
  /** Exact text the message must contain after `op: `. */
  readonly text: string;
}

const m23 = () => tg.zeros([2, 3]);
const leaf = (shape: number[] = [3]) => tg.ones(shape, { requiresGrad: true });

const cases: ErrorCase[] = [
  // shapes
  { what: 'matmul inner dimensions', run: () => tg.matmul(tg.zeros([128, 31]), tg.zeros([30, 50])), type: tg.ShapeError, op: 'matmul', text: '[128, 31] @ [30, 50]: inner dimensions 31 != 30' },
  { what: 'matmul vector inner dimensions', run: () => tg.matmul(tg.zeros([3]), tg.zeros([4, 2])), type: tg.ShapeError, op: 'matmul', text: '[3] @ [4, 2]: inner dimensions 3 != 4' },
  { what: 'matmul batch dimensions', run: () => tg.matmul(tg.zeros([2, 2, 3]), tg.zeros([3, 3, 4])), type: tg.ShapeError, op: 'matmul', text: '[2, 2, 3] @ [3, 3, 4]: batch dimensions [2] and [3] do not broadcast' },
  { what: 'matmul of a scalar', run: () => tg.matmul(tg.tensor(2), tg.zeros([2])), type: tg.ShapeError, op: 'matmul', text: '[] @ [2]: operands must have at least one dimension' },
  { what: 'broadcasting mismatch', run: () => tg.add(m23(), tg.zeros([4])), type: tg.ShapeError, op: 'add', text: 'shapes [2, 3] and [4] cannot be broadcast together (dimension 1: 3 vs 4)' },
  { what: 'broadcasting mismatch in a method', run: () => m23().mul(tg.zeros([3, 2])), type: tg.ShapeError, op: 'mul', text: 'shapes [2, 3] and [3, 2] cannot be broadcast together' },
  { what: 'where broadcasting', run: () => tg.where(tg.ones([2]), m23(), m23()), type: tg.ShapeError, op: 'where', text: 'shapes [2] and [2, 3] cannot be broadcast together' },
  { what: 'broadcastTo a smaller shape', run: () => tg.broadcastTo(m23(), [3]), type: tg.ShapeError, op: 'broadcastTo', text: 'cannot broadcast [2, 3] to [3]' },
  { what: 'reshape size mismatch', run: () => tg.reshape(m23(), [4, 2]), type: tg.ShapeError, op: 'reshape', text: 'cannot reshape [2, 3] (6 elements) into [4, 2] (8 elements)' },
  { what: 'reshape with -1 that does not divide', run: () => m23().reshape([4, -1]), type: tg.ShapeError, op: 'reshape', text: 'cannot reshape [2, 3] (6 elements) into [4, -1]' },
  { what: 'reshape with two -1', run: () => m23().reshape([-1, -1]), type: tg.ValueError, op: 'reshape', text: 'only one dimension can be -1, got [-1, -1]' },
  { what: 'concat mismatch', run: () => tg.concat([m23(), tg.zeros([2, 2])], 0), type: tg.ShapeError, op: 'concat', text: 'tensor 1 has shape [2, 2] but tensor 0 has [2, 3]; all dimensions except axis 0 must agree' },
  { what: 'stack mismatch', run: () => tg.stack([tg.zeros([2]), tg.zeros([3])]), type: tg.ShapeError, op: 'stack', text: 'tensor 1 has shape [3] but tensor 0 has [2]' },
  { what: 'tensordot contracted sizes', run: () => tg.tensordot(m23(), m23(), 1), type: tg.ShapeError, op: 'tensordot', text: '[2, 3] and [2, 3]: contracted axis 1 of a has size 3 but axis 0 of b has size 2' },
  { what: 'squeeze of a non-unit axis', run: () => tg.squeeze(m23(), 0), type: tg.ShapeError, op: 'squeeze', text: 'axis 0 of shape [2, 3] has size 2, not 1' },
  { what: 'sumToShape to a non-broadcast shape', run: () => tg.sumToShape(m23(), [2]), type: tg.ShapeError, op: 'sumToShape', text: '[2] does not broadcast to [2, 3]' },

  // axes and indices
  { what: 'sum axis out of range', run: () => tg.sum(m23(), 2), type: tg.ValueError, op: 'sum', text: 'axis 2 is out of range for a tensor with 2 dimensions' },
  { what: 'negative axis out of range', run: () => tg.max(m23(), -3), type: tg.ValueError, op: 'max', text: 'axis -3 is out of range for a tensor with 2 dimensions' },
  { what: 'repeated axis', run: () => tg.sum(m23(), [1, -1]), type: tg.ValueError, op: 'sum', text: 'axis 1 is repeated in [1, -1]' },
  { what: 'softmax axis', run: () => tg.softmax(tg.zeros([3]), 1), type: tg.ValueError, op: 'softmax', text: 'axis 1 is out of range for a tensor with 1 dimension' },
  { what: 'argmax axis', run: () => tg.argmax(m23(), 5), type: tg.ValueError, op: 'argmax', text: 'axis 5 is out of range' },
  { what: 'concat axis', run: () => tg.concat([m23(), m23()], 2), type: tg.ValueError, op: 'concat', text: 'axis 2 is out of range' },
  { what: 'transpose permutation length', run: () => tg.transpose(m23(), [0]), type: tg.ValueError, op: 'transpose', text: 'permutation [0] has 1 axes but the tensor has 2' },
  { what: 'transpose repeated axis', run: () => tg.transpose(m23(), [1, 1]), type: tg.ValueError, op: 'transpose', text: '[1, 1] is not a permutation of 2 axes' },
  { what: 'index out of range', run: () => tg.index(tg.zeros([3, 4]), 5), type: tg.ValueError, op: 'index', text: 'index 5 is out of range for axis 0 with size 3 (shape [3, 4])' },
  { what: 'negative index out of range', run: () => tg.index(tg.zeros([3, 4]), 0, -5), type: tg.ValueError, op: 'index', text: 'index -5 is out of range for axis 1 with size 4' },
  { what: 'too many indices', run: () => tg.index(tg.zeros([3]), 0, 0), type: tg.ValueError, op: 'index', text: 'too many indices (2) for a tensor of shape [3]' },
  { what: 'zero step', run: () => tg.index(tg.zeros([3]), '::0'), type: tg.ValueError, op: 'index', text: 'step on axis 0 must be a non-zero integer, got 0' },
  { what: 'bad index text', run: () => tg.index(tg.zeros([3]), 'a'), type: tg.ValueError, op: 'index', text: 'bad index entry "a"' },
  { what: 'two ellipses', run: () => tg.index(tg.zeros([3]), '...', '...'), type: tg.ValueError, op: 'index', text: 'only one ellipsis' },

  // creation and dtypes
  { what: 'ragged nested arrays (short row)', run: () => tg.tensor([[1, 2], [3]]), type: tg.ValueError, op: 'tensor', text: 'ragged nested array: entry[1] has length 1 but 2 was expected (shape [2, 2])' },
  { what: 'ragged nested arrays (number for a row)', run: () => tg.tensor([[1, 2], 3]), type: tg.ValueError, op: 'tensor', text: 'ragged nested array: entry[1] is a number but an array of length 2 was expected' },
  { what: 'ragged nested arrays (row for a number)', run: () => tg.tensor([1, [2]] as never), type: tg.ValueError, op: 'tensor', text: 'ragged nested array: entry[1] is an array but entry[0] is a number' },
  { what: 'non-number entries', run: () => tg.tensor([1, 'x'] as never), type: tg.ValueError, op: 'tensor', text: 'entry[1] is the string "x", not a number' },
  { what: 'unknown dtype in tensor', run: () => tg.tensor([1], { dtype: 'float16' as tg.DType }), type: tg.DTypeError, op: 'tensor', text: 'unknown dtype "float16"; expected one of float64, float32, int32' },
  { what: 'unknown dtype in zeros', run: () => tg.zeros([2], { dtype: 'double' as tg.DType }), type: tg.DTypeError, op: 'zeros', text: 'unknown dtype "double"' },
  { what: 'unknown dtype in cast', run: () => tg.cast(m23(), 'int8' as tg.DType), type: tg.DTypeError, op: 'cast', text: 'unknown dtype "int8"' },
  { what: 'negative dimension', run: () => tg.zeros([2, -1]), type: tg.ValueError, op: 'zeros', text: 'shape must hold non-negative integers, got [2, -1]' },
  { what: 'typed array of the wrong size', run: () => tg.tensor(new Float64Array(5), { shape: [2, 3] }), type: tg.ValueError, op: 'tensor', text: 'shape [2, 3] holds 6 values but the typed array has 5' },
  { what: 'arange with zero step', run: () => tg.arange(0, 5, 0), type: tg.ValueError, op: 'arange', text: 'step must not be zero' },
  { what: 'linspace count', run: () => tg.linspace(0, 1, -2), type: tg.ValueError, op: 'linspace', text: 'num must be a non-negative integer, got -2' },
  { what: 'item of a vector', run: () => tg.zeros([3]).item(), type: tg.ValueError, op: 'item', text: 'only a tensor with one element has an item; this one has shape [3] (3 elements)' },
  { what: 'array where a tensor is expected', run: () => tg.add([1, 2] as never, 1), type: tg.ValueError, op: 'add', text: 'expected a Tensor or a number, got an array (wrap it with tg.tensor)' },
  { what: 'requiresGrad on int32', run: () => tg.tensor([1], { dtype: 'int32', requiresGrad: true }), type: tg.GradError, op: 'requiresGrad', text: 'only float tensors can require gradients; this tensor is int32' },
  { what: 'assign_ with another shape', run: () => tg.zeros([2]).assign_(tg.zeros([3])), type: tg.ValueError, op: 'assign_', text: 'expected a float64 tensor of shape [2], got float64 [3]' },
  { what: 'unknown grad mode', run: () => tg.setGradMode('backward' as tg.GradMode), type: tg.ValueError, op: 'setGradMode', text: 'unknown gradient mode "backward"' },

  // autodiff misuse
  { what: 'backward on a non-scalar without gradient', run: () => tg.mul(leaf(), 2).backward(), type: tg.GradError, op: 'backward', text: 'the result has shape [3]; backward() without a gradient needs a one-element result' },
  { what: 'backward with a gradient of the wrong shape', run: () => tg.mul(leaf(), 2).backward(tg.ones([2])), type: tg.ValueError, op: 'backward', text: 'gradient has shape [2] but the result has shape [3]' },
  { what: 'backward of an untracked result', run: () => tg.sum(tg.ones([3])).backward(), type: tg.GradError, op: 'backward', text: 'does not require grad' },
  {
    what: 'backward twice without retainGraph',
    run: () => {
      const y = tg.sum(tg.exp(leaf()));
      y.backward();
      y.backward();
    },
    type: tg.GradError,
    op: 'backward',
    text: "the graph through 'sum' was already freed by an earlier backward(); pass { retainGraph: true }",
  },
  { what: 'jacobian w.r.t. a tensor without requiresGrad', run: () => tg.mul(leaf(), 2).jacobian(tg.ones([3])), type: tg.GradError, op: 'jacobian', text: 'the tensor to differentiate with respect to (shape [3]) does not require grad' },
  {
    what: 'jacobian w.r.t. a non-leaf',
    run: () => {
      const h = tg.mul(leaf(), 2);
      return tg.exp(h).jacobian(h);
    },
    type: tg.GradError,
    op: 'jacobian',
    text: "Jacobians are taken with respect to leaves (tensors created with requiresGrad), but this tensor is a result of 'mul'",
  },
  {
    what: 'jacobian of a result computed under noGrad',
    run: () => {
      const w = leaf();
      return tg.noGrad(() => tg.exp(w)).jacobian(w);
    },
    type: tg.GradError,
    op: 'jacobian',
    text: "this result (shape [3]) carries no derivatives: it was computed with tracking off (mode 'none' or noGrad)",
  },
  {
    what: 'in-place modification after use',
    run: () => {
      const w = leaf([2]);
      const y = tg.sum(tg.mul(w, w));
      w.assign_(tg.tensor([5, 6]));
      y.backward();
    },
    type: tg.GradError,
    op: 'backward',
    text: "an input of 'mul' (shape [2]) was modified in place after it was used (version 1, expected 0); its gradient would be wrong",
  },
  { what: 'grad of a non-scalar function', run: () => tg.grad((x) => tg.mul(x, 2))(tg.ones([3])), type: tg.ValueError, op: 'valueAndGrad', text: 'the function must return a one-element tensor, got shape [3]; use vjp or jacrev' },
  { what: 'argnums out of range', run: () => tg.grad((x) => tg.sum(x), { argnums: 1 })(tg.ones([3])), type: tg.ValueError, op: 'valueAndGrad', text: 'argnums 1 is out of range for a call with 1 argument' },
  { what: 'differentiating an int32 argument', run: () => tg.jacfwd((x) => x)(tg.tensor([1], { dtype: 'int32' })), type: tg.GradError, op: 'jacfwd', text: 'argument 0 is int32; only float tensors can be differentiated' },
  { what: 'vjp cotangent shape', run: () => tg.vjp((x) => tg.mul(x, 2), tg.ones([3]))[1](tg.ones([2])), type: tg.ValueError, op: 'vjp', text: "the cotangent must have the output's shape [3], got [2]" },
  { what: 'jvp tangent shape', run: () => tg.jvp((x) => x, [tg.ones([3])], [tg.ones([2])]), type: tg.ValueError, op: 'jvp', text: "tangent 0 must have the primal's shape [3], got [2]" },
  { what: 'jvp arity', run: () => tg.jvp((x) => x, [tg.ones([3])], []), type: tg.ValueError, op: 'jvp', text: 'got 1 primals but 0 tangents' },
  { what: 'linear with mismatched shapes', run: () => tg.linear(tg.ones([4, 3]), tg.ones([2, 5]), tg.ones([5])), type: tg.ShapeError, op: 'linear', text: 'x [4, 3], w [2, 5], b [5]: expected x [..., K], w [K, N] and b [N] or [1, N]' },
  { what: 'linear with a bias of the wrong length', run: () => tg.linear(tg.ones([4, 3]), tg.ones([3, 5]), tg.ones([1, 4])), type: tg.ShapeError, op: 'linear', text: 'x [4, 3], w [3, 5], b [1, 4]' },
  { what: 'linear with an unknown activation', run: () => tg.linear(tg.ones([4, 3]), tg.ones([3, 5]), null, 'gelu' as never), type: tg.ValueError, op: 'linear', text: `unknown activation "gelu"; expected 'relu', 'sigmoid', 'tanh' or null` },
  { what: 'linear given an array', run: () => tg.linear([[1, 2]] as never, tg.ones([2, 1])), type: tg.ValueError, op: 'linear', text: 'expected a Tensor or a number, got an array (wrap it with tg.tensor)' },
  { what: 'binaryCrossEntropy with a bad eps', run: () => tg.binaryCrossEntropy(tg.ones([2]), tg.ones([2]), 0.5), type: tg.ValueError, op: 'binaryCrossEntropy', text: 'eps must lie in [0, 0.5), got 0.5' },
  { what: 'binaryCrossEntropy with shapes that do not broadcast', run: () => tg.binaryCrossEntropy(tg.ones([3]), tg.ones([2])), type: tg.ShapeError, op: 'binaryCrossEntropy', text: '[3]' },
  { what: 'a bad forward-mode limit', run: () => tg.setForwardModeLimit(0), type: tg.ValueError, op: 'setForwardModeLimit', text: 'limit must be a positive number of bytes, got 0' },
];

describe('errors name the operation and say what was wrong', () => {
  it.each(cases.map((k) => ({ ...k, name: k.what })))('$name', ({ run, type, op, text }) => {
    let caught: unknown = null;
    try {
      run();
    } catch (e) {
      caught = e;
    }
    expect(caught, 'an error was thrown').toBeInstanceOf(type);
    const err = caught as tg.TensorGradError;
    expect(err).toBeInstanceOf(tg.TensorGradError);
    expect(err.op).toBe(op);
    expect(err.name).toBe(type.name);
    expect(err.message.startsWith(`${op}: `), err.message).toBe(true);
    expect(err.message).toContain(text);
  });
});

describe('the forward-mode size limit', () => {
  const initial = tg.getForwardModeLimit();
  afterEach(() => tg.setForwardModeLimit(initial));

  it('throws before allocating, naming the sizes and suggesting reverse mode', () => {
    tg.setForwardModeLimit(64 * 1024);
    // a vector leaf (a matrix leaf's Jacobian is kept factored: see structured-tangents.test.ts)
    const w = tg.ones([1000], { requiresGrad: true }); // 1000 parameters
    const x = tg.ones([20, 1000]);
    // the leaf's own Jacobian (1000 x 1000 entries, 7.6 MiB) is already over the limit
    expect(() => tg.withGradMode('forward', () => tg.matmul(x, w))).toThrow(
      /forward mode would allocate a Jacobian of \[1000\] with respect to a leaf of \[1000\]: 1000 x 1000 = 1000000 entries \(7\.6 MiB\), over the limit of 0\.1 MiB\. Use reverse mode \(tg\.setGradMode\('reverse'\)\) or raise the limit with tg\.setForwardModeLimit\(bytes\)/,
    );
    // reverse mode has no such limit, and forward mode works again under a higher limit
    expect(() => tg.matmul(x, w).sum().backward()).not.toThrow();
    tg.setForwardModeLimit(1e9);
    expect(tg.withGradMode('forward', () => tg.matmul(x, w)).jacobian(w).shape).toEqual([20, 1000]);
  });

  it('names the op whose result would be too large', () => {
    const w = tg.ones([4], { requiresGrad: true });
    // w's identity is 4 x 4 entries; broadcasting it against a big constant is 4 x 40000
    tg.setForwardModeLimit(1024 * 1024);
    let caught: unknown = null;
    try {
      tg.withGradMode('forward', () => tg.mul(w, tg.ones([10000, 4])));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(tg.GradError);
    expect((caught as tg.GradError).op).toBe('mul');
    expect((caught as Error).message).toContain('a Jacobian of [10000, 4] with respect to a leaf of [4]: 40000 x 4 = 160000 entries (1.2 MiB)');
  });
});

describe('failed operations leave their inputs and the grad mode intact', () => {
  it('a failed assign_ keeps the old value and version', () => {
    const w = tg.tensor([1, 2]);
    expect(() => w.assign_(tg.tensor([1, 2], { dtype: 'float32' }))).toThrow(tg.ValueError);
    expect(w.toArray()).toEqual([1, 2]);
    expect(w.version).toBe(0);
  });

  it('withGradMode restores the mode when its function throws', () => {
    expect(tg.getGradMode()).toBe('reverse');
    expect(() =>
      tg.withGradMode('forward', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tg.getGradMode()).toBe('reverse');
    expect(() => tg.withGradMode('sideways' as tg.GradMode, () => 1)).toThrow(/withGradMode: unknown gradient mode "sideways"/);
    expect(tg.getGradMode()).toBe('reverse');
  });
});
