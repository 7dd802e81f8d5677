"""Fixtures for the public site: published items and a SQL statement counter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from mediahub.core.extensions import db


@pytest.fixture
def publish(app: Flask) -> Callable[[Any], Any]:
    """Send ``item`` through review and publish it (as its author, an admin-like
    shortcut that the services allow and record)."""
    from mediahub.review import services as review

    def do(item: Any) -> Any:
        review.submit(item, item.author)
        review.approve(item, item.author)
        db.session.commit()
        return item

    return do


@pytest.fixture
def author(make_user: Callable[..., Any]) -> Any:
    return make_user("Author")


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """``with count_queries() as counter:`` counts the SQL statements sent to
    the database meanwhile (every connection of the app's engine)."""

    @contextmanager
    def counting() -> Iterator[StatementCounter]:
        counter = StatementCounter()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


# English pages by default, so that assertions read like the code; the German
# pages are tested with an explicit Accept-Language.
@pytest.fixture
def client(app: Flask) -> Any:
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c


@pytest.fixture
def anonymous(app: Flask) -> Any:
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c
