"""Prometheus metrics: request latency, queue depth, job durations and
failures, storage errors — ``GET /metrics`` in Prometheus' text format.

The web server runs several processes and the worker its own; they all
write their numbers into one folder (``PROMETHEUS_MULTIPROC_DIR``, made
fresh by ``mediahub run``, ``web`` and ``worker``), and ``/metrics`` on any
web process adds them up for the machine. Queue depth and the media
assets by state are read when scraped (they are the same for every
machine). A worker machine without a web server serves its own numbers
with ``mediahub worker --metrics-port``.

Who may read them: a request with ``Authorization: Bearer <METRICS_TOKEN>``,
or — without a token configured or given — a request made straight to the
server (no ``X-Forwarded-For`` or ``Forwarded``: not through a proxy) from an
address in ``METRICS_ALLOW_FROM`` (loopback by default). Nothing else sees
that the endpoint exists (404).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Request latencies from a feed's 304 (well under a millisecond) to an upload.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120)

REQUEST_SECONDS = Histogram(
    "mediahub_http_request_duration_seconds",
    "Time to answer a request (until the answer starts), by endpoint and status.",
    ["method", "endpoint", "status"],
    buckets=BUCKETS,
)
JOB_SECONDS = Histogram(
    "mediahub_job_duration_seconds",
    "Time a background job ran, by task.",
    ["task"],
    buckets=(0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 1800, 3600),
)
JOB_FAILURES = Counter(
    "mediahub_job_failures_total", "Background jobs that failed, by task.", ["task"]
)
STORAGE_ERRORS = Counter(
    "mediahub_storage_errors_total", "Failed storage operations, by action.", ["action"]
)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def prepare_folder() -> str:
    """Make a fresh folder for this machine's processes' numbers (before they start).

    Returns the folder; it is also put into the environment, which the
    processes started afterwards inherit.
    """
    folder = os.environ.get(ENV)
    if folder:
        # Numbers of processes from an earlier start are stale: begin empty.
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True, exist_ok=True)
    else:
        folder = tempfile.mkdtemp(prefix="mediahub-metrics-")
        os.environ[ENV] = folder
    # The kind of value is chosen when prometheus_client is imported, which
    # was before the folder was known: choose again, so that the processes
    # forked from here (the web processes) write into the folder.
    values.ValueClass = values.get_value_class()
    return folder


class RequestTimer:
    """WSGI middleware: every request's time until the answer starts.

    The endpoint comes from ``environ["mediahub.endpoint"]`` (Flask's
    endpoint name, or ``feeds.public`` from the feed responder): never the
    path, which may hold a listener's secret token.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        # The histogram's children by (method, endpoint, status): prometheus'
        # own look-up (``labels``) cost more than the observation.
        self._children: dict[tuple[str, str, str], Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start = time.perf_counter()
        status = ["500"]

        def timed_start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = code[:3]
            return start_response(code, headers, exc_info)

        try:
            return self.app(environ, timed_start)
        finally:
            method = environ.get("REQUEST_METHOD", "")
            key = (
                method if method in _METHODS else "other",
                environ.get("mediahub.endpoint", "none"),
                status[0],
            )
            child = self._children.get(key)
            if child is None:
                child = self._children[key] = REQUEST_SECONDS.labels(*key)
            child.observe(time.perf_counter() - start)


def may_read(environ: dict[str, Any], token: str | None, allowed: Iterable[str]) -> bool:
    """Whether this request may read the metrics (see the module's text)."""
    given = environ.get("HTTP_AUTHORIZATION", "")
    if token:
        return given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip(), token)
    if environ.get("HTTP_X_FORWARDED_FOR") or environ.get("HTTP_FORWARDED"):
        return False  # through a proxy: the address is the proxy's, not the client's
    try:
        address = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in allowed)


class LiveFigures:
    """Read when scraped: the queue's depth and the media assets by state."""

    def __init__(self, pending: Callable[[], int], assets: Callable[[], dict[str, int]]) -> None:
        self.pending, self.assets = pending, assets

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily("mediahub_queue_depth", "Jobs waiting in the queue.")
        try:
            depth.add_metric([], self.pending())
        except Exception:  # noqa: S110 - an unreachable queue shows as a missing figure
            pass
        else:
            yield depth
        states = GaugeMetricFamily(
            "mediahub_media_assets", "Media files by processing state.", labels=["state"]
        )
        try:
            for state, count in sorted(self.assets().items()):
                states.add_metric([state], count)
        except Exception:  # noqa: S110 - the database's own errors are reported elsewhere
            pass
        else:
            yield states


def render(live: LiveFigures | None = None) -> bytes:
    """The text of ``/metrics``: this machine's processes added up, and the live figures."""
    registry = CollectorRegistry()
    if os.environ.get(ENV):
        MultiProcessCollector(registry)
    else:  # one process (tests, the development server)
        registry = REGISTRY
    text = generate_latest(registry)
    if live is not None:
        extra = CollectorRegistry()
        extra.register(live)
        text += generate_latest(extra)
    return text


def job_finished(task: str, seconds: float, failed: bool) -> None:
    """Record one background job (called from the worker's signal handler)."""
    JOB_SECONDS.labels(task).observe(seconds)
    if failed:
        JOB_FAILURES.labels(task).inc()


def mark_process_dead(pid: int) -> None:
    """Tell the multiprocess collector that a process ended (its gauges go)."""
    if os.environ.get(ENV):
        multiprocess.mark_process_dead(pid)


def init_app(app: Flask) -> None:
    """Time every request (put outside the feed responder by create_app's order)
    and name its endpoint for the histogram."""

    @app.before_request
    def _name_endpoint() -> None:
        request.environ["mediahub.endpoint"] = request.endpoint or "none"

    app.wsgi_app = RequestTimer(app.wsgi_app)  # type: ignore[method-assign]
