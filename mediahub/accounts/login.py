"""Flask-Login wiring: the session cookie names a server-side login session."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from mediahub.accounts import services
from mediahub.accounts.models import User
from mediahub.core.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # "strong" would log people out whenever their mobile IP changes; the
    # server-side session row already makes every cookie revocable.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(token: str) -> User | None:
    return services.user_for_session_token(token)
