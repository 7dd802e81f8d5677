"""The production web server `mediahub run` starts: granian, in WSGI mode.

Chosen by measurement (bench/bench_servers.py, figures in bench/README.md):
granian's HTTP layer is written in Rust and hands each request to Python
only for the application itself, so a feed poll costs a fraction of what it
costs under gunicorn's sync workers (which also close every connection), and
upload bodies are read as they arrive.
"""

from __future__ import annotations

import os

#: Application threads per web process: uploads and slow clients each hold one
#: while their bytes arrive, so a few more than cores.
DEFAULT_THREADS = 8


def default_workers() -> int:
    """One web process per core (at least two: one may be busy in a long request)."""
    return max(2, os.cpu_count() or 1)


def granian_args(
    host: str, port: int, *, workers: int, threads: int = DEFAULT_THREADS
) -> list[str]:
    """granian's command-line options for our WSGI application."""
    return [
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--http",
        "1",
        "--log-level",
        "warning",
    ]
