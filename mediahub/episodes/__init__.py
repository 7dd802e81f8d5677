"""Podcast episodes: a reviewable item kind with audio."""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.episodes import api, media_views, services, views
from mediahub.episodes.kind import EPISODE
from mediahub.media.processing import AUDIO_OWNER
from mediahub.review.kinds import register_kind

#: Modules imported for what they declare (routes on media's blueprint).
_DECLARING = (media_views,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    register_kind(EPISODE)
    app.extensions[AUDIO_OWNER] = services.episode_of_audio
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
