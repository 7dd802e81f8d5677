"""The ``mediahub`` command: a Flask CLI group with the platform's commands.

``mediahub run`` starts the web server and the worker as one program: a
short start (the database in one line, the demo logins with their roles,
the address), links that name the chosen port, and Ctrl-C or SIGTERM
stopping both with exit status 0 (:mod:`mediahub.web.serving`).
"""

from __future__ import annotations

import gc
import logging
import os
import sys

import click
from alembic import command
from alembic.migration import MigrationContext
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from mediahub import create_app
from mediahub.core.config import DEFAULTS
from mediahub.core.extensions import db
from mediahub.core.queue import huey
from mediahub.feeds.cli import rebuild_and_report
from mediahub.site.demo import load_demo
from mediahub.web.serving import base_url_for, serve

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
    base = base_url_for(app.config["BASE_URL"], DEFAULTS["BASE_URL"], host, port)
    os.environ["MEDIAHUB_BASE_URL"] = base
    return app if app.config["BASE_URL"] == base else create_app()


@main.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--demo/--no-demo", default=None, help="Load demo content (default: DEMO setting).")
@with_appcontext
def run_command(host: str, port: int, demo: bool | None) -> None:
    """Run web server and background worker together; Ctrl-C stops both."""
    app = _app_for(host, port)
    base = app.config["BASE_URL"]
    with app.app_context():
        click.echo(_upgrade())
        if demo if demo is not None else app.config["DEMO"]:
            load_demo(echo=click.echo, login_url=f"{base}/login")
    try:
        serve(
            app,
            host,
            port,
            [sys.executable, "-m", "mediahub.cli", "worker", "--quiet"],
            on_ready=lambda: click.echo(f"MediaHub runs at {base}/ — press Ctrl+C to stop."),
        )
    except OSError as err:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {err.strerror}") from None
    click.echo("MediaHub stopped.")


@main.command("worker")
@click.option("--workers", default=2, show_default=True, help="Parallel tasks.")
@click.option("--quiet", is_flag=True, help="Leave out the queue's own messages (for `run`).")
@with_appcontext
def worker_command(workers: int, quiet: bool) -> None:
    """Run the background worker (Huey consumer with its scheduler)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    if quiet:
        logging.getLogger("huey").setLevel(logging.WARNING)
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, check_worker_health=True
    )
    # What is loaded now (the app, its libraries: ~180,000 objects) lives as
    # long as the process. Out of the collector's full passes, which would
    # otherwise walk it during large tasks: a feed rebuild of 500 episodes
    # took 70 ms, and 160 ms whenever such a pass fell into it.
    gc.freeze()
    log.info("Worker started: %d threads and the scheduler.", workers)
    consumer.run()


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo hub (idempotent) and print its logins."""
    _upgrade()
    load_demo(echo=click.echo, login_url=f"{current_app.config['BASE_URL']}/login")
    rebuild_and_report()


if __name__ == "__main__":
    main()
