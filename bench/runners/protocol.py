"""The runner side of the benchmark protocol for the Python runners (see bench/README.md).

One JSON line `{"type": "hello", ...}` on stdout, then one JSON line per request line read
from stdin. Everything else goes to stderr.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((ROOT / 'test' / 'fixtures' / 'brief-training.json').read_text())
NAMES = ('inLayer.weight', 'inLayer.bias', 'outLayer.weight', 'outLayer.bias')

_out = sys.stdout
sys.stdout = sys.stderr  # a stray print must not break the protocol


def send(msg: dict[str, Any]) -> None:
    _out.write(json.dumps(msg) + '\n')
    _out.flush()


def time_it(run: Callable[[Any], Any], setup: Callable[[], Any] = lambda: None, warmup: int = 1, reps: int = 1,
            inner: int = 1, warmup_run: Callable[[Any], Any] | None = None) -> tuple[list[float], Any]:
    """Milliseconds per sample (inner calls timed together and divided), and run's last value."""
    for _ in range(warmup):
        (warmup_run or run)(setup())
    times: list[float] = []
    last = None
    for _ in range(reps):
        ctx = setup()
        t0 = time.perf_counter()
        for _ in range(inner):
            last = run(ctx)
        times.append((time.perf_counter() - t0) * 1000 / inner)
    return times, last


def serve(hello: dict[str, Any], handlers: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]]) -> None:
    send({'type': 'hello', **hello})
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get('op') == 'quit':
            break
        try:
            handler = handlers[req['workload']]
            send({'id': req['id'], **handler(req['variant'], req)})
        except Exception as e:  # reported to the orchestrator, which prints it
            traceback.print_exc(file=sys.stderr)
            send({'id': req['id'], 'error': f'{type(e).__name__}: {e}'})
