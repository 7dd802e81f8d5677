"""The ``mediahub`` command: a Flask CLI group with the platform's commands.

``mediahub run`` starts the production web server (granian,
:mod:`mediahub.web.server`) and the worker as one program: a short start
(the database in one line, the demo logins with their roles, the address),
links that name the chosen port, and Ctrl-C or SIGTERM stopping both with
exit status 0; ``--dev`` serves with werkzeug's development server instead
(:mod:`mediahub.web.serving`). ``mediahub web`` and ``mediahub worker`` run
the two halves on separate machines.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import socket
import sys
import time
from typing import Any

import click
from alembic import command
from alembic.migration import MigrationContext
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from huey.consumer import Consumer, Worker
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR, SIGNAL_EXECUTING
from prometheus_client import start_http_server

from mediahub import create_app
from mediahub.audio.ffmpeg import stop_all as stop_all_ffmpeg
from mediahub.core import logs as core_logs
from mediahub.core.config import DEFAULTS
from mediahub.core.extensions import db
from mediahub.core.queue import huey, stopping
from mediahub.feeds.cli import rebuild_and_report
from mediahub.site.demo import load_demo
from mediahub.web import metrics as web_metrics
from mediahub.web import serving
from mediahub.web.server import BackgroundWorker, default_workers, serve

log = logging.getLogger("mediahub.worker")


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """MediaHub: podcast and blog publishing for self-help groups.

    The platform's own commands are here; each feature adds its commands
    (``users``, ``media``, ``feeds``…) to the app's CLI in its ``init_app``.
    """


@main.command("init")
@with_appcontext
def init_command() -> None:
    """Create or migrate the database to the current schema."""
    _upgrade()
    click.echo("Database is up to date.")
    rebuild_and_report()


def _revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _upgrade() -> str:
    """Migrate to the newest schema; returns what happened, in one line
    (Alembic's own line per step is left out)."""
    before = _revision()
    config = current_app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False  # read by migrations/env.py
    command.upgrade(config, "head")
    after = _revision()
    if before == after:
        return f"Database: up to date (schema {after})."
    if before is None:
        return f"Database: created (schema {after})."
    return f"Database: migrated from schema {before} to {after}."


def _app_for(host: str, port: int) -> Flask:
    """The app to serve: when nobody set ``BASE_URL``, one whose links name
    the address the server listens on (the worker gets it too)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    base = serving.base_url_for(app.config["BASE_URL"], DEFAULTS["BASE_URL"], host, port)
    os.environ["MEDIAHUB_BASE_URL"] = base
    return app if app.config["BASE_URL"] == base else create_app()


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo/--no-demo", default=None, help="Load demo content (default: DEMO setting).")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead of granian.")
@with_appcontext
def run_command(host: str, port: int, demo: bool | None, dev: bool) -> None:
    """Run web server and background worker together; Ctrl-C stops both."""
    app = _app_for(host, port)
    base = app.config["BASE_URL"]
    with app.app_context():
        click.echo(_upgrade())
        if demo if demo is not None else app.config["DEMO"]:
            load_demo(echo=click.echo, login_url=f"{base}/login")
    _check_port(host, port)

    def ready() -> None:
        click.echo(f"MediaHub runs at {base}/ — press Ctrl+C to stop.")

    if dev:
        worker_cmd = [sys.executable, "-m", "mediahub.cli", "worker", "--quiet"]
        try:
            serving.serve(app, host, port, worker_cmd, on_ready=ready)
        except OSError as err:
            raise click.ClickException(f"Cannot listen on {host}:{port}: {err.strerror}") from None
    else:
        worker = BackgroundWorker(["--quiet"])
        with app.app_context():
            _serve(
                host,
                port,
                access_log=True,
                on_startup=[worker.start, ready],
                on_shutdown=[worker.stop],
            )
    click.echo("MediaHub stopped.")


def _check_port(host: str, port: int) -> None:
    """A clear message, before anything starts, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as err:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {err.strerror}") from None


@main.command("web")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@with_appcontext
def web_command(host: str, port: int) -> None:
    """Run the production web server alone (several machines: one per web machine)."""
    _check_port(host, port)
    _serve(host, port)


def _serve(host: str, port: int, **options: Any) -> None:
    cfg = current_app.config
    workers = cfg["WEB_WORKERS"] or default_workers()
    web_metrics.prepare_folder()
    # The web processes are forked from this one: none may share its connections.
    db.engine.dispose()
    serve(host, port, workers=workers, threads=cfg["WEB_THREADS"], **options)


@main.command("worker")
@click.option("--concurrency", "--workers", default=2, show_default=True, help="Parallel jobs.")
@click.option("--metrics-port", type=int, help="Serve this worker's /metrics on this port.")
@click.option("--quiet", is_flag=True, help="Leave out the queue's own messages (for `run`).")
@with_appcontext
def worker_command(concurrency: int, metrics_port: int | None, quiet: bool) -> None:
    """Run the background worker (Huey consumer with its scheduler).

    SIGTERM or SIGINT: a running audio job is handed back to the queue
    (its ffmpeg ended) and everything else finishes; then it exits.
    """
    core_logs.configure(current_app.config["LOG_FORMAT"], "worker")
    if quiet:
        logging.getLogger("huey").setLevel(logging.WARNING)
    _record_job_metrics()
    if metrics_port:
        start_http_server(metrics_port, addr="0.0.0.0")  # noqa: S104 - operators choose the port
    consumer = make_consumer(concurrency)
    # What is loaded now (the app, its libraries: ~180,000 objects) lives as
    # long as the process. Out of the collector's full passes, which would
    # otherwise walk it during large tasks: a feed rebuild of 500 episodes
    # took 70 ms, and 160 ms whenever such a pass fell into it.
    gc.freeze()
    log.info("Worker started: %d threads and the scheduler.", concurrency)
    consumer.run()


def make_consumer(concurrency: int) -> Consumer:
    """The worker's Huey consumer: ``concurrency`` threads and the scheduler."""
    return ReleasingConsumer(
        huey, workers=concurrency, worker_type="thread", periodic=True,
        check_worker_health=True, initial_delay=POLL_SECONDS, max_delay=1.0,
        graceful_signal="TERM",
    )  # fmt: skip


#: How often an idle worker thread looks into a queue that cannot wake it
#: (SQLite, the one-machine default; Redis wakes it at once): a job starts
#: at most this long after it was queued. Huey's own backoff let an idle
#: thread sleep up to a second (on average half a second between an upload's
#: end and its encode); looking costs one indexed SELECT.
POLL_SECONDS = 0.1


class PromptWorker(Worker):
    """Huey's worker thread, which waits ``POLL_SECONDS`` between looks into an
    empty queue instead of backing off; an error reading the queue (database
    or Redis down) still backs off, up to ``max_delay``."""

    def sleep(self) -> None:
        if sys.exc_info()[0] is None:  # called for an empty queue, not from its except
            self.delay = self.default_delay
        super().sleep()


class ReleasingConsumer(Consumer):
    """Huey's consumer, stopping gracefully on SIGTERM and SIGINT alike, after
    ending the running ffmpeg processes so that their jobs are handed back."""

    worker_class = PromptWorker

    def _handle_signal(self, signum: int, frame: Any) -> None:
        stopping.set()
        ended = stop_all_ffmpeg()
        if ended:
            logging.getLogger(__name__).info("stopping: %d audio job(s) handed back", ended)
        super()._handle_signal(signal.SIGTERM, frame)


def _record_job_metrics() -> None:
    """Each job's duration, and its failures, into the metrics."""
    started: dict[str, float] = {}

    def executing(_signal_name: str, task: Any) -> None:
        started[task.id] = time.monotonic()

    def finished(signal_name: str, task: Any, *_args: Any) -> None:
        since = started.pop(task.id, None)
        seconds = time.monotonic() - since if since is not None else 0.0
        web_metrics.job_finished(task.name, seconds, signal_name == SIGNAL_ERROR)

    huey.signal(SIGNAL_EXECUTING)(executing)
    huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)(finished)


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo hub (idempotent) and print its logins."""
    _upgrade()
    load_demo(echo=click.echo, login_url=f"{current_app.config['BASE_URL']}/login")
    rebuild_and_report()


if __name__ == "__main__":
    main()
