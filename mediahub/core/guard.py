"""The last line before the database: text columns are cleaned and bounded
at every flush.

Inputs are cleaned where they enter (the request, the CLI, uploaded files),
but a path added later may forget. Here, whatever object is written, a
string column never carries a NUL or a lone surrogate (PostgreSQL refuses
both: a 500) and never exceeds its column's length (PostgreSQL refuses that
too, SQLite silently keeps it): the text is cleaned, and a text that is too
long is refused with a 422 naming the field.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, String, event, inspect
from sqlalchemy.orm import Mapper, Session

from mediahub.core.errors import InvalidInput
from mediahub.core.text import clean_text, needs_cleaning


@functools.cache
def _text_columns(mapper: Mapper[Any]) -> tuple[tuple[str, int | None], ...]:
    """(attribute, length) of every plain string column of the mapped class."""
    out = []
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if isinstance(column.type, String) and not isinstance(column.type, Enum):
            out.append((attr.key, column.type.length))
    return tuple(out)


def clean_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Clean the text columns of every new and changed object; refuse overlong ones.

    Raises:
        InvalidInput: a text longer than its column (``field`` names the attribute).
    """
    for obj in itertools.chain(session.new, session.dirty):
        state = inspect(obj)
        loaded = state.dict
        for key, length in _text_columns(state.mapper):
            value = loaded.get(key)
            if not isinstance(value, str):
                continue
            if needs_cleaning(value):
                value = clean_text(value)
                setattr(obj, key, value)
            if length is not None and len(value) > length:
                raise InvalidInput(
                    _l("This text is too long (at most %(n)d characters).", n=length), field=key
                )


def init_app(app: Flask) -> None:
    if not event.contains(Session, "before_flush", clean_before_flush):
        event.listen(Session, "before_flush", clean_before_flush)
