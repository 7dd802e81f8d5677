"""Numbers and dates within what we store and can compute with.

A datetime far from today (``9999-12-31T23:59:59-12:00``) overflows when it
is turned into UTC; a float may be NaN or infinite; an integer may not fit
the column. Each check raises ``InvalidInput`` with a message a person can
act on, named after ``field`` when given.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core.errors import InvalidInput

#: Range of an INTEGER column (32 bits, PostgreSQL and SQLite alike).
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
#: Dates we accept: publication times, date ranges of statistics.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def bounded_datetime(value: Any, field: str | None = None) -> dt.datetime:
    """``value`` as an aware UTC datetime between :data:`EARLIEST` and :data:`LATEST`.

    Raises:
        InvalidInput: naive, or outside the range (also when converting
            it to UTC would overflow).
    """
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            _l("Please give a date and time with a time zone, e.g. 2025-05-01T18:00:00+02:00."),
            field=field,
        )
    try:
        utc = value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST <= utc < LATEST:
        raise InvalidInput(
            _l(
                "Please give a date between %(start)s and %(end)s.",
                # Years are names, not amounts: never "2.000" (core.numbers).
                start=str(EARLIEST.year),
                end=str(LATEST.year - 1),
            ),
            field=field,
        )
    return utc


def bounded_date(value: Any, field: str | None = None) -> dt.date:
    """A day written ``YYYY-MM-DD`` (a date range of statistics), between
    :data:`EARLIEST` and :data:`LATEST`.

    Raises:
        InvalidInput: anything else (another spelling, 2024-02-30, 1999).
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and len(value) == 10 and value.isascii() and value[4] == "-":
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
    else:
        day = None
    if day is None:
        raise InvalidInput(_l("Please give a date as YYYY-MM-DD, e.g. 2025-05-01."), field=field)
    if not EARLIEST.date() <= day < LATEST.date():
        raise InvalidInput(
            _l(
                "Please give a date between %(start)s and %(end)s.",
                start=str(EARLIEST.year),
                end=str(LATEST.year - 1),
            ),
            field=field,
        )
    return day


def combine_local(day: dt.date, time: dt.time, zone: dt.tzinfo, field: str | None = None) -> Any:
    """A local date and time (as typed into a form) as a bounded UTC datetime."""
    return bounded_datetime(dt.datetime.combine(day, time, tzinfo=zone), field)


def finite(value: Any, field: str | None = None) -> float:
    """``value`` as a finite float (not NaN, not infinite; booleans are no numbers).

    Raises:
        InvalidInput: anything else.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(_l("Please give a number."), field=field)
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        number = math.inf
    if not math.isfinite(number):
        raise InvalidInput(_l("Please give a finite number."), field=field)
    return number


def digits(text: str | None, max_digits: int) -> int | None:
    """``text`` as a whole number when it is 1 to ``max_digits`` ASCII digits;
    else None. ``str.isdigit`` alone also takes "²" or "١٢", which ``int()``
    refuses (a 500 where a form, header or link carried one)."""
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
