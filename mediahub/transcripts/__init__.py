"""Automatic transcripts made on our own machine (faster-whisper), reviewed by people.

The recogniser (``recognizer``, ``model_files``, ``engine``, ``captions``,
``editing``) is plain Python; the rest is the feature: the job
(``jobs``, ``tasks``), the rules (``policy``, ``services``), what starts
and publishes transcripts (``subscribers``), the site's search of what
episodes say (``search``), the editor on the episode page (``views``) and its API (``api``).
"""

from __future__ import annotations

from flask import Flask

from mediahub.core.extensions import api as rest_api
from mediahub.transcripts import api, media_views, search, subscribers, tasks, views

#: Modules imported for what they declare (Huey tasks, routes on media's blueprint).
_DECLARING = (media_views, tasks, views)


def init_app(app: Flask) -> None:
    """Register this feature's blueprint, tasks, receivers and the search index."""
    app.register_blueprint(views.bp)
    rest_api.register_blueprint(api.blp)
    app.jinja_env.globals["transcript_panel"] = views.panel
    subscribers.init_app(app)
    search.init_app()
