"""Pages of long lists in the API: smorest's ``page`` / ``page_size`` (and its
``X-Pagination`` header) over a SQL statement, counted and sliced by the
database instead of loading every row; and the ``q`` search argument."""

from __future__ import annotations

from typing import Any

from flask_smorest import Page
from marshmallow import Schema

from mediahub.api import fields
from mediahub.core.extensions import db
from mediahub.core.search import QUERY_MAX, clean_query
from mediahub.web.paging import count_of

#: Beyond any real list; a larger OFFSET does not fit a database's integer.
_MAX_OFFSET = 2**62


class SelectPage(Page):
    """A page of an ordered SQLAlchemy ``Select``: one count, one slice."""

    @property
    def items(self) -> list[Any]:
        params = self.page_params
        if params.first_item >= _MAX_OFFSET:  # far past any end; databases refuse it
            return []
        stmt = self.collection.limit(params.page_size).offset(params.first_item)
        return list(db.session.scalars(stmt))

    @property
    def item_count(self) -> int:
        return count_of(self.collection)


class SearchArgsSchema(Schema):
    """The ``q`` argument of a searchable list."""

    q = fields.Str(
        max_length=QUERY_MAX,
        load_default="",
        metadata={"description": "Only what contains every word of this text, whatever the case."},
    )


def search_text(args: dict[str, Any]) -> str:
    """The cleaned search words of :class:`SearchArgsSchema`'s arguments."""
    return clean_query(args.get("q"))
