"""Environment -> validated configuration, with errors that name the variable."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from .faults import FaultPlan, FaultSpecError, parse_faults


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    token: str
    sqlite_path: str
    faults: FaultPlan


# The Node example's backends that this one does not have: refused, so a run meant for
# Postgres or Redis does not quietly measure SQLite.
UNSUPPORTED = ('DATABASE_URL', 'REDIS_URL')


def _non_empty(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name)
    return None if raw is None or raw.strip() == '' else raw.strip()


def _int_var(env: Mapping[str, str], name: str, fallback: int, low: int, high: int) -> int:
    raw = _non_empty(env, name)
    if raw is None:
        return fallback
    if not re.fullmatch(r'\d+', raw):
        raise ConfigError(f'{name} must be an integer, got "{env[name]}"')
    n = int(raw)
    if n < low or n > high:
        raise ConfigError(f'{name} must be in {low}..{high}, got {n}')
    return n


def parse_config(env: Mapping[str, str]) -> Config:
    for name in UNSUPPORTED:
        if _non_empty(env, name) is not None:
            raise ConfigError(
                f'{name} is not supported: this example runs on SQLite only '
                '(the Node example has Postgres and Redis)'
            )
    try:
        faults = parse_faults(env.get('ADMIN_SERVICE_FAULTS'))
    except FaultSpecError as err:
        raise ConfigError(str(err)) from None
    # LOADGATE_SIDE (base or head) is accepted and unused: an in-memory SQLite is already each
    # process's own.
    return Config(
        host=_non_empty(env, 'HOST') or '127.0.0.1',
        port=_int_var(env, 'PORT', 8000, 0, 65535),
        token=_non_empty(env, 'ADMIN_API_TOKEN') or 'test_superuser_token',
        sqlite_path=_non_empty(env, 'SQLITE_PATH') or ':memory:',
        faults=faults,
    )
