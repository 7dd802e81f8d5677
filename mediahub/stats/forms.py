"""The period a statistics page shows: ``?from=YYYY-MM-DD&to=YYYY-MM-DD&by=day``.

Dates go through the same gate as every other date input
(:func:`mediahub.core.values.bounded_date`); a wrong one is shown next to
its field and the page shows the last 30 days instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from mediahub.core.errors import InvalidInput
from mediahub.core.values import bounded_date
from mediahub.stats.queries import Period

#: The period shown unless another is asked for: the last 30 days.
DEFAULT_DAYS = 30
#: The longest period one page (or answer) covers: three years.
MAX_DAYS = 3 * 366
GROUPINGS = ("day", "week", "month")


@dataclass
class PeriodChoice:
    period: Period
    by: str = "day"
    #: Field name ("from", "to", "by") → message.
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return 422 if self.errors else 200


def default_period(today: dt.date) -> Period:
    return Period(today - dt.timedelta(days=DEFAULT_DAYS - 1), today)


def checked_period(start: object, end: object, today: dt.date) -> Period:
    """The period from the two inputs (either may be missing).

    Raises:
        InvalidInput: a date that is not one, or a period that is backwards
            or longer than :data:`MAX_DAYS` (``field`` says which input).
    """
    last = bounded_date(end, "to") if end else today
    first = bounded_date(start, "from") if start else last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(_l("The first day must not be after the last one."), field="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidInput(
            _l("Please choose at most %(n)d days at a time.", n=MAX_DAYS), field="from"
        )
    return Period(first, last)


def choose_period(args: Mapping[str, str], today: dt.date) -> PeriodChoice:
    """What the query string asks for, or the default with the errors to show."""
    choice = PeriodChoice(default_period(today))
    by = args.get("by") or "day"
    if by in GROUPINGS:
        choice.by = by
    else:
        choice.errors["by"] = str(_l("Please choose days, weeks or months."))
    try:
        choice.period = checked_period(args.get("from"), args.get("to"), today)
    except InvalidInput as err:
        choice.errors[err.field or "from"] = str(err.message)
    return choice
