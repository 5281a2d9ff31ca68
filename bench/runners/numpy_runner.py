"""NumPy runner: the brief's forward-mode design and the hand-written backprop, both from
scripts/brief_numpy.py (imported, not copied), and a float32 matmul through NumPy's BLAS.

Named numpy_runner.py, not numpy.py: a script's folder comes first on sys.path, so `import numpy`
would find the script itself."""

from __future__ import annotations

import ctypes
import os
import sys

import numpy as np

from protocol import FIXTURE, NAMES, ROOT, serve, time_it

sys.path.insert(0, str(ROOT / 'scripts'))
import brief_numpy  # noqa: E402  (the independent implementation of the brief's design)


def loaded_blas() -> str:
    """The BLAS libraries this process has mapped (after a matmul has run), from /proc/self/maps."""
    try:
        with open('/proc/self/maps') as maps:
            paths = {line.split()[-1] for line in maps if 'blas' in line.lower() and '/' in line}
    except OSError:
        return 'unknown (no /proc/self/maps)'
    real = sorted({os.path.realpath(p) for p in paths})
    for p in real:
        if 'openblas' in p.lower():
            lib = ctypes.CDLL(p)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return (f'OpenBLAS, kernel {lib.openblas_get_corename().decode()}, {lib.openblas_get_num_threads()} threads '
                    f'({lib.openblas_get_config().decode().strip()}): {p}')
    return f"not OpenBLAS (the reference BLAS unless the path says otherwise): {', '.join(real) or 'none mapped'}"


X_RAW, Y = brief_numpy.load_breast_cancer()
X = X_RAW / X_RAW.max()
INIT = {k: np.array(FIXTURE['initialWeights'][k]['data'], dtype=np.float64).reshape(FIXTURE['initialWeights'][k]['shape']) for k in NAMES}


def with_epochs(epochs: int, fn):
    """brief_numpy trains for its module's EPOCHS; set it for one call."""
    saved = brief_numpy.EPOCHS
    brief_numpy.EPOCHS = epochs
    try:
        return fn()
    finally:
        brief_numpy.EPOCHS = saved


def brief(fn):
    def handler(_variant: str, req: dict) -> dict:
        epochs = req['params']['epochs']
        warm = req['params'].get('warmupEpochs', epochs)

        def run(_ctx):
            return with_epochs(epochs, lambda: fn(X, Y, INIT))

        times, last = time_it(run, warmup=req['warmup'], reps=req['reps'],
                              warmup_run=lambda _c: with_epochs(warm, lambda: fn(X, Y, INIT)))
        _weights, log = last
        return {'times': times, 'check': {'loss': float(log.batch_losses[-1][-1])}}
    return handler


_rng = np.random.default_rng(5)
MM_A = _rng.standard_normal((1024, 1024), dtype=np.float32)
MM_B = _rng.standard_normal((1024, 1024), dtype=np.float32)


def matmul(_variant: str, req: dict) -> dict:
    times, _ = time_it(lambda _c: MM_A @ MM_B, warmup=req['warmup'], reps=req['reps'])
    return {'times': times}


MM_A @ MM_B  # load the BLAS before asking which one it is
KERNEL = loaded_blas()
serve(
    {
        'lib': 'numpy',
        'version': np.__version__,
        'variants': [
            {'workload': 'brief-f64', 'variant': 'backprop', 'label': f'NumPy {np.__version__} hand-written backprop', 'dtype': 'float64'},
            {'workload': 'brief-forward', 'variant': 'design', 'label': f"NumPy {np.__version__}, the brief's forward-mode design", 'dtype': 'float64'},
            {'workload': 'matmul', 'variant': 'blas', 'label': f'NumPy {np.__version__} matmul ({"OpenBLAS" if KERNEL.startswith("OpenBLAS") else "reference BLAS"})', 'dtype': 'float32'},
        ],
        'notes': [f'NumPy BLAS: {KERNEL}'],
        'info': {'blas': KERNEL, 'openblas': KERNEL.startswith('OpenBLAS'), 'python': sys.version.split()[0]},
    },
    {
        'brief-f64': brief(brief_numpy.train_backprop),
        'brief-forward': brief(brief_numpy.train_forward_mode),
        'matmul': matmul,
    },
)
