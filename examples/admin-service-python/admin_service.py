"""Entry: env -> config -> storage, server -> one ready line; SIGTERM/SIGINT -> clean exit 0.

    PORT=8000 python3 examples/admin-service-python/admin_service.py
"""

from __future__ import annotations

import os
import signal
import sys
import threading

from admin_api.config import Config, ConfigError, parse_config
from admin_api.fault_effects import FaultEffects
from admin_api.routes import AdminApi
from admin_api.server import AdminServer
from admin_api.storage import SqliteStorage

STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def fail(message: str, code: int) -> int:
    sys.stderr.write(f'admin-service: {message}\n')
    return code


def serve(config: Config) -> int:
    # Blocked in every thread (threads inherit the mask) and taken by sigwait below: a Python
    # signal handler would raise into whatever the main thread is doing, and socketserver
    # swallows exceptions around starting a connection's thread.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        storage = SqliteStorage(config.sqlite_path)
    except Exception as err:  # whatever keeps the database from opening
        return fail(f'startup failed: sqlite: {err}', 1)
    try:
        server = AdminServer(
            config.host, config.port, AdminApi(storage), config.token, FaultEffects(config.faults)
        )
    except OSError as err:
        storage.close()
        return fail(f'cannot listen on {config.host}:{config.port}: {err}', 1)
    accept = threading.Thread(target=server.serve_forever, args=(0.1,), name='accept', daemon=True)
    accept.start()
    port = server.server_address[1]
    host = f'[{config.host}]' if ':' in config.host else config.host
    print(
        f'admin-service listening on http://{host}:{port} (storage={storage.kind}, cache=none)',
        flush=True,
    )
    signal.sigwait(STOP_SIGNALS)
    server.stopping = True
    server.shutdown()  # the accept loop ends within its poll interval (0.1 s)
    server.server_close()
    storage.close()
    return 0


def main() -> int:
    try:
        config = parse_config(os.environ)
    except ConfigError as err:
        return fail(f'config error: {err}', 2)
    return serve(config)


if __name__ == '__main__':
    sys.exit(main())
