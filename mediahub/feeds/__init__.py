"""Podcast and blog feeds: built by pure functions, written as files,
served in front of Flask, rebuilt when what they show changes."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.feeds import api, cli, files, subscribers, tasks, views

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    app.cli.add_command(cli.feeds_group)
    subscribers.init_app(app)
    # Feed polls never reach Flask, sessions or the database.
    files.init_app(app)
