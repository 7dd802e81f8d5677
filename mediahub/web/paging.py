"""Page numbers from the query string, and one page of a query's rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort, request
from sqlalchemy import Select, func, select, tuple_

from mediahub.core import values
from mediahub.core.extensions import db

#: Far beyond any real page; keeps OFFSET inside what databases accept.
_MAX_PAGE = 100_000


def page_number(name: str = "page") -> int:
    """The requested page: anything that is not a whole number >= 1 means page 1."""
    raw = request.args.get(name, "")
    try:
        number = int(raw)
    except ValueError:
        return 1
    return number if 1 <= number <= _MAX_PAGE else 1


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    per_page: int
    total: int
    param: str = "page"

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def count_of(stmt: Select) -> int:
    """How many rows ``stmt`` gives."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return total or 0


def paginate(
    stmt: Select,
    per_page: int,
    param: str = "page",
    options: tuple = (),
    total: int | None = None,
) -> Page:
    """One page of ``stmt`` (already ordered); a page past the last one is a 404.

    Two queries (the count, unless ``total`` is given, then the rows) plus
    one per eager-loading ``options``.
    """
    number = page_number(param)
    total = count_of(stmt) if total is None else total
    if number > 1 and (number - 1) * per_page >= total:
        abort(404)
    items = list(
        db.session.scalars(stmt.options(*options).limit(per_page).offset((number - 1) * per_page))
    )
    return Page(items, number, per_page, total, param)


@dataclass(frozen=True)
class Slice:
    """One stretch of a long list, reached by the row before or after it
    (keyset paging): as fast at the 100,000th row as at the first, because
    nothing is counted and no rows are skipped."""

    items: list[Any]
    #: The id to ask for the rows before this stretch (``?before=``), if any.
    before: int | None
    #: The id to ask for the rows after this stretch (``?after=``), if any.
    after: int | None
    #: Whether this is not the start of the list (a "first page" link helps).
    has_start: bool


def _anchor_id(name: str) -> int | None:
    number = values.digits(request.args.get(name), 19)
    return number if number is not None and 0 < number < 2**63 else None


def seek(stmt: Select, model: Any, order: tuple[Any, ...], per_page: int) -> Slice:
    """The stretch of ``stmt`` (unordered) in ``order`` (ending with the id)
    after ``?after=ID`` or before ``?before=ID``; the start without either.

    An anchor that no longer exists (the row was deleted) means the start.
    One query for the anchor's keys, one for the rows.
    """
    direction, anchor = "after", _anchor_id("after")
    if anchor is None and (anchor := _anchor_id("before")) is not None:
        direction = "before"
    keys = (
        db.session.execute(select(*order).where(model.id == anchor)).first()
        if anchor is not None
        else None
    )
    stmt_start = stmt
    if keys is None:
        direction = "start"
    elif direction == "after":
        stmt = stmt.where(tuple_(*order) > tuple_(*keys))
    else:
        stmt = stmt.where(tuple_(*order) < tuple_(*keys))
    ordered = [c.desc() for c in order] if direction == "before" else list(order)
    rows = list(db.session.scalars(stmt.order_by(*ordered).limit(per_page + 1)))
    if direction == "before" and not rows:  # nothing before the first row: the start
        direction = "start"
        rows = list(db.session.scalars(stmt_start.order_by(*order).limit(per_page + 1)))
    more, rows = len(rows) > per_page, rows[:per_page]
    if direction == "before":
        rows.reverse()
    earlier = more if direction == "before" else direction == "after"
    later = True if direction == "before" else more
    return Slice(
        rows,
        before=rows[0].id if rows and earlier else None,
        after=rows[-1].id if rows and later else None,
        has_start=direction == "after" or (direction == "before" and more),
    )
