"""Backups of a running hub (``mediahub backup DEST``) and their restore
into a fresh installation (``mediahub restore SRC``)."""

from __future__ import annotations

from flask import Flask

from mediahub.backup import cli


def init_app(app: Flask) -> None:
    """Register this feature's commands."""
    app.cli.add_command(cli.backup_command)
    app.cli.add_command(cli.restore_command)
