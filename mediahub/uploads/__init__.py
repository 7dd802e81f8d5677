"""Resumable uploads of large recordings (the tus 1.0.0 protocol)."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.uploads import api, tasks

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    rest_api.register_blueprint(api.blp)
