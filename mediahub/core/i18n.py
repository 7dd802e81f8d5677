"""Language of the interface: German first, English second.

The choice: a logged-in person's own (``User.locale``), else the language
cookie a visitor set with the switch in the header, else the browser's
Accept-Language, else German.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

#: Set by the language switch; only the language code, for a year.
LANG_COOKIE = "mediahub_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:

    langs = current_app.config["LANGUAGES"]
    if has_request_context():
        user = current_user
        if getattr(user, "is_authenticated", False) and user.locale in langs:
            return str(user.locale)
        chosen = request.cookies.get(LANG_COOKIE)
        if chosen is not None and chosen in langs:
            return chosen
        best = request.accept_languages.best_match(langs)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:

    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def init_app(app: Flask) -> None:

    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.i18n")
