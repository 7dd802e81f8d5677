"""Form pieces shared by the features' forms (Flask-WTF: CSRF on every form).

Forms only turn text into types (numbers, dates) and check what the
services do not know about (a file was chosen, a time lies ahead); the
rules about the data itself live in the services, once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import HiddenInput


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


def required() -> InputRequired:
    return InputRequired(message=_l("Please fill in this field."))


def version_field() -> IntegerField:
    """The version the person started editing from, to notice others' changes."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


def keep_version(field: IntegerField, version: int) -> None:
    """Show ``version`` in the hidden field even though other input was posted."""
    field.data = version
    field.raw_data = None


CONTENT_NOTE_HINT = _l(
    "Optional, one short line. It is shown calmly before the recording or the text, so "
    'that people can decide whether they are ready for it now, e.g. "Topic: suicide, addiction".'
)
