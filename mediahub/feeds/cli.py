"""The feed commands: ``mediahub feeds rebuild``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from mediahub.feeds.services import rebuild_all


def rebuild_and_report(slug: str | None = None) -> None:
    """Write every feed again (or one group's and the hub's) and say how many changed.

    Raises:
        LookupError: there is no group ``slug``.
    """
    report = rebuild_all(slug)
    click.echo(
        f"Feeds rebuilt: {len(report.written)} file(s) written, "
        f"{len(report.removed)} removed, the rest unchanged."
    )


@click.group("feeds")
def feeds_group() -> None:
    """Podcast and blog feed files."""


@feeds_group.command("rebuild")
@click.option("--group", "slug", help="Only this group (short name); the hub feeds too.")
@with_appcontext
def feeds_rebuild(slug: str | None) -> None:
    """Write every feed file again from the database (unchanged files stay)."""
    try:
        rebuild_and_report(slug)
    except LookupError:
        raise click.ClickException(f"There is no group {slug!r}.") from None
