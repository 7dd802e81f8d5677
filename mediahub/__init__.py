"""MediaHub: podcast and blog publishing for self-help groups."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from mediahub import (
    accounts,
    admin,
    clips,
    drafts,
    episodes,
    fediverse,
    feeds,
    groups,
    mail,
    media,
    models,
    mydata,
    posts,
    review,
    site,
    stats,
    transcripts,
    uploads,
)
from mediahub.core import db as core_db
from mediahub.core import guard, i18n, queue, urls
from mediahub.core.config import load_config
from mediahub.core.extensions import api, babel, csrf, db, limiter, login_manager, migrate
from mediahub.web import errors, headers, proxies, templating
from mediahub.web.paths import InputMap
from mediahub.web.request import InputRequest
from mediahub.web.transaction import commit_on_success

__all__ = ["create_app"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Every feature, in the order its ``init_app`` runs (lower layers first).
FEATURES = (
    accounts,
    groups,
    review,
    media,
    episodes,
    posts,
    uploads,
    transcripts,
    clips,
    fediverse,
    feeds,
    stats,
    mail,
    mydata,
    site,
    drafts,
    admin,
)
# The models module imports every feature's models for Alembic's metadata.
assert models.__all__


class _MediaHub(Flask):
    """Flask with our input gates built in (every request's query string,
    form and JSON cleaned and bounded as they are parsed; converters that
    refuse out-of-range ids and control characters) and with the request as
    the one owner of the transaction (:mod:`mediahub.web.transaction`)."""

    url_map_class = InputMap
    request_class = InputRequest

    def dispatch_request(self) -> Any:
        return commit_on_success(super().dispatch_request)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: the only way to get one.

    Args:
        config: overrides applied after defaults, ``instance/mediahub.cfg``
            and ``MEDIAHUB_*`` environment variables (used by tests).
    """
    instance_path = (
        (config or {}).get("INSTANCE_PATH")
        or os.environ.get("MEDIAHUB_INSTANCE_PATH")
        or PROJECT_ROOT / "instance"
    )
    app = _MediaHub(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    load_config(app, config)
    # core
    db.init_app(app)
    core_db.init_app(app)
    guard.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        include_object=core_db.include_object,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    queue.init_queue(app)
    i18n.init_app(app)
    # web and api
    headers.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    api.init_app(app)
    for feature in FEATURES:
        feature.init_app(app)
    # Outermost: nothing behind it ever sees a forged Host header, and every
    # part (the feed files in front of Flask too) sees the client's address.
    urls.init_app(app)
    proxies.init_app(app)
    return app
