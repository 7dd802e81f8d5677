"""Clips: short passages of published episodes as shareable videos.

An author or editor marks a passage (5 to 90 seconds) and a title; it goes
through review like every other item; each approved clip is rendered in the
background into three MP4 files (square, vertical, landscape) with the
artwork, the titles, a moving waveform and the transcript's words burned in.
The rendering adapters (:mod:`.layout`, :mod:`.cards`, :mod:`.captions`,
:mod:`.render`, :mod:`.inspect`) know nothing of Flask or the database.
"""

from __future__ import annotations

from flask import Flask

from mediahub.accounts.identity import viewer
from mediahub.clips import api, policy, services, subscribers, tasks, views
from mediahub.clips.forms import format_time
from mediahub.clips.kind import CLIP
from mediahub.core.extensions import api as rest_api
from mediahub.review.kinds import register_kind

#: Modules imported for what they declare (Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register the clip kind, its pages, API and receivers."""
    register_kind(CLIP)
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    subscribers.init_app(app)
    app.jinja_env.filters["clip_time"] = format_time
    app.jinja_env.globals["episode_clips"] = services.public_clips
    app.jinja_env.globals["can_make_clip"] = lambda episode: (
        policy.can_make_clip(viewer(), episode) and episode.status in services.CLIPPABLE
    )
