"""Jinja filters and globals shared by all templates."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup

from mediahub.accounts.credit import public_name
from mediahub.core import outbound
from mediahub.media.messages import translated


def init_app(app: Flask) -> None:
    from mediahub.core.labels import STATE_HINTS, label
    from mediahub.groups.policy import reviews_anywhere
    from mediahub.web.pages import viewer

    # Every text leaves through the conversion for its destination (outbound).
    app.jinja_env.filters["markdown"] = outbound.html
    app.jinja_env.filters["line"] = outbound.line
    app.jinja_env.filters["text_block"] = outbound.text_block
    app.jinja_env.filters["script_json"] = outbound.script_json
    # What the public may know about a person: one rule (accounts.credit).
    app.jinja_env.filters["public_name"] = public_name
    app.jinja_env.filters["audio_message"] = translated
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.globals["state_hints"] = STATE_HINTS
    app.jinja_env.globals["hidden_fields"] = hidden_fields

    @app.context_processor
    def _navigation() -> dict[str, Any]:
        return {"reviews_anywhere": lambda: reviews_anywhere(viewer()), "help_footer": help_footer}


def duration(seconds: float | None) -> str:
    """A playing time as 4:05 or 1:02:03."""
    if seconds is None:
        return ""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def hidden_fields(form: Any) -> Markup:
    """A form's hidden inputs (CSRF token, version) without ``id`` attributes,
    so that several forms on one page do not repeat an id."""
    return Markup("").join(
        field(id=False) for field in form if getattr(field.widget, "input_type", None) == "hidden"
    )


def help_footer() -> str:
    """The help footer (crisis numbers) in the page's language, German as
    fallback; "" when there is none or the database cannot answer (an error
    page must still render)."""
    from flask_babel import get_locale
    from sqlalchemy.exc import SQLAlchemyError

    from mediahub.core.extensions import db
    from mediahub.site.models import SiteTextKey
    from mediahub.site.texts import site_text

    try:
        return site_text(SiteTextKey.HELP_FOOTER, str(get_locale() or "de"))
    except SQLAlchemyError:
        db.session.rollback()
        return ""
