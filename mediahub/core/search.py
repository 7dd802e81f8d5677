"""Case-insensitive "contains" for search boxes, alike on SQLite and PostgreSQL.

PostgreSQL's ILIKE folds case for every letter the database's locale knows
(with a UTF-8 locale: Ä and ä, Ü and ü). SQLite's LIKE folds ASCII only, so
"ängste" would not find "Ängste". On SQLite both sides are therefore
case-folded in Python (``str.casefold``, registered on every connection by
``db_setup``) and compared with a plain LIKE.

One visible difference remains: casefold also maps "ß" to "ss", so on SQLite
"strasse" finds "Straße", while PostgreSQL's ILIKE keeps ß a letter of its own
("straße" and "Straße" still find each other on both).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, true

from mediahub.core.extensions import db

#: The SQL name of the case-folding function registered on SQLite connections.
CASEFOLD_SQL = "mh_casefold"

_ESCAPE = "\\"

#: Longest search text taken from a search box (longer text is cut).
QUERY_MAX = 100

#: Words of a search text that count (each must match).
WORDS_MAX = 8


def clean_query(text: str | None) -> str:
    """The search words as typed, spaces collapsed, trimmed to a sane length."""
    return " ".join((text or "").split())[:QUERY_MAX]


def all_words_in(columns: tuple[Any, ...], text: str) -> ColumnElement[bool]:
    """SQL for "every word of ``text`` is in one of ``columns``", whatever the case."""
    return and_(
        true(), *(or_(*(icontains(c, w) for c in columns)) for w in text.split()[:WORDS_MAX])
    )


def casefold(value: str | None) -> str | None:
    """``value`` case-folded (None stays None, as SQL NULL)."""
    return None if value is None else value.casefold()


def like_pattern(text: str) -> str:
    """A LIKE pattern for "contains ``text``", its ``%``, ``_`` and ``\\`` literal."""
    escaped = (
        text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )
    return f"%{escaped}%"


def icontains(column: Any, text: str) -> ColumnElement[bool]:
    """SQL for "``column`` contains ``text``, whatever the case" on the app's database.

    Args:
        column: a text column or expression.
        text: the words as typed; LIKE wildcards in it are matched literally.
    """
    if db.engine.dialect.name == "sqlite":
        folded = getattr(func, CASEFOLD_SQL)(column)
        return folded.like(like_pattern(text.casefold()), escape=_ESCAPE)
    return column.ilike(like_pattern(text), escape=_ESCAPE)
