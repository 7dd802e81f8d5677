"""The production web server `mediahub run` and `mediahub web` start: granian (WSGI).

Chosen by measurement (bench/bench_servers.py, figures in bench/README.md):
granian's HTTP layer is written in Rust and hands each request to Python
only for the application itself; it keeps connections alive and reads
upload bodies as they arrive. Under the same load it answered a feed's 304
about eight times as often as gunicorn's sync workers, and served the full
feed as fast as nginx.

``mediahub run`` starts the worker beside it (in a session of its own, so a
Ctrl-C in the terminal reaches it only through us) and stops it after the
web server: SIGTERM, and the worker releases a running audio job for the
next start (see mediahub.media.processing).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence

from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels
from granian.server import Server

log = logging.getLogger(__name__)

#: Application threads per web process: an upload or a slow client holds one
#: while its bytes arrive, so a few more than cores.
DEFAULT_THREADS = 8
#: The application granian loads in each web process.
TARGET = "mediahub:create_app"
#: One access log line: no client address, no time (the terminal shows it as it comes).
ACCESS_FORMAT = "%(method)s %(path)s %(status)d"
#: How long the worker may take to hand back its job and stop.
WORKER_STOP_SECONDS = 60


def default_workers() -> int:
    """One web process per core, at least two (one may be busy in a long request)."""
    return max(2, os.cpu_count() or 1)


def granian_args(
    host: str, port: int, *, workers: int, threads: int = DEFAULT_THREADS
) -> list[str]:
    """granian's command-line options for our application (bench_servers.py uses them)."""
    return [
        "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads),
        "--no-ws", "--http", "1", "--log-level", "warning",
        "--factory",
    ]  # fmt: skip


def serve(
    host: str,
    port: int,
    *,
    workers: int,
    threads: int = DEFAULT_THREADS,
    access_log: bool = False,
    on_startup: Sequence[Callable[[], object]] = (),
    on_shutdown: Sequence[Callable[[], object]] = (),
) -> None:
    """Serve the application until SIGINT or SIGTERM; requests in flight are finished.

    ``access_log``: one line per request (method, path, status), never the
    client's address (it is personal data); for ``mediahub run``.
    """
    server = Server(
        TARGET,
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        websockets=False,
        http=HTTPModes.http1,
        log_level=LogLevels.warning,
        log_access=access_log,
        log_access_format=ACCESS_FORMAT,
        workers_kill_timeout=30,
    )
    _workers_in_own_groups()
    logging.getLogger("_granian").addFilter(_chosen_threads)
    for hook in on_startup:
        server.on_startup(hook)
    for hook in on_shutdown:
        server.on_shutdown(hook)
    server.serve()


def _chosen_threads(record: logging.LogRecord) -> bool:
    """Leave out granian's warning about more threads than cores: the threads
    wait for uploads and slow clients, not for the processor (DEFAULT_THREADS)."""
    return "Python threads" not in record.getMessage()


_forks_hooked = False


def _workers_in_own_groups() -> None:
    """Each web process granian forks leaves our process group.

    A Ctrl-C in the terminal signals the whole foreground group. Web
    processes that got it themselves while the server was already stopping
    them hung until granian's kill timeout (30 s); in groups of their own
    only the server gets it, and it stops them in order (SIGTERM, requests
    in flight answered).
    """
    global _forks_hooked
    if not _forks_hooked:
        os.register_at_fork(after_in_child=_leave_group)
        _forks_hooked = True


def _leave_group() -> None:
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)


class BackgroundWorker:
    """``mediahub worker`` as a child of ``mediahub run``."""

    def __init__(self, args: Sequence[str] = ()) -> None:
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "mediahub.cli", "worker", *self.args],
            # Its own session: a Ctrl-C in the terminal must not reach it
            # directly (Huey would then wait for a long transcode to finish).
            start_new_session=True,
        )

    def stop(self, timeout: float = WORKER_STOP_SECONDS) -> int | None:
        """SIGTERM (the worker releases its job), then wait; kill when it hangs."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else None
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("the worker did not stop within %s s; killed", timeout)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()
