"""PyTorch runner (CPU): the brief's model in float64 and float32, the MLP step on one
thread, and a float32 matmul on one thread and on all cores. Written as a PyTorch user
would: nn.Linear / nn.Sequential, BCELoss / CrossEntropyLoss, optim.SGD.

Named torch_runner.py, not torch.py: a script's folder comes first on sys.path, so `import torch`
would find the script itself."""

from __future__ import annotations

import os
import re
import sys

import torch

from protocol import FIXTURE, NAMES, ROOT, serve, time_it

CORES = os.cpu_count() or 1


def threads(n: int) -> None:
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


# --- the brief's model ------------------------------------------------------------------------

def load_breast_cancer() -> tuple[torch.Tensor, torch.Tensor]:
    lines = (ROOT / 'data' / 'breast_cancer.csv').read_text().strip().splitlines()
    n, d = (int(v) for v in lines[0].split(',')[:2])
    rows = torch.tensor([[float(v) for v in line.split(',')] for line in lines[1:]], dtype=torch.float64)
    assert rows.shape == (n, d + 1)
    x = rows[:, :d]
    return x / x.max(), rows[:, d:].clone()


X64, Y64 = load_breast_cancer()
DATA = {torch.float64: (X64, Y64), torch.float32: (X64.float(), Y64.float())}


def brief_model(dtype: torch.dtype) -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    w = {k: torch.tensor(FIXTURE['initialWeights'][k]['data'], dtype=dtype).reshape(FIXTURE['initialWeights'][k]['shape']) for k in NAMES}
    hidden = FIXTURE['config']['hidden']
    model = torch.nn.Sequential(torch.nn.Linear(30, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1), torch.nn.Sigmoid()).to(dtype)
    with torch.no_grad():  # the fixture stores weights input-major (x @ W): transpose into nn.Linear's layout
        model[0].weight.copy_(w['inLayer.weight'].T)
        model[0].bias.copy_(w['inLayer.bias'].reshape(-1))
        model[2].weight.copy_(w['outLayer.weight'].T)
        model[2].bias.copy_(w['outLayer.bias'].reshape(-1))
    return model, torch.optim.SGD(model.parameters(), lr=FIXTURE['config']['lr'])


def brief_train(ctx) -> float:
    model, opt, x, y, epochs = ctx
    loss_fn = torch.nn.BCELoss()
    bs = FIXTURE['config']['batchSize']
    n = x.shape[0]
    last = None
    for _ in range(epochs):
        for s in range(0, n, bs):
            loss = loss_fn(model(x[s:s + bs]), y[s:s + bs])
            opt.zero_grad()
            loss.backward()
            opt.step()
            last = loss
    return float(last.item())


def brief(dtype: torch.dtype):
    def handler(_variant: str, req: dict) -> dict:
        threads(1)
        x, y = DATA[dtype]
        epochs = req['params']['epochs']

        def setup():
            model, opt = brief_model(dtype)
            return model, opt, x, y, epochs
        times, last = time_it(brief_train, setup, warmup=req['warmup'], reps=req['reps'])
        return {'times': times, 'check': {'loss': last}}
    return handler


# --- MLP 784-256-256-10 -------------------------------------------------------------------------

_mlp = None


def mlp():
    global _mlp
    if _mlp is None:
        g = torch.Generator().manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
        x = torch.randn(128, 784, generator=g)
        y = torch.tensor([(i * 7 + 3) % 10 for i in range(128)])
        _mlp = (model, torch.optim.SGD(model.parameters(), lr=0.01), torch.nn.CrossEntropyLoss(), x, y)
    return _mlp


def mlp_step(ctx) -> float:
    model, opt, loss_fn, x, y = ctx
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


def mlp_handler(_variant: str, req: dict) -> dict:
    threads(1)
    ctx = mlp()
    times, last = time_it(mlp_step, lambda: ctx, warmup=req['warmup'], reps=req['reps'], inner=req['params']['inner'])
    return {'times': times, 'check': {'loss': float(last.item())}}


# --- matmul -------------------------------------------------------------------------------------

_g = torch.Generator().manual_seed(5)
MM_A = torch.randn(1024, 1024, generator=_g)
MM_B = torch.randn(1024, 1024, generator=_g)


def matmul(variant: str, req: dict) -> dict:
    threads(1 if variant == '1t' else CORES)
    times, _ = time_it(lambda _c: MM_A @ MM_B, warmup=req['warmup'], reps=req['reps'])
    return {'times': times}


threads(1)
ver = torch.__version__
config = torch.__config__.show()
blas_info = re.search(r'BLAS_INFO=(\w+)', config)
blas = f'BLAS_INFO={blas_info.group(1)}' if blas_info else 'BLAS_INFO unknown'
MM_A @ MM_B  # load the BLAS, then see which library that was
with open('/proc/self/maps') as maps:
    mapped = sorted({os.path.realpath(line.split()[-1]) for line in maps if 'blas' in line.lower() and '/' in line})
serve(
    {
        'lib': 'torch',
        'version': ver,
        'variants': [
            {'workload': 'brief-f64', 'variant': 'f64', 'label': f'PyTorch {ver} float64, 1 thread', 'dtype': 'float64'},
            {'workload': 'brief-f32', 'variant': 'f32', 'label': f'PyTorch {ver} float32, 1 thread', 'dtype': 'float32'},
            {'workload': 'mlp-step', 'variant': '1t', 'label': f'PyTorch {ver}, 1 thread', 'dtype': 'float32'},
            {'workload': 'matmul', 'variant': '1t', 'label': f'PyTorch {ver}, 1 thread', 'dtype': 'float32'},
            {'workload': 'matmul', 'variant': f'{CORES}t', 'label': f'PyTorch {ver}, {CORES} threads', 'dtype': 'float32'},
        ],
        'notes': [f"PyTorch {blas}; BLAS libraries mapped: {', '.join(mapped) or 'none'}", 'PyTorch runs on 1 thread except the all-cores matmul'],
        'info': {'blas': blas, 'mapped': mapped, 'openblas': any('openblas' in m.lower() for m in mapped), 'python': sys.version.split()[0], 'cores': CORES},
    },
    {
        'brief-f64': brief(torch.float64),
        'brief-f32': brief(torch.float32),
        'mlp-step': mlp_handler,
        'matmul': matmul,
    },
)
