"""The review workflow every reviewable item kind goes through."""

from __future__ import annotations

from flask import Flask

from mediahub.accounts.identity import viewer
from mediahub.core.extensions import api as rest_api
from mediahub.groups.policy import reviews_anywhere
from mediahub.review import api, subscribers, tasks, views
from mediahub.review.kinds import kind_of
from mediahub.review.workflow import STATE_HINTS

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (tasks,)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    app.url_map.converters["item_kind"] = views.ItemKindConverter
    app.register_blueprint(views.bp)
    subscribers.init_app(app)
    rest_api.register_blueprint(api.queue_blp)
    app.jinja_env.globals["state_hints"] = STATE_HINTS
    app.jinja_env.globals["kind_of"] = kind_of
    app.jinja_env.globals["item_label"] = lambda item: kind_of(item).messages.get("label", "")
    app.jinja_env.globals["reviews_anywhere"] = lambda: reviews_anywhere(viewer())
