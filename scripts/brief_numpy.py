#!/usr/bin/env python3
"""An independent NumPy implementation of the project brief's forward-mode design, and
the brief's training run with it, written to test/fixtures/brief-training.json.

The design: every tensor computed from a parameter carries its Jacobian with respect to
that parameter, of shape value.shape + param.shape, built op by op with the chain rule as
the forward computation runs. The matrix product contracts the last axis of the left
operand with the first axis of the right one (np.tensordot(a, b, axes=([-1], [0]))).

The run: FeedForward(30, 50) = Linear(30, 50) -> ReLU -> Linear(50, 1) -> sigmoid,
weights (in, out) and biases (1, out) drawn from N(0, 1) with a seeded NumPy generator,
the log loss L = -(1/B)(y^T log p + (1 - y)^T log(1 - p)), plain gradient descent with
lr 0.1, in-order mini-batches of 128 (the last one shorter), breast-cancer data scaled by
x / x.max() (the global maximum), 20 epochs.

The same run is repeated with hand-written backpropagation as a cross-check (the two must
agree to 1e-12), and both are timed (median of 3 runs each).

Run: /usr/bin/python3 scripts/brief_numpy.py  (also part of `npm run fixtures`).
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / 'data' / 'breast_cancer.csv'
OUT = ROOT / 'test' / 'fixtures' / 'brief-training.json'
SEED = 0
HIDDEN = 50
LR = 0.1
BATCH = 128
EPOCHS = 20
TIMING_REPEATS = 3
PARAM_NAMES = ('inLayer.weight', 'inLayer.bias', 'outLayer.weight', 'outLayer.bias')


# ---------------------------------------------------------------------------------------
# the brief's tensor: a value plus its Jacobians with respect to the parameters

class Tensor:
    """A value that carries d value / d param (shape value.shape + param.shape) per parameter."""

    calc_grad = True  # the brief's global switch: False turns the Jacobian tracking off

    def __init__(self, value: np.ndarray | float, requires_grad: bool = False,
                 jacobians: dict[Tensor, np.ndarray] | None = None) -> None:
        self.value = np.asarray(value, dtype=np.float64)
        self.requires_grad = requires_grad
        self.grad: np.ndarray | None = None
        if requires_grad and Tensor.calc_grad:
            n = self.value.size
            jacobians = {self: np.eye(n).reshape(self.value.shape + self.value.shape)}
        self.jacobians: dict[Tensor, np.ndarray] = jacobians if (jacobians is not None and Tensor.calc_grad) else {}

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def ndim(self) -> int:
        return self.value.ndim

    # -- the chain rule, one op at a time -------------------------------------------------

    def _elementwise(self, value: np.ndarray, derivative: np.ndarray) -> Tensor:
        """f applied elementwise, with f' given: J_out = f'(x) * J_x over the value axes."""
        out = {}
        for p, jac in self.jacobians.items():
            out[p] = jac * derivative.reshape(derivative.shape + (1,) * p.ndim)
        return Tensor(value, jacobians=out)

    def __matmul__(self, other: Tensor) -> Tensor:
        value = np.tensordot(self.value, other.value, axes=([-1], [0]))
        out: dict[Tensor, np.ndarray] = {}
        for p, jac in self.jacobians.items():
            # sum_k J_a[..., k, P] b[k, ...]: contract the left value's last axis, then move
            # b's free axes in front of the parameter axes
            t = np.tensordot(jac, other.value, axes=([self.ndim - 1], [0]))
            free_b = other.ndim - 1
            t = np.moveaxis(t, list(range(t.ndim - free_b, t.ndim)), list(range(self.ndim - 1, self.ndim - 1 + free_b)))
            out[p] = t
        for p, jac in other.jacobians.items():
            t = np.tensordot(self.value, jac, axes=([-1], [0]))
            out[p] = out[p] + t if p in out else t
        return Tensor(value, jacobians=out)

    def __add__(self, other: Tensor | float) -> Tensor:
        other = as_tensor(other)
        value = self.value + other.value
        out: dict[Tensor, np.ndarray] = {}
        for src in (self, other):
            for p, jac in src.jacobians.items():
                # broadcast the Jacobian's value axes to the result's shape
                padded = jac.reshape((1,) * (value.ndim - src.ndim) + jac.shape)
                t = np.broadcast_to(padded, value.shape + p.shape)
                out[p] = out[p] + t if p in out else t
        return Tensor(value, jacobians=out)

    def __neg__(self) -> Tensor:
        return Tensor(-self.value, jacobians={p: -j for p, j in self.jacobians.items()})

    def __sub__(self, other: Tensor | float) -> Tensor:
        return self + (-as_tensor(other))

    def __rsub__(self, other: float) -> Tensor:
        return as_tensor(other) + (-self)

    def __mul__(self, c: float) -> Tensor:
        """Product with a constant number."""
        return Tensor(self.value * c, jacobians={p: j * c for p, j in self.jacobians.items()})

    __rmul__ = __mul__

    @property
    def T(self) -> Tensor:
        perm = tuple(reversed(range(self.ndim)))
        out = {p: np.transpose(j, perm + tuple(range(self.ndim, j.ndim))) for p, j in self.jacobians.items()}
        return Tensor(self.value.T, jacobians=out)

    def relu(self) -> Tensor:
        return self._elementwise(np.maximum(self.value, 0.0), (self.value > 0).astype(np.float64))

    def sigmoid(self) -> Tensor:
        s = 1.0 / (1.0 + np.exp(-self.value))
        return self._elementwise(s, s * (1.0 - s))

    def log(self) -> Tensor:
        return self._elementwise(np.log(self.value), 1.0 / self.value)

    def backward(self) -> None:
        """For a one-element result: its Jacobians are the parameters' gradients."""
        assert self.value.size == 1, 'backward needs a one-element result'
        for p, jac in self.jacobians.items():
            g = jac.reshape(p.shape)
            p.grad = g.copy() if p.grad is None else p.grad + g


def as_tensor(x: Tensor | float) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


# ---------------------------------------------------------------------------------------
# the brief's model, loss, optimizer and data set

class LinearLayer:
    def __init__(self, weight: np.ndarray, bias: np.ndarray) -> None:
        self.weight = Tensor(weight.copy(), requires_grad=True)
        self.bias = Tensor(bias.copy(), requires_grad=True)

    def forward(self, x: Tensor) -> Tensor:
        return x @ self.weight + self.bias


class FeedForward:
    """Linear(in, hidden) -> ReLU -> Linear(hidden, 1) -> sigmoid."""

    def __init__(self, init: dict[str, np.ndarray]) -> None:
        self.in_layer = LinearLayer(init['inLayer.weight'], init['inLayer.bias'])
        self.out_layer = LinearLayer(init['outLayer.weight'], init['outLayer.bias'])

    def forward(self, x: Tensor) -> Tensor:
        return self.out_layer.forward(self.in_layer.forward(x).relu()).sigmoid()

    def parameters(self) -> list[Tensor]:
        return [self.in_layer.weight, self.in_layer.bias, self.out_layer.weight, self.out_layer.bias]


def log_loss(p: Tensor, y: np.ndarray) -> Tensor:
    """L = -(1/B)(y^T log p + (1 - y)^T log(1 - p)), y and p of shape (B, 1)."""
    yt = Tensor(y).T
    one_minus_yt = Tensor(1.0 - y).T
    return (yt @ p.log() + one_minus_yt @ (1.0 - p).log()) * (-1.0 / y.shape[0])


def batches(x: np.ndarray, y: np.ndarray, size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The brief's DataSet: in order, the last batch shorter."""
    for start in range(0, x.shape[0], size):
        yield x[start:start + size], y[start:start + size]


class RunLog:
    def __init__(self) -> None:
        self.batch_losses: list[list[float]] = []
        self.p_hit_0_or_1 = False

    def record(self, p: np.ndarray, loss: float) -> None:
        self.batch_losses[-1].append(loss)
        self.p_hit_0_or_1 |= bool(np.any(p == 0.0) or np.any(p == 1.0))


def train_forward_mode(x: np.ndarray, y: np.ndarray, init: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], RunLog]:
    model = FeedForward(init)
    log = RunLog()
    for _ in range(EPOCHS):
        log.batch_losses.append([])
        for xb, yb in batches(x, y, BATCH):
            for w in model.parameters():
                w.grad = None
            p = model.forward(Tensor(xb))
            loss = log_loss(p, yb)
            log.record(p.value, float(loss.value.reshape(())))
            loss.backward()
            for w in model.parameters():
                w.value = w.value - LR * w.grad
    return dict(zip(PARAM_NAMES, (w.value for w in model.parameters()))), log


def train_backprop(x: np.ndarray, y: np.ndarray, init: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], RunLog]:
    """The same run with the gradients written out by hand (reverse accumulation)."""
    w1, b1, w2, b2 = (init[k].copy() for k in PARAM_NAMES)
    log = RunLog()
    for _ in range(EPOCHS):
        log.batch_losses.append([])
        for xb, yb in batches(x, y, BATCH):
            n = xb.shape[0]
            z1 = xb @ w1 + b1
            h = np.maximum(z1, 0.0)
            z2 = h @ w2 + b2
            p = 1.0 / (1.0 + np.exp(-z2))
            loss = -(yb.T @ np.log(p) + (1.0 - yb).T @ np.log(1.0 - p)) / n
            log.record(p, float(loss.reshape(())))
            dz2 = (p - yb) / n  # dL/dz2 for the log loss after a sigmoid
            dw2 = h.T @ dz2
            db2 = dz2.sum(axis=0, keepdims=True)
            dz1 = (dz2 @ w2.T) * (z1 > 0)
            dw1 = xb.T @ dz1
            db1 = dz1.sum(axis=0, keepdims=True)
            w1, b1, w2, b2 = w1 - LR * dw1, b1 - LR * db1, w2 - LR * dw2, b2 - LR * db2
    return dict(zip(PARAM_NAMES, (w1, b1, w2, b2))), log


# ---------------------------------------------------------------------------------------

def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """data/breast_cancer.csv: a header `n,features,class names...`, then features and label per line."""
    lines = DATA.read_text().strip().splitlines()
    n, d = (int(v) for v in lines[0].split(',')[:2])
    rows = np.array([[float(v) for v in line.split(',')] for line in lines[1:]])
    assert rows.shape == (n, d + 1), f'expected {n} x {d + 1} values, got {rows.shape}'
    return rows[:, :d], rows[:, d:].copy()


def initial_weights() -> dict[str, np.ndarray]:
    g = np.random.default_rng(SEED)
    shapes = {'inLayer.weight': (30, HIDDEN), 'inLayer.bias': (1, HIDDEN), 'outLayer.weight': (HIDDEN, 1), 'outLayer.bias': (1, 1)}
    return {name: g.standard_normal(shapes[name]) for name in PARAM_NAMES}


def median_seconds(fn: Callable[[], object]) -> tuple[float, list[float]]:
    runs = []
    for _ in range(TIMING_REPEATS):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs


def weights_json(ws: dict[str, np.ndarray]) -> dict[str, dict[str, object]]:
    return {k: {'shape': list(v.shape), 'data': v.reshape(-1).tolist()} for k, v in ws.items()}


def main() -> None:
    x_raw, y = load_breast_cancer()
    x_max = float(x_raw.max())
    x = x_raw / x_raw.max()
    init = initial_weights()

    final_fwd, log_fwd = train_forward_mode(x, y, init)
    final_bp, log_bp = train_backprop(x, y, init)
    loss_diff = float(np.max(np.abs(np.array(log_fwd.batch_losses) - np.array(log_bp.batch_losses))))
    weight_diff = max(float(np.max(np.abs(final_fwd[k] - final_bp[k]))) for k in PARAM_NAMES)
    assert loss_diff <= 1e-12 and weight_diff <= 1e-12, f'forward-mode design and backprop disagree: {loss_diff}, {weight_diff}'

    t_fwd, runs_fwd = median_seconds(lambda: train_forward_mode(x, y, init))
    t_bp, runs_bp = median_seconds(lambda: train_backprop(x, y, init))

    epoch_losses = [float(np.mean(b)) for b in log_fwd.batch_losses]
    fixture = {
        'description': "The brief's training run (FeedForward(30, 50) on breast cancer, x / x.max(), batches of 128, "
                       'lr 0.1, 20 epochs, log loss, plain gradient descent) by an independent NumPy implementation '
                       "of the brief's forward-mode design, float64.",
        'generator': {
            'command': 'npm run fixtures  (/usr/bin/python3 scripts/brief_numpy.py)',
            'script': 'scripts/brief_numpy.py',
            'python': platform.python_version(),
            'numpy': np.__version__,
        },
        'config': {
            'data': 'data/breast_cancer.csv', 'samples': int(x.shape[0]), 'features': int(x.shape[1]), 'xMax': x_max,
            'hidden': HIDDEN, 'lr': LR, 'batchSize': BATCH, 'epochs': EPOCHS,
            'init': f'numpy.random.default_rng({SEED}).standard_normal, drawn in the order {list(PARAM_NAMES)}',
        },
        'initialWeights': weights_json(init),
        'epochLosses': epoch_losses,
        'batchLosses': log_fwd.batch_losses,
        'finalWeights': weights_json(final_fwd),
        'pHitZeroOrOne': log_fwd.p_hit_0_or_1 or log_bp.p_hit_0_or_1,
        'crossCheck': {
            'method': 'the same run by hand-written backpropagation',
            'maxBatchLossDiff': loss_diff,
            'maxFinalWeightDiff': weight_diff,
        },
        'timings': {
            'note': f'seconds for all {EPOCHS} epochs, median of {TIMING_REPEATS} runs, on the machine that made the fixture',
            'numpyForwardModeDesign': {'median': t_fwd, 'runs': runs_fwd},
            'numpyHandBackprop': {'median': t_bp, 'runs': runs_bp},
            'machine': f'{platform.machine()} {platform.system()}, numpy {np.__version__}',
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1, allow_nan=False) + '\n')
    print(f'wrote {OUT.relative_to(ROOT)}: epoch losses {epoch_losses[0]:.6f} .. {epoch_losses[-1]:.6f}; '
          f'forward-mode design {t_fwd:.2f} s, backprop {t_bp:.3f} s; agreement {max(loss_diff, weight_diff):.1e}',
          file=sys.stderr)


if __name__ == '__main__':
    main()
