"""The statistics command: ``mediahub stats rollup [--rebuild [--since DATE]]``."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.core.values import bounded_date
from mediahub.stats import services
from mediahub.stats.recording import hub_zone
from mediahub.stats.tasks import pass_now


class _Day(click.ParamType):
    """A day as YYYY-MM-DD, checked like every other date input."""

    name = "date"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return bounded_date(value)
        except InvalidInput as err:
            self.fail(str(err.message), param, ctx)


@click.group("stats")
def stats_group() -> None:
    """Listener statistics."""


@stats_group.command("rollup")
@click.option("--rebuild", is_flag=True, help="Count every day with raw events again.")
@click.option("--since", type=_Day(), help="With --rebuild: only from this day (YYYY-MM-DD) on.")
@with_appcontext
def stats_rollup(rebuild: bool, since: Any) -> None:
    """Count downloads into the daily figures (the worker does it every minute)."""
    if since is not None and not rebuild:
        raise click.UsageError("--since goes with --rebuild.")
    if rebuild:
        results = services.rebuild(db.engine, hub_zone(current_app), since)
        click.echo(
            f"Counted {len(results)} day(s) again from "
            f"{sum(r.events for r in results)} raw events: "
            f"{sum(r.downloads for r in results)} downloads."
        )
        return
    report = pass_now()
    click.echo(
        f"Counted {len(report.days)} day(s): {sum(r.downloads for r in report.days)} downloads; "
        f"{report.moved} events moved from the buffer, {report.pruned} old raw events deleted."
    )
