"""Page numbers from the query string, and one page of a query's rows."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort, request
from sqlalchemy import Select, func, select

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


def paginate(stmt: Select, per_page: int, param: str = "page", options: tuple = ()) -> Page:
    """One page of ``stmt`` (already ordered); a page past the last one is a 404.

    Two queries (the count, then the rows) plus one per eager-loading ``options``.
    """
    number = page_number(param)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    total = total or 0
    if number > 1 and (number - 1) * per_page >= total:
        abort(404)
    items = list(
        db.session.scalars(stmt.options(*options).limit(per_page).offset((number - 1) * per_page))
    )
    return Page(items, number, per_page, total, param)
