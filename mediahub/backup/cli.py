"""``mediahub backup DEST`` and ``mediahub restore SRC``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from mediahub.backup.services import BackupError, Report, backup, restore


@click.command("backup")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(dest: Path) -> None:
    """Back the hub up into DEST (a new folder), while it runs."""
    try:
        report = backup(current_app._get_current_object(), dest)  # type: ignore[attr-defined]
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    _echo("Backed up", report)


@click.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def restore_command(src: Path) -> None:
    """Bring the backup in SRC into this installation (stop web and worker first)."""
    try:
        report = restore(current_app._get_current_object(), src)  # type: ignore[attr-defined]
    except BackupError as err:
        raise click.ClickException(str(err)) from None
    _echo("Restored", report)


def _echo(done: str, report: Report) -> None:
    counts = ", ".join(f"{n} {table}" for table, n in report.counts.items())
    click.echo(f"{done} {report.folder}: {counts}; {report.files} files ({report.bytes:,} bytes).")
    if report.missing:
        click.echo(
            f"{len(report.missing)} file(s) were replaced while the backup ran; "
            "their recordings are processed again after a restore."
        )
    if report.hint:
        click.echo(report.hint)
