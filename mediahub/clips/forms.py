"""The clip form: a title and a passage, typed as times (the waveform and
the transcript fill the same fields when script runs)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError

from mediahub.clips.models import MAX_SECONDS, MIN_SECONDS
from mediahub.review.editing import CONTENT_NOTE_MAX
from mediahub.web.forms import CONTENT_NOTE_HINT, version_field


def parse_time(text: str | None) -> float | None:
    """``"1:23.5"``, ``"83,5"`` or ``"1:02:03"`` as seconds; None if it is no time."""
    parts = (text or "").strip().replace(",", ".").split(":")
    if not parts[-1] or len(parts) > 3:
        return None
    seconds = 0.0
    for part in parts:
        try:
            value = float(part)
        except ValueError:
            return None
        if not 0 <= value < 10**6:
            return None
        seconds = seconds * 60 + value
    return seconds


def format_time(seconds: float) -> str:
    """``67.5`` as ``"1:07.5"`` (what :func:`parse_time` reads back)."""
    minutes, rest = divmod(round(float(seconds), 1), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def _time(form: Any, field: Any) -> None:
    if parse_time(field.data) is None:
        raise ValidationError(_l("Please give a time like 1:23 or 83."))


class ClipForm(FlaskForm):
    title = StringField(_l("Title"), description=_l("What the passage is about, in a few words."))
    start = StringField(
        _l("Start"),
        validators=[_time],
        description=_l("Minutes and seconds into the episode, e.g. 12:30."),
        id="clip-start",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    length = StringField(
        _l("Length in seconds"),
        validators=[_time],
        description=_l("Between %(min)d and %(max)d seconds.", min=MIN_SECONDS, max=MAX_SECONDS),
        id="clip-length",
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    content_note = StringField(
        _l("Content note"),
        description=CONTENT_NOTE_HINT,
        render_kw={"maxlength": CONTENT_NOTE_MAX},
    )
    version = version_field()

    def fields(self) -> dict[str, Any]:
        return {
            "title": self.title.data,
            "content_note": self.content_note.data,
            "start_s": parse_time(self.start.data),
            "duration_s": parse_time(self.length.data),
        }
