"""The blog post form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from mediahub.review.editing import CONTENT_NOTE_MAX
from mediahub.web.forms import CONTENT_NOTE_HINT, version_field


class PostForm(FlaskForm):
    title = StringField(_l("Title"))
    content_note = StringField(
        _l("Content note"),
        description=CONTENT_NOTE_HINT,
        render_kw={"maxlength": CONTENT_NOTE_MAX},
    )
    body = TextAreaField(
        _l("Text"),
        description=_l(
            "You can format with Markdown: *italic*, **bold**, a blank line for a new "
            "paragraph, - at the start of a line for a list."
        ),
        render_kw={"rows": 16},
    )
    version = version_field()
