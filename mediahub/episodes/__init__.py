"""Podcast episodes: a reviewable item kind with audio."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.episodes import api, views
from mediahub.episodes.kind import EPISODE
from mediahub.review.kinds import register_kind


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    register_kind(EPISODE)
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
