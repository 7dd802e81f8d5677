"""The hub administrators' area: people, groups, the site's texts, health."""

from __future__ import annotations

from flask import Flask

from mediahub.admin import api, health, tasks, views
from mediahub.admin.blueprint import bp
from mediahub.core.extensions import api as rest_api

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (views, tasks)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.register_blueprint(bp)
    app.register_blueprint(health.liveness_bp)
    rest_api.register_blueprint(api.blp)
