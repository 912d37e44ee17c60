"""Fault knobs (pure): parse ADMIN_SERVICE_FAULTS and decide, deterministically, which requests get
an injected 500. The same grammar and messages as the Node example's faults.ts; the side effects
live in fault_effects.py.

Grammar: comma-separated knobs, whitespace around them ignored.
  slow-<op>:<n>ms     n ms of time.sleep for that operation (waiting: the GIL is released)
  busy-<op>:<n>ms     n ms of CPU spin for that operation (holds the GIL)
  alloc-<op>:<n>kb    about n KB of short-lived Python objects per request of that operation
  roundtrip-<op>:<n>  n extra `SELECT 1` statements, one after another, per request
  leak:<n>kb          retain n KB per API request in a module-level list (a real leak)
  leak-<op>:<n>kb     the same, for one operation only (adds to `leak`)
  error-rate:<share>  answer that share (0..1) of API requests with 500, by fractional
                      accumulation: with 0.25 exactly every 4th request fails
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

OPERATIONS = (
    'create',
    'list',
    'search',
    'get',
    'update',
    'delete',
    'grant',
    'revoke',
    'permissions',
    'bulk',
    'health',
)

MAX_DELAY_MS = 60_000
MAX_LEAK_KB = 1024 * 1024
# Garbage is built and dropped within one request: 64 MB is already far beyond any real one.
MAX_ALLOC_KB = 64 * 1024
MAX_ROUNDTRIPS = 1000

_SHARE = re.compile(r'(?:0|1|0?\.\d+|1\.0+)')
_COUNT = re.compile(r'\d+')


class FaultSpecError(ValueError):
    def __init__(self, knob: str, reason: str) -> None:
        super().__init__(f'bad fault knob "{knob}" in ADMIN_SERVICE_FAULTS: {reason}')
        self.knob = knob


@dataclass
class FaultPlan:
    slow_ms: dict[str, float] = field(default_factory=dict)
    busy_ms: dict[str, float] = field(default_factory=dict)
    alloc_kb: dict[str, float] = field(default_factory=dict)
    roundtrips: dict[str, int] = field(default_factory=dict)
    leak_kb: float = 0
    leak_kb_by_op: dict[str, float] = field(default_factory=dict)
    error_rate: float = 0

    def any(self) -> bool:
        return bool(
            self.slow_ms
            or self.busy_ms
            or self.alloc_kb
            or self.roundtrips
            or self.leak_kb > 0
            or self.leak_kb_by_op
            or self.error_rate > 0
        )


def _amount(knob: str, raw: str, unit: str, limit: int) -> float:
    m = re.fullmatch(r'(\d+(?:\.\d+)?)' + unit, raw, re.IGNORECASE)
    if not m:
        raise FaultSpecError(knob, f'expected a number followed by "{unit}"')
    n = float(m.group(1))
    if n <= 0:
        raise FaultSpecError(knob, 'must be > 0')
    if n > limit:
        raise FaultSpecError(knob, f'must be at most {limit}{unit}')
    return n


def _count(knob: str, raw: str, limit: int) -> int:
    if not _COUNT.fullmatch(raw):
        raise FaultSpecError(knob, 'expected a whole number, e.g. 3')
    n = int(raw)
    if n <= 0:
        raise FaultSpecError(knob, 'must be > 0')
    if n > limit:
        raise FaultSpecError(knob, f'must be at most {limit}')
    return n


def _operation(knob: str, name: str, prefix: str) -> str:
    op = name[len(prefix) :]
    if op not in OPERATIONS:
        raise FaultSpecError(knob, f'unknown operation "{op}" (one of {", ".join(OPERATIONS)})')
    return op


def parse_faults(spec: str | None) -> FaultPlan:
    """Parse the knob list. Empty or None means no faults. Raises FaultSpecError."""
    plan = FaultPlan()
    if spec is None or spec.strip() == '':
        return plan
    seen: set[str] = set()
    for part in spec.split(','):
        knob = part.strip()
        if knob == '':
            raise FaultSpecError(part, 'empty knob (stray comma?)')
        colon = knob.find(':')
        if colon <= 0:
            raise FaultSpecError(knob, 'expected <name>:<value>')
        name = knob[:colon].strip().lower()
        value = knob[colon + 1 :].strip()
        if name in seen:
            raise FaultSpecError(knob, f'"{name}" given twice')
        seen.add(name)

        if name.startswith('slow-'):
            op = _operation(knob, name, 'slow-')
            plan.slow_ms[op] = _amount(knob, value, 'ms', MAX_DELAY_MS)
        elif name.startswith('busy-'):
            op = _operation(knob, name, 'busy-')
            plan.busy_ms[op] = _amount(knob, value, 'ms', MAX_DELAY_MS)
        elif name.startswith('alloc-'):
            op = _operation(knob, name, 'alloc-')
            plan.alloc_kb[op] = _amount(knob, value, 'kb', MAX_ALLOC_KB)
        elif name.startswith('roundtrip-'):
            op = _operation(knob, name, 'roundtrip-')
            plan.roundtrips[op] = _count(knob, value, MAX_ROUNDTRIPS)
        elif name == 'leak':
            plan.leak_kb = _amount(knob, value, 'kb', MAX_LEAK_KB)
        elif name.startswith('leak-'):
            op = _operation(knob, name, 'leak-')
            plan.leak_kb_by_op[op] = _amount(knob, value, 'kb', MAX_LEAK_KB)
        elif name == 'error-rate':
            if not _SHARE.fullmatch(value):
                raise FaultSpecError(knob, 'expected a share between 0 and 1, e.g. 0.02')
            plan.error_rate = float(value)
        else:
            raise FaultSpecError(
                knob,
                f'unknown knob "{name}" (slow-<op>, busy-<op>, alloc-<op>, roundtrip-<op>, '
                'leak, leak-<op>, error-rate)',
            )
    return plan


class ErrorGate:
    """Each call adds `rate` to an accumulator; when it reaches 1 the call fails and 1 is taken
    off. Same sequence of calls, same answers. Locked: requests arrive on many threads."""

    def __init__(self, rate: float) -> None:
        self._rate = rate
        self._acc = 0.0
        self._lock = threading.Lock()

    def next(self) -> bool:
        if self._rate <= 0:
            return False
        with self._lock:
            self._acc += self._rate
            if self._acc >= 1 - 1e-9:
                self._acc -= 1
                return True
            return False
