"""Keeping what someone typed when their login ended while they were writing."""

from __future__ import annotations

from flask import Flask

from mediahub.drafts import tasks, web

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    web.init_app(app)
