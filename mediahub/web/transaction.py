"""The request owns the transaction: one commit point for every view.

As in Indico's request handler (``RH.process``): a view — HTML page, API
call, file download — that returns normally has its changes committed;
one that raises has them rolled back. Handlers never commit themselves,
so none can forget to, and nothing half-done is kept when a later step
fails. :func:`checkpoint` marks the rare work that must stand whatever
follows. Services flush (to get ids and hit constraints early); tasks and
CLI commands run outside requests and commit explicitly.

The commit happens before the response leaves Flask, inside the view's
dispatch: an ``IntegrityError`` or ``StaleDataError`` it raises reaches the
error handlers like any other and becomes a 409; the API's schemas have
already dumped the objects (smorest serialises inside the view).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from mediahub.core.extensions import db


def commit_on_success(view: Callable[[], Any]) -> Any:
    """Run ``view``; commit when it returns, roll back when it raises."""
    try:
        result = view()
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    return result


@contextlib.contextmanager
def checkpoint() -> Iterator[None]:
    """Commit what the block did when it ends, normally or by an exception.

    For the rare work that must stand whatever the rest of the request does:
    the bytes of a resumable upload that arrived before the connection broke
    or before the finished file turned out to be unusable.
    """
    try:
        yield
    finally:
        db.session.commit()
