"""Engine settings that make SQLite behave under a web server and a worker."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from mediahub.core import search
from mediahub.core.extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _sqlite_functions)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the worker write while pages are read; the busy timeout makes
    # the two wait for each other instead of failing with "database is locked".
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_functions(dbapi_conn: Any, _record: Any) -> None:
    # SQLite's LIKE and lower() fold ASCII letters only; search needs Ä = ä.
    dbapi_conn.create_function(search.CASEFOLD_SQL, 1, search.casefold, deterministic=True)


__all__ = ["Engine", "apply_changes", "init_app"]


def apply_changes(obj: Any, changes: Mapping[str, Any], *, signal: Any, actor: Any) -> bool:
    """Set the fields of ``changes`` that differ on ``obj``, flush, and tell
    ``signal``'s receivers which ones changed; say whether any did."""
    changed = {k: v for k, v in changes.items() if getattr(obj, k) != v}
    for key, value in changed.items():
        setattr(obj, key, value)
    if changed:
        db.session.flush()
        signal.send(obj, actor=actor, fields=sorted(changed))
    return bool(changed)


#: Schema objects a migration makes by hand for one database only (search
#: indexes: FTS5 tables on SQLite, a tsvector column and GIN index on
#: PostgreSQL), which the models cannot describe. Features add their names.
HAND_MADE: set[str] = set()


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter: leave the hand-made objects out of comparisons."""
    return not (reflected and compare_to is None and name in HAND_MADE)
