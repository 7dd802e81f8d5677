"""Forms of the review workflow: the editors' decisions and taking items offline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField, TimeField
from wtforms.validators import InputRequired

from mediahub.core.errors import InvalidInput
from mediahub.core.types import utcnow
from mediahub.core.values import combine_local


class ApproveForm(FlaskForm):
    comment = TextAreaField(_l("A note for the author (optional)"))


class ScheduleForm(FlaskForm):
    publish_date = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Please choose a date."))]
    )
    publish_time = TimeField(
        _l("Time"),
        description=_l("German time (Berlin), for example 18:00."),
        validators=[InputRequired(message=_l("Please choose a time."))],
    )
    comment = TextAreaField(_l("A note for the author (optional)"))

    def publish_at(self) -> dt.datetime | None:
        """The chosen local date and time as an aware UTC datetime.

        Raises:
            InvalidInput: a date outside the years we accept (``validate`` says so first).
        """
        if not (self.publish_date.data and self.publish_time.data):
            return None
        zone = ZoneInfo(str(get_timezone()))
        when: dt.datetime = combine_local(
            self.publish_date.data, self.publish_time.data, zone, "publish_at"
        )
        return when

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            when = self.publish_at()
        except InvalidInput as err:
            self.publish_date.errors.append(str(err.message))
            return False
        if when is not None and when <= utcnow():
            self.publish_time.errors.append(_l("Please choose a time in the future."))
            return False
        return True


class RequestChangesForm(FlaskForm):
    comment = TextAreaField(
        _l("What should be changed?"),
        description=_l("The author sees this text. Please be specific and kind."),
    )


class RejectForm(FlaskForm):
    comment = TextAreaField(_l("Reason (optional, the author sees it)"))


class UnpublishForm(FlaskForm):
    comment = TextAreaField(_l("Reason (optional)"))


#: decision → (form class, prefix of its fields on the review page)
DECISION_FORMS: dict[str, tuple[type[FlaskForm], str]] = {
    "approve": (ApproveForm, "approve"),
    "schedule": (ScheduleForm, "schedule"),
    "request_changes": (RequestChangesForm, "changes"),
    "reject": (RejectForm, "reject"),
}


def decision_forms(posted: str | None = None) -> dict[str, FlaskForm]:
    """One form per decision; only the ``posted`` one reads the request."""
    forms = {}
    for decision, (cls, prefix) in DECISION_FORMS.items():
        if decision == posted:
            forms[decision] = cls(prefix=prefix)
        else:
            forms[decision] = cls(prefix=prefix, formdata=None)
    return forms
