"""Jinja filters and globals shared by all templates."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup

from mediahub.core import outbound
from mediahub.core.labels import label


def init_app(app: Flask) -> None:
    """The filters every template may use; features add their own in their
    ``init_app`` (``public_name``, ``audio_message``, ``state_hints``…)."""
    # Every text leaves through the conversion for its destination (outbound).
    app.jinja_env.filters["markdown"] = outbound.html
    app.jinja_env.filters["line"] = outbound.line
    app.jinja_env.filters["text_block"] = outbound.text_block
    app.jinja_env.filters["script_json"] = outbound.script_json
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["duration"] = duration
    app.jinja_env.globals["hidden_fields"] = hidden_fields


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
