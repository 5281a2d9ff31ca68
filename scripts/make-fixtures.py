#!/usr/bin/env python3
"""Reference values for tensorgrad's public ops, computed with PyTorch.

Run from the repository root with `npm run fixtures` (it calls /usr/bin/python3, where
Debian's python3-torch and python3-numpy live). Writes test/fixtures/ops.json, which
test/fixtures.test.ts replays with tensorgrad in both autodiff modes; the tests never
need Python. It then runs scripts/brief_numpy.py (the brief's training by an independent
NumPy implementation, test/fixtures/brief-training.json; about a minute and a half, most of
it timing). `--only ops` or `--only brief` makes one of the two.

For every case the fixture holds:
  - the tensorgrad call to make (`fn` and `args`, where {"input": i} stands for input i),
  - the inputs (seeded draws, rounded to 3 decimals so that the JSON stays short and the
    values are exact in both languages),
  - the forward value,
  - for differentiable ops: a random cotangent and the gradients of <cotangent, out>
    with respect to every differentiable input (PyTorch reverse mode), and a random
    tangent per input with the directional derivative (PyTorch forward-mode AD,
    torch.autograd.forward_ad), checked against each other here by the dot-product test.

Non-finite numbers are written as the strings "NaN", "Infinity" and "-Infinity".
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import torch
import torch.autograd.forward_ad as fwAD

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / 'test' / 'fixtures' / 'ops.json'
SEED = 20240611
COMMAND = 'npm run fixtures  (/usr/bin/python3 scripts/make-fixtures.py)'

rng = np.random.default_rng(SEED)

# Ops whose results carry no derivatives in tensorgrad (comparisons, sign, argmax...).
NON_DIFFERENTIABLE = {
    'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'argmax', 'argmin', 'sign',
}


@dataclass(frozen=True)
class In:
    """Placeholder for input i in a tensorgrad call's argument list."""
    i: int


def draw(shape: Sequence[int], domain: str = 'any') -> np.ndarray:
    """Seeded values of a given domain, rounded to 3 decimals."""
    shape = tuple(shape)
    n = int(np.prod(shape)) if shape else 1
    if domain == 'any':
        v = rng.standard_normal(shape)
    elif domain == 'positive':
        v = rng.uniform(0.2, 2.0, shape)
    elif domain == 'nonzero':
        v = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    elif domain == 'unit':
        v = rng.uniform(0.05, 0.95, shape)
    elif domain == 'mask':
        return rng.integers(0, 2, shape).astype(np.float64)
    elif domain == 'distinct':
        # no ties anywhere, so max/min/argmax have a single winner
        v = (rng.permutation(n) - n / 2) * 0.137 + rng.uniform(-0.01, 0.01, n)
        v = v.reshape(shape)
    elif domain == 'small-int':
        return rng.integers(-2, 3, shape).astype(np.float64)
    else:
        raise ValueError(f'unknown domain {domain}')
    out = np.round(v, 3)
    if domain == 'distinct':
        assert len(np.unique(out)) == n, 'distinct draw produced a tie'
    return out


def encode(values: np.ndarray) -> list[Any]:
    """Flat row-major list of JSON numbers; non-finite values as strings."""
    out: list[Any] = []
    for v in np.asarray(values, dtype=np.float64).reshape(-1).tolist():
        if math.isnan(v):
            out.append('NaN')
        elif math.isinf(v):
            out.append('Infinity' if v > 0 else '-Infinity')
        else:
            out.append(v)
    return out


def encode_args(args: Any) -> Any:
    if isinstance(args, In):
        return {'input': args.i}
    if isinstance(args, (list, tuple)):
        return [encode_args(a) for a in args]
    return args


def bind(args: Any, tensors: Sequence[torch.Tensor]) -> Any:
    if isinstance(args, In):
        return tensors[args.i]
    if isinstance(args, (list, tuple)):
        return [bind(a, tensors) for a in args]
    return args


TORCH_DTYPE = {'float64': torch.float64, 'float32': torch.float32}
cases: list[dict[str, Any]] = []


def case(name: str, fn: str, args: list[Any], ref: Callable[..., torch.Tensor], inputs: list[np.ndarray],
         dtype: str = 'float64', diff: list[bool] | None = None, jacobians: bool = False) -> None:
    """Records one case: `ref(*bound_args)` is the PyTorch computation of tg[fn](*args).

    With `jacobians`, also stores each input's full Jacobian [*out.shape, *input.shape] as
    PyTorch's forward-mode AD builds it, one basis tangent at a time (for special values,
    where 0 * Infinity = NaN makes entries of a Jacobian built this way differ from the
    gradient a single reverse pass gives).
    """
    tdt = TORCH_DTYPE[dtype]
    differentiable = fn not in NON_DIFFERENTIABLE
    if diff is None:
        diff = [differentiable] * len(inputs)
    leaves = [torch.tensor(a, dtype=tdt, requires_grad=d) for a, d in zip(inputs, diff)]
    out = ref(*bind(args, leaves))
    entry: dict[str, Any] = {
        'name': name,
        'fn': fn,
        'dtype': dtype,
        'args': encode_args(args),
        'inputs': [{'shape': list(a.shape), 'data': encode(a), 'differentiable': d} for a, d in zip(inputs, diff)],
        'out': {'shape': list(out.shape), 'data': encode(out.detach().double().numpy())},
    }
    if differentiable:
        ct = draw(out.shape)
        grads = torch.autograd.grad(out, [t for t, d in zip(leaves, diff) if d], torch.tensor(ct, dtype=tdt), allow_unused=True)
        grads_iter = iter(grads)
        grad_list = []
        for a, d in zip(inputs, diff):
            if not d:
                grad_list.append(None)
                continue
            g = next(grads_iter)
            grad_list.append(np.zeros(a.shape) if g is None else g.double().numpy())
        tangents = [draw(a.shape) if d else np.zeros(a.shape) for a, d in zip(inputs, diff)]
        with fwAD.dual_level():
            duals = [
                fwAD.make_dual(torch.tensor(a, dtype=tdt), torch.tensor(t, dtype=tdt)) if d else torch.tensor(a, dtype=tdt)
                for a, t, d in zip(inputs, tangents, diff)
            ]
            o = ref(*bind(args, duals))
            jvp_t = fwAD.unpack_dual(o).tangent
            jvp = np.zeros(out.shape) if jvp_t is None else jvp_t.double().numpy()
        # dot-product test: <ct, J t> = <J^T ct, t>
        lhs = float(np.sum(ct * jvp))
        rhs = float(sum(np.sum(g * t) for g, t in zip(grad_list, tangents) if g is not None))
        if math.isfinite(lhs) and math.isfinite(rhs):
            tol = 1e-9 if dtype == 'float64' else 1e-3
            assert abs(lhs - rhs) <= tol * (1 + abs(lhs)), f'{name}: forward and reverse disagree ({lhs} vs {rhs})'
        entry['cotangent'] = encode(ct)
        entry['grads'] = [None if g is None else encode(g) for g in grad_list]
        entry['tangents'] = [encode(t) for t in tangents]
        entry['jvp'] = encode(jvp)
        if jacobians:
            entry['jacobians'] = [encode(forward_jacobian(ref, args, inputs, i, tdt)) if d else None
                                  for i, d in enumerate(diff)]
    cases.append(entry)


def forward_jacobian(ref: Callable[..., torch.Tensor], args: list[Any], inputs: list[np.ndarray], which: int,
                     tdt: torch.dtype) -> np.ndarray:
    """d out / d inputs[which], column by column with forward-mode AD (other inputs constant)."""
    x = inputs[which]
    columns = []
    for k in range(x.size):
        basis = np.zeros(x.size)
        basis[k] = 1.0
        with fwAD.dual_level():
            bound = [torch.tensor(a, dtype=tdt) for a in inputs]
            bound[which] = fwAD.make_dual(bound[which], torch.tensor(basis.reshape(x.shape), dtype=tdt))
            o = ref(*bind(args, bound))
            t = fwAD.unpack_dual(o).tangent
            columns.append(np.zeros(o.shape) if t is None else t.double().numpy())
    out_shape = columns[0].shape
    return np.stack(columns, axis=-1).reshape(*out_shape, *x.shape)


# ---------------------------------------------------------------------------------------
# helpers mirroring tensorgrad's NumPy-style calls on the PyTorch side

def all_axes(x: torch.Tensor) -> tuple[int, ...]:
    return tuple(range(x.dim()))


def axes_of(x: torch.Tensor, axis: Any) -> tuple[int, ...]:
    if axis is None:
        return all_axes(x)
    return tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)


def parse_spec(spec: Any) -> Any:
    """tensorgrad index entry -> Python index object."""
    if spec is None or isinstance(spec, int):
        return spec
    if isinstance(spec, dict):
        return slice(spec.get('start'), spec.get('stop'), spec.get('step'))
    if spec == '...':
        return Ellipsis
    if ':' in spec:
        parts = [p.strip() for p in spec.split(':')]
        nums = [int(p) if p else None for p in parts] + [None] * (3 - len(parts))
        return slice(*nums)
    return int(spec)


def np_index(x: torch.Tensor, *specs: Any) -> torch.Tensor:
    """NumPy basic indexing on a torch tensor, negative steps included (torch lacks them)."""
    entries = []
    for s in specs:
        if isinstance(s, str) and ',' in s:
            entries.extend(parse_spec(p.strip()) for p in s.split(','))
        else:
            entries.append(parse_spec(s))
    consuming = sum(1 for e in entries if e is not None and e is not Ellipsis)
    if Ellipsis in entries:
        at = entries.index(Ellipsis)
        entries = entries[:at] + [slice(None)] * (x.dim() - consuming) + entries[at + 1:]
    out = x
    ax = 0
    for e in entries:
        if e is None:
            out = out.unsqueeze(ax)
            ax += 1
        elif isinstance(e, int):
            out = out.select(ax, e)
        else:
            idx = list(range(*e.indices(out.shape[ax])))
            out = out.index_select(ax, torch.tensor(idx, dtype=torch.long))
            ax += 1
    expected = x.detach().numpy()[tuple(entries)]
    assert np.array_equal(out.detach().numpy(), expected), 'np_index disagrees with NumPy'
    return out


def tensordot(a: torch.Tensor, b: torch.Tensor, axes: Any) -> torch.Tensor:
    if isinstance(axes, int):
        out = torch.tensordot(a, b, dims=axes)
    else:
        def positive(v: Any, n: int) -> list[int]:  # torch's tensordot wants non-negative axes
            return [i % n for i in ([v] if isinstance(v, int) else v)]
        out = torch.tensordot(a, b, dims=(positive(axes[0], a.dim()), positive(axes[1], b.dim())))
    expected = np.tensordot(a.detach().numpy(), b.detach().numpy(), axes=axes)
    assert np.allclose(out.detach().numpy(), expected), 'tensordot disagrees with NumPy'
    return out


def scalar_like(v: float, t: torch.Tensor) -> torch.Tensor:
    return torch.tensor(v, dtype=t.dtype)


# ---------------------------------------------------------------------------------------
# the cases

def unary_cases() -> None:
    table = [
        ('neg', torch.neg, 'any'),
        ('exp', torch.exp, 'any'),
        ('log', torch.log, 'positive'),
        ('log1p', torch.log1p, 'positive'),
        ('sqrt', torch.sqrt, 'positive'),
        ('abs', torch.abs, 'nonzero'),
        ('tanh', torch.tanh, 'any'),
        ('sigmoid', torch.sigmoid, 'any'),
        ('relu', torch.relu, 'nonzero'),
        ('sin', torch.sin, 'any'),
        ('cos', torch.cos, 'any'),
        ('sign', torch.sign, 'small-int'),
    ]
    for fn, ref, dom in table:
        case(f'{fn} [3, 4]', fn, [In(0)], ref, [draw([3, 4], dom)])
    for fn, ref, dom in table[:4]:
        case(f'{fn} 0-d', fn, [In(0)], ref, [draw([], dom)])
    case('sigmoid of large |x|', 'sigmoid', [In(0)], torch.sigmoid, [np.array([-40.0, -12.5, 0.0, 12.5, 40.0])])
    case('tanh of large |x|', 'tanh', [In(0)], torch.tanh, [np.array([-30.0, -3.1, 0.0, 3.1, 30.0])])


def binary_cases() -> None:
    table = [
        ('add', torch.add, 'any'),
        ('sub', torch.sub, 'any'),
        ('mul', torch.mul, 'any'),
        ('div', torch.div, 'nonzero'),
        ('maximum', torch.maximum, 'any'),
        ('minimum', torch.minimum, 'any'),
    ]
    pairs = [([3, 4], [3, 4]), ([3, 1], [4]), ([2, 3, 4], [3, 1]), ([4], [2, 1, 4]), ([], [2, 3])]
    for fn, ref, dom in table:
        for sa, sb in pairs:
            case(f'{fn} {sa} {sb}', fn, [In(0), In(1)], ref, [draw(sa, 'any'), draw(sb, dom)])
    case('add number right', 'add', [In(0), 2.5], lambda x, c: x + c, [draw([2, 3])])
    case('sub number left (1 - p)', 'sub', [1, In(0)], lambda c, x: c - x, [draw([4, 1], 'unit')])
    case('mul number left', 'mul', [-0.75, In(0)], lambda c, x: c * x, [draw([3])])
    case('div number left', 'div', [1, In(0)], lambda c, x: c / x, [draw([2, 3], 'nonzero')])
    case('div number right', 'div', [In(0), 4], lambda x, c: x / c, [draw([2, 3])])
    case('maximum with a number', 'maximum', [In(0), 0.1], lambda x, c: torch.maximum(x, scalar_like(c, x)), [draw([3, 3])])
    case('minimum with a number', 'minimum', [0.1, In(0)], lambda c, x: torch.minimum(scalar_like(c, x), x), [draw([3, 3])])
    case('maximum with ties', 'maximum', [In(0), In(1)], torch.maximum,
         [np.array([1.0, 2.0, -0.5, 3.0]), np.array([1.0, 1.5, -0.5, 4.0])])
    # pow: tensor exponent, broadcasting, numbers on either side
    case('pow tensor ** tensor [3, 4] [4]', 'pow', [In(0), In(1)], torch.pow, [draw([3, 4], 'positive'), draw([4])])
    case('pow [2, 1] ** [3]', 'pow', [In(0), In(1)], torch.pow, [draw([2, 1], 'positive'), draw([3])])
    case('pow tensor ** 2.5', 'pow', [In(0), 2.5], lambda x, c: torch.pow(x, c), [draw([2, 3], 'positive')])
    case('pow tensor ** 3 (negative base)', 'pow', [In(0), 3], lambda x, c: torch.pow(x, c), [draw([2, 3], 'any')])
    case('pow 2 ** tensor', 'pow', [2, In(0)], lambda c, x: torch.pow(c, x), [draw([4])])
    case('pow with a zero base, exponent > 1', 'pow', [In(0), In(1)], torch.pow,
         [np.array([0.0, 0.5, 1.5]), np.array([2.0, 1.5, 3.0])])
    # where: a 0/1 condition (not differentiated), broadcast over all three
    case('where [3, 1] [3, 4] [4]', 'where', [In(0), In(1), In(2)], lambda c, a, b: torch.where(c != 0, a, b),
         [draw([3, 1], 'mask'), draw([3, 4]), draw([4])], diff=[False, True, True])
    case('where [2, 3] a, number', 'where', [In(0), In(1), -1], lambda c, a, b: torch.where(c != 0, a, scalar_like(b, a)),
         [draw([2, 3], 'mask'), draw([2, 3])], diff=[False, True])
    case('clamp both bounds', 'clamp', [In(0), -0.5, 0.7], lambda x, lo, hi: torch.clamp(x, lo, hi), [draw([3, 4])])
    case('clamp lower bound only', 'clamp', [In(0), 0.05, None], lambda x, lo, hi: torch.clamp(x, min=lo), [draw([2, 5])])


def comparison_cases() -> None:
    table = [
        ('equal', torch.eq), ('notEqual', torch.ne), ('less', torch.lt),
        ('lessEqual', torch.le), ('greater', torch.gt), ('greaterEqual', torch.ge),
    ]
    for fn, ref in table:
        case(f'{fn} [3, 4] [4]', fn, [In(0), In(1)], lambda a, b, ref=ref: ref(a, b).double(),
             [draw([3, 4], 'small-int'), draw([4], 'small-int')])
    case('argmax over all', 'argmax', [In(0)], lambda x: torch.argmax(x), [draw([3, 4], 'distinct')])
    case('argmax axis 1', 'argmax', [In(0), 1], lambda x, a: torch.argmax(x, a), [draw([3, 4], 'distinct')])
    case('argmin axis 0 keepdims', 'argmin', [In(0), 0, True], lambda x, a, k: torch.argmin(x, a, k), [draw([3, 4], 'distinct')])
    case('argmax axis -1 of 3-d', 'argmax', [In(0), -1], lambda x, a: torch.argmax(x, a), [draw([2, 3, 4], 'distinct')])


def reduction_cases() -> None:
    def red(name: str, ref: Callable[..., torch.Tensor]) -> Callable[..., torch.Tensor]:
        def f(x: torch.Tensor, axis: Any = None, keep: bool = False) -> torch.Tensor:
            axes = axes_of(x, axis)
            axes = tuple(a % x.dim() for a in axes) if x.dim() else axes
            if name == 'sum' and axis is None and not keep:
                return torch.sum(x)
            if name == 'mean' and axis is None and not keep:
                return torch.mean(x)
            return ref(x, dim=axes, keepdim=keep)
        return f

    refs = {'sum': torch.sum, 'mean': torch.mean, 'max': torch.amax, 'min': torch.amin, 'logsumexp': torch.logsumexp}
    shapes_axes: list[tuple[list[int], list[Any]]] = [
        ([3, 4], [[], [1], [0, True], [-1, True]]),
        ([2, 3, 4], [[[0, 2]], [[0, 2], True], [-2], [None, True], [[1, -1], False]]),
        ([5], [[0]]),
    ]
    for fn, ref in refs.items():
        dom = 'distinct' if fn in ('max', 'min') else 'any'
        for shape, variants in shapes_axes:
            for extra in variants:
                label = ', '.join(json.dumps(e) for e in extra)
                case(f'{fn} {shape} ({label})', fn, [In(0), *extra], red(fn, ref), [draw(shape, dom)])
    # ties share the derivative equally (torch.amax does so, as does tensorgrad)
    case('max with tied maxima', 'max', [In(0), 1], red('max', torch.amax), [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])])
    case('min over all with ties', 'min', [In(0)], red('min', torch.amin), [np.array([[0.5, -1.0], [-1.0, 2.0]])])
    case('logsumexp of large values', 'logsumexp', [In(0), -1], red('logsumexp', torch.logsumexp),
         [np.array([[1000.0, 1001.0, 999.5], [-1000.0, -1002.0, -1000.5]])])


def softmax_cases() -> None:
    for fn, ref in (('softmax', torch.softmax), ('logSoftmax', torch.log_softmax)):
        case(f'{fn} [3, 4] default axis', fn, [In(0)], lambda x, ref=ref: ref(x, -1), [draw([3, 4])])
        case(f'{fn} [3, 4] axis 0', fn, [In(0), 0], lambda x, a, ref=ref: ref(x, a), [draw([3, 4])])
        case(f'{fn} [2, 3, 4] axis 1', fn, [In(0), 1], lambda x, a, ref=ref: ref(x, a), [draw([2, 3, 4])])
        case(f'{fn} [5] 1-d', fn, [In(0)], lambda x, ref=ref: ref(x, -1), [draw([5])])
        case(f'{fn} of large values (stability)', fn, [In(0), -1], lambda x, a, ref=ref: ref(x, a),
             [np.array([[1000.0, 1001.0, 999.5], [-1000.0, -1002.0, -1000.5]])])


def matmul_cases() -> None:
    shapes = [
        ([3, 4], [4, 5]), ([4], [4, 3]), ([3, 4], [4]), ([4], [4]),
        ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]), ([2, 1, 3, 4], [5, 4, 2]), ([2, 3, 4], [2, 4, 2]), ([4], [2, 4, 3]),
    ]
    for sa, sb in shapes:
        case(f'matmul {sa} @ {sb}', 'matmul', [In(0), In(1)], torch.matmul, [draw(sa), draw(sb)])
    variants: list[tuple[list[int], list[int], Any]] = [
        ([3, 4], [4, 5], 1),
        ([2, 3, 4], [3, 4, 2], 2),
        ([3], [2, 2], 0),
        ([2, 3, 4], [3, 2], [[1], [0]]),
        ([3, 4, 2], [4, 3, 5], [[1, 0], [0, 1]]),
        ([2, 3], [3, 4], [[-1], [0]]),
        ([2, 3, 4], [5, 4], [[-1], [-1]]),
    ]
    for sa, sb, axes in variants:
        case(f'tensordot {sa} {sb} axes={json.dumps(axes)}', 'tensordot', [In(0), In(1), axes],
             tensordot, [draw(sa), draw(sb)])


def shape_cases() -> None:
    case('transpose 2-d default', 'transpose', [In(0)], lambda x: x.permute(1, 0), [draw([3, 4])])
    case('transpose 3-d default (reversed)', 'transpose', [In(0)], lambda x: x.permute(2, 1, 0), [draw([2, 3, 4])])
    case('transpose 3-d perm [1, 0, 2]', 'transpose', [In(0), [1, 0, 2]], lambda x, p: x.permute(*p), [draw([2, 3, 4])])
    case('transpose 4-d perm [2, 0, 3, 1]', 'transpose', [In(0), [2, 0, 3, 1]], lambda x, p: x.permute(*p), [draw([2, 3, 1, 2])])
    case('reshape with -1', 'reshape', [In(0), [4, -1]], lambda x, s: x.reshape(s), [draw([2, 3, 4])])
    case('reshape to 0-d', 'reshape', [In(0), []], lambda x, s: x.reshape(s), [draw([1, 1])])
    case('squeeze all', 'squeeze', [In(0)], lambda x: x.squeeze(), [draw([1, 3, 1, 2])])
    case('squeeze axes [0, -2]', 'squeeze', [In(0), [0, -2]], lambda x, a: x.squeeze(0).squeeze(-2), [draw([1, 3, 1, 2])])
    case('unsqueeze -1', 'unsqueeze', [In(0), -1], lambda x, a: x.unsqueeze(a), [draw([2, 3])])
    case('unsqueeze 1', 'unsqueeze', [In(0), 1], lambda x, a: x.unsqueeze(a), [draw([2, 3])])
    case('flatten all', 'flatten', [In(0)], lambda x: torch.flatten(x), [draw([2, 3, 2])])
    case('flatten axes 1..2', 'flatten', [In(0), 1, 2], lambda x, s, e: torch.flatten(x, s, e), [draw([2, 3, 2, 2])])
    case('broadcastTo [3, 1] -> [2, 3, 4]', 'broadcastTo', [In(0), [2, 3, 4]], lambda x, s: torch.broadcast_to(x, s), [draw([3, 1])])
    case('sumToShape [2, 3, 4] -> [3, 1]', 'sumToShape', [In(0), [3, 1]], lambda x, s: x.sum_to_size(s), [draw([2, 3, 4])])
    case('concat axis 0', 'concat', [[In(0), In(1)], 0], lambda xs, a: torch.cat(xs, a), [draw([2, 3]), draw([1, 3])])
    case('concat three along -1', 'concat', [[In(0), In(1), In(2)], -1], lambda xs, a: torch.cat(xs, a),
         [draw([2, 1]), draw([2, 3]), draw([2, 2])])
    case('stack axis 0', 'stack', [[In(0), In(1)]], lambda xs: torch.stack(xs, 0), [draw([2, 3]), draw([2, 3])])
    case('stack axis -1', 'stack', [[In(0), In(1), In(2)], -1], lambda xs, a: torch.stack(xs, a),
         [draw([3]), draw([3]), draw([3])])
    case('cast float32 -> float64', 'cast', [In(0), 'float64'], lambda x, d: x.to(torch.float64), [draw([2, 3])], dtype='float32')


def index_cases() -> None:
    specs: list[tuple[list[int], list[Any]]] = [
        ([4, 5], [1]),
        ([4, 5], [-1]),
        ([4, 5], [-1, '::2']),
        ([4, 5], ['::-1']),
        ([4, 5], [':', '::-2']),
        ([4, 5], ['1:3', '-2:']),
        ([4, 5], ['..., 1:-1']),
        ([2, 3, 4], [None, 0, '1:3']),
        ([2, 3, 4], ['-2:', '::-2', 1]),
        ([2, 3, 4], ['...', -1]),
        ([2, 3, 4], [{'start': 1, 'step': 2}]),
        ([2, 3, 4], [':', {'start': -1, 'stop': None, 'step': -1}, '3:0:-2']),
        ([6], ['5:1:-2']),
        ([6], ['-100:100']),
        ([4, 5], [0, -2]),
    ]
    for shape, spec in specs:
        case(f'index {shape} [{", ".join(json.dumps(s) for s in spec)}]', 'index', [In(0), *spec], np_index, [draw(shape)])


def special_value_cases() -> None:
    case('relu at 0 (derivative 0)', 'relu', [In(0)], torch.relu, [np.array([-1.0, 0.0, 2.0])], jacobians=True)
    case('abs at 0 (derivative 0)', 'abs', [In(0)], torch.abs, [np.array([-1.5, 0.0, 2.0])], jacobians=True)
    case('log of 0 is -Infinity', 'log', [In(0)], torch.log, [np.array([0.0, 1.0, 2.0])], jacobians=True)
    case('sqrt at 0 (infinite slope)', 'sqrt', [In(0)], torch.sqrt, [np.array([0.0, 4.0])], jacobians=True)
    case('NaN propagates through mul', 'mul', [In(0), In(1)], torch.mul,
         [np.array([1.0, float('nan'), -2.0]), np.array([2.0, 3.0, 0.5])], jacobians=True)
    case('exp overflows to Infinity', 'exp', [In(0)], torch.exp, [np.array([800.0, -800.0, 0.0])], jacobians=True)


def float32_cases() -> None:
    f = 'float32'
    case('f32 add [3, 1] [4]', 'add', [In(0), In(1)], torch.add, [draw([3, 1]), draw([4])], dtype=f)
    case('f32 mul number', 'mul', [In(0), 0.1], lambda x, c: x * c, [draw([2, 3])], dtype=f)
    case('f32 div [2, 3] [3]', 'div', [In(0), In(1)], torch.div, [draw([2, 3]), draw([3], 'nonzero')], dtype=f)
    case('f32 pow tensor ** tensor', 'pow', [In(0), In(1)], torch.pow, [draw([2, 3], 'positive'), draw([3])], dtype=f)
    case('f32 exp', 'exp', [In(0)], torch.exp, [draw([2, 3])], dtype=f)
    case('f32 log', 'log', [In(0)], torch.log, [draw([2, 3], 'positive')], dtype=f)
    case('f32 sigmoid', 'sigmoid', [In(0)], torch.sigmoid, [draw([2, 3])], dtype=f)
    case('f32 tanh', 'tanh', [In(0)], torch.tanh, [draw([2, 3])], dtype=f)
    case('f32 sum axis 1', 'sum', [In(0), 1], lambda x, a: torch.sum(x, a), [draw([3, 4])], dtype=f)
    case('f32 mean all', 'mean', [In(0)], torch.mean, [draw([3, 4])], dtype=f)
    case('f32 max axis 0', 'max', [In(0), 0], lambda x, a: torch.amax(x, a), [draw([3, 4], 'distinct')], dtype=f)
    case('f32 softmax', 'softmax', [In(0)], lambda x: torch.softmax(x, -1), [draw([3, 4])], dtype=f)
    case('f32 logSoftmax axis 0', 'logSoftmax', [In(0), 0], lambda x, a: torch.log_softmax(x, a), [draw([3, 4])], dtype=f)
    case('f32 matmul batched', 'matmul', [In(0), In(1)], torch.matmul, [draw([2, 3, 4]), draw([4, 2])], dtype=f)
    case('f32 tensordot axes 1', 'tensordot', [In(0), In(1), 1], tensordot, [draw([3, 4]), draw([4, 2])], dtype=f)
    case('f32 index', 'index', [In(0), '::-1', 1], np_index, [draw([3, 4])], dtype=f)


def make_ops_fixture() -> None:
    torch.set_default_dtype(torch.float64)
    unary_cases()
    binary_cases()
    comparison_cases()
    reduction_cases()
    softmax_cases()
    matmul_cases()
    shape_cases()
    index_cases()
    special_value_cases()
    float32_cases()
    names = [c['name'] for c in cases]
    assert len(names) == len(set(names)), 'case names must be unique'
    fixture = {
        'description': 'Reference values and gradients for tensorgrad ops, computed with PyTorch (float64 unless a case says float32).',
        'generator': {
            'command': COMMAND,
            'script': 'scripts/make-fixtures.py',
            'seed': SEED,
            'python': platform.python_version(),
            'torch': torch.__version__,
            'numpy': np.__version__,
        },
        'cases': cases,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fixture, separators=(',', ':'), allow_nan=False)
    OUT.write_text(text + '\n')
    print(f'wrote {OUT.relative_to(ROOT)}: {len(cases)} cases, {len(text) / 1024:.1f} KiB', file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description='Writes the reference fixtures under test/fixtures.')
    parser.add_argument('--only', choices=['ops', 'brief'], help='make only this fixture')
    only = parser.parse_args().only
    if only in (None, 'ops'):
        make_ops_fixture()
    if only in (None, 'brief'):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import brief_numpy
        brief_numpy.main()


if __name__ == '__main__':
    main()
