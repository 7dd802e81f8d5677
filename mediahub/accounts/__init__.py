"""People: logging in, passwords, tokens, the account page and the email address."""

from __future__ import annotations

from flask import Flask

from mediahub.accounts import (
    account_views,
    api,
    cli,
    email_views,
    identity,
    login,
    reset_views,
    tasks,
    views,
)
from mediahub.accounts.blueprint import bp
from mediahub.accounts.credit import public_name
from mediahub.core.extensions import api as rest_api

#: Modules imported for what they declare (routes on the blueprint, Huey tasks).
_DECLARING = (account_views, email_views, reset_views, views, tasks)


def init_app(app: Flask) -> None:
    """Register this feature's blueprints, commands, receivers and template helpers."""
    login.init_app(app)
    # The API's blueprints ask this feature who the caller is.
    app.extensions["mediahub.api_authenticate"] = identity.authenticate_token
    app.register_blueprint(bp)
    rest_api.register_blueprint(api.blp)
    app.cli.add_command(cli.users_group)
    # What the public may know about a person: one rule (accounts.credit).
    app.jinja_env.filters["public_name"] = public_name
