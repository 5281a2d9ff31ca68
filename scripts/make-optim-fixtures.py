#!/usr/bin/env python3
"""Reference optimizer trajectories from PyTorch, written to test/fixtures/optim.json.

Two parameters (a [3, 2] matrix and a [2] vector) start from fixed values; for each of
STEPS steps every parameter gets a fixed gradient (drawn once with a seeded NumPy
generator) and the optimizer steps. The vector gets no gradient (None) at step 2, which
the optimizers must skip without advancing its state. The fixture holds the initial values,
the gradients, and each configuration's parameter values after every step; also the
learning rates of StepLR and CosineAnnealingLR over a few epochs.

Run: /usr/bin/python3 scripts/make-optim-fixtures.py  (tests never need Python).
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / 'test' / 'fixtures' / 'optim.json'
STEPS = 5
SKIP = (1, 2)  # (parameter index, step index) with grad = None

CONFIGS = [
    ('sgd', 'SGD', {'lr': 0.1}),
    ('sgd-weight-decay', 'SGD', {'lr': 0.1, 'weight_decay': 0.05}),
    ('sgd-momentum', 'SGD', {'lr': 0.1, 'momentum': 0.9}),
    ('sgd-momentum-dampening', 'SGD', {'lr': 0.1, 'momentum': 0.9, 'dampening': 0.3, 'weight_decay': 0.01}),
    ('sgd-nesterov', 'SGD', {'lr': 0.1, 'momentum': 0.9, 'nesterov': True}),
    ('sgd-nesterov-weight-decay', 'SGD', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True, 'weight_decay': 0.1}),
    ('adam', 'Adam', {'lr': 0.1}),
    ('adam-defaults', 'Adam', {}),
    ('adam-betas-eps', 'Adam', {'lr': 0.05, 'betas': (0.8, 0.99), 'eps': 1e-3}),
    ('adam-weight-decay', 'Adam', {'lr': 0.1, 'weight_decay': 0.1}),
    ('adam-amsgrad', 'Adam', {'lr': 0.1, 'amsgrad': True}),
    ('adamw', 'AdamW', {'lr': 0.1}),
    ('adamw-defaults', 'AdamW', {}),
    ('adamw-weight-decay', 'AdamW', {'lr': 0.1, 'weight_decay': 0.5}),
]

# PyTorch option names -> tensorgrad's
RENAME = {'weight_decay': 'weightDecay'}


def main() -> None:
    rng = np.random.default_rng(7)
    init = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    grads = [[rng.standard_normal(p.shape) for p in init] for _ in range(STEPS)]

    cases = []
    for name, cls, opts in CONFIGS:
        params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in init]
        opt = getattr(torch.optim, cls)(params, **opts)
        trajectory = []
        for step in range(STEPS):
            opt.zero_grad(set_to_none=True)
            for i, p in enumerate(params):
                p.grad = None if (i, step) == SKIP else torch.tensor(grads[step][i], dtype=torch.float64)
            opt.step()
            trajectory.append([p.detach().numpy().reshape(-1).tolist() for p in params])
        options = {RENAME.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in opts.items()}
        cases.append({'name': name, 'optimizer': cls, 'options': options, 'trajectory': trajectory})

    schedules = []
    for name, make, opts in [
        ('step', lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), {'stepSize': 3, 'gamma': 0.5}),
        ('cosine', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=6, eta_min=0.01), {'tMax': 6, 'etaMin': 0.01}),
    ]:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
        sched = make(opt)
        lrs = [opt.param_groups[0]['lr']]
        for _ in range(6):
            opt.step()
            sched.step()
            lrs.append(opt.param_groups[0]['lr'])
        schedules.append({'name': name, 'lr': 0.2, 'options': opts, 'lrs': lrs})

    fixture = {
        'description': 'Parameter values after each optimizer step, computed with PyTorch in float64.',
        'generator': {'script': 'scripts/make-optim-fixtures.py', 'python': platform.python_version(), 'torch': torch.__version__},
        'shapes': [list(p.shape) for p in init],
        'init': [p.reshape(-1).tolist() for p in init],
        'grads': [[None if (i, s) == SKIP else g.reshape(-1).tolist() for i, g in enumerate(step)] for s, step in enumerate(grads)],
        'cases': cases,
        'schedules': schedules,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1, allow_nan=False) + '\n')
    print(f'wrote {OUT.relative_to(ROOT)}: {len(cases)} optimizer cases, {len(schedules)} schedules')


if __name__ == '__main__':
    main()
