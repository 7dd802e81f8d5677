"""MediaHub: podcast and blog publishing for self-help groups."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from mediahub.web.paths import InputMap
from mediahub.web.request import InputRequest

__all__ = ["create_app"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _MediaHub(Flask):
    """Flask with our input gates built in: every request's query string,
    form and JSON are cleaned and bounded as they are parsed, and every
    route's converters refuse out-of-range ids and control characters."""

    url_map_class = InputMap
    request_class = InputRequest


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
    from mediahub.core.config import load_config

    load_config(app, config)

    from mediahub import models  # noqa: F401
    from mediahub.accounts import login
    from mediahub.core import db as db_setup
    from mediahub.core import guard as inputs_guard
    from mediahub.core import i18n
    from mediahub.core.extensions import api, babel, csrf, db, limiter, login_manager, migrate
    from mediahub.core.queue import init_queue
    from mediahub.web import headers as security
    from mediahub.web import templating

    db.init_app(app)
    db_setup.init_app(app)
    inputs_guard.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    login_manager.init_app(app)
    login.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)
    init_queue(app)
    api.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)

    from mediahub.drafts import web as drafts_web

    drafts_web.init_app(app)

    from mediahub import blueprints, cli
    from mediahub.web import errors as errorhandlers

    blueprints.register(app)
    errorhandlers.init_app(app)
    cli.init_app(app)
    from mediahub.feeds import files, subscribers

    subscribers.init_app(app)
    # Feed polls never reach Flask, sessions or the database.
    files.init_app(app)
    from mediahub.core import urls

    # Outermost: nothing behind it ever sees a forged Host header.
    urls.init_app(app)
    return app
