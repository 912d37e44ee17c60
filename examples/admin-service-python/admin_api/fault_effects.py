"""The side effects of the fault knobs (see faults.py): sleeps, CPU spin, short-lived garbage,
extra database round trips, a real leak, 500s."""

from __future__ import annotations

import itertools
import math
import time
from typing import Callable

from .faults import ErrorGate, FaultPlan

# Retained on purpose: the `leak` knob. Module-level, never cleared.
_leaked: list[bytes] = []
_fill = itertools.count(1)

# Traced bytes of one piece of garbage below: a 2-tuple, two ints beyond the small-int cache
# and a list slot (measured with tracemalloc on CPython 3.11).
SCRAP_BYTES = 120


def churn(kb: float) -> int:
    """About `kb` KB of small objects, built, read once and dropped; returns a checksum, so all of
    them are really used. Tuples are tracked by the cyclic GC, whose young generation then runs
    as it would under a wasteful handler."""
    pieces = math.ceil(kb * 1024 / SCRAP_BYTES)
    scraps = [(i, (i * 31) & 0xFFFF | 0x10000) for i in range(pieces)]
    return sum(value for _, value in scraps)


def spin(ms: float) -> None:
    """CPU-bound on purpose: pure Python holds the GIL (other threads get it only at the
    interpreter's switch interval), as a CPU-heavy handler would."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass


def leak(kb: float) -> None:
    # bytes * n fills the memory, so the pages are really touched and show up in RSS.
    _leaked.append(bytes([next(_fill) & 0xFF]) * round(kb * 1024))


class FaultEffects:
    """Applied after auth and validation, before the handler."""

    def __init__(self, plan: FaultPlan) -> None:
        self._plan = plan
        self._gate = ErrorGate(plan.error_rate)
        self.active = plan.any()

    def apply(self, op: str, roundtrip: Callable[[], None]) -> bool:
        """Run the knobs of `op`; False when this request is to fail with an injected 500."""
        plan = self._plan
        if op != 'health' and self._gate.next():
            return False
        leak_kb = (plan.leak_kb if op != 'health' else 0) + plan.leak_kb_by_op.get(op, 0)
        if leak_kb > 0:
            leak(leak_kb)
        alloc_kb = plan.alloc_kb.get(op)
        if alloc_kb is not None:
            churn(alloc_kb)
        busy = plan.busy_ms.get(op)
        if busy is not None:
            spin(busy)
        for _ in range(plan.roundtrips.get(op, 0)):
            roundtrip()
        slow = plan.slow_ms.get(op)
        if slow is not None:
            time.sleep(slow / 1000)
        return True
