"""Serving for ``mediahub run``: the web server and the worker together,
started and stopped as one program.

Ctrl-C (SIGINT) or SIGTERM stops the web server, asks the worker to finish
its running tasks and waits for it (a worker that hangs is killed after
``WORKER_GRACE`` seconds); the command then exits with status 0. The output
stays short: one line per request, without the client's address, and in
colour only on a terminal.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

#: Seconds the worker gets to finish its running tasks after being asked to stop.
WORKER_GRACE = 15

log = logging.getLogger("werkzeug")


def _request_log() -> None:
    # Werkzeug adds a handler only when it logs through its own helper.
    if not log.handlers:
        log.addHandler(logging.StreamHandler())
    log.setLevel(logging.INFO)


def base_url_for(configured: str, default: str, host: str, port: int) -> str:
    """The public address: the configured one, or — when nobody set one —
    the address the server really listens on, so links name that port."""
    if configured.rstrip("/") != default.rstrip("/"):
        return configured
    shown = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - a name to show
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class RequestLog(WSGIRequestHandler):
    """One line per request: method, path, status. Colour codes only on a
    terminal; never the client's address (it is personal data)."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        if sys.stderr.isatty():
            super().log_request(code, size)
            return
        status = getattr(code, "value", code)
        log.info("%s %s", self.requestline, status)

    def log(self, type: str, message: str, *args: Any) -> None:
        getattr(log, type)(message.rstrip(), *args)


class _Stop(BaseException):
    """Raised in the main thread by the SIGTERM handler. Not an ``Exception``,
    like ``KeyboardInterrupt``: socketserver catches and logs every
    ``Exception`` raised while it takes a request, so a SIGTERM that came
    just then was swallowed and the server went on serving."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_worker(worker: subprocess.Popen[bytes], grace: float = WORKER_GRACE) -> int:
    """Ask the worker to stop after its running tasks (SIGINT: Huey's
    graceful shutdown); kill it if it has not gone after ``grace`` seconds,
    or at once on a second Ctrl-C."""
    if worker.poll() is None:
        worker.send_signal(signal.SIGINT)
    try:
        return worker.wait(timeout=grace)
    except (subprocess.TimeoutExpired, KeyboardInterrupt, _Stop):
        worker.kill()
        return worker.wait()


def serve(
    app: Any,
    host: str,
    port: int,
    worker_command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Serve ``app`` and run the worker until Ctrl-C or SIGTERM; then stop both.

    Raises:
        OSError: the port is taken (nothing was started then).
    """
    server = make_server(host, port, app, threaded=True, request_handler=RequestLog)
    _request_log()
    worker = subprocess.Popen(list(worker_command), env=env)
    try:
        with _stop_on_sigterm():
            if on_ready is not None:
                on_ready()
            server.serve_forever()
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        server.server_close()
        with _stop_on_sigterm():
            stop_worker(worker)
