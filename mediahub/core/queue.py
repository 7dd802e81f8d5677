"""The job queue: one Huey instance, storage chosen by configuration.

Tasks take ids, run inside an app context and are enqueued only after the
transaction that made them necessary has committed (a task must never see
rows that a rollback removed). Status lives in database rows; the queue is a
trigger only.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

#: A session or Flask-SQLAlchemy's scoped ``db.session`` (its info is the session's).
AnySession = Session | scoped_session[Any]

huey = Huey("mediahub", storage_class=MemoryStorage, utc=True)
log = logging.getLogger(__name__)

_app: Flask | None = None
#: Set when this worker was told to stop: a job interrupted then is handed
#: back (see mediahub.media.processing), not counted as a failed attempt.
stopping = threading.Event()
_PENDING = "mediahub_pending_tasks"
_NOW = "mediahub_after_commit_calls"


def init_queue(app: Flask) -> None:
    """Point the shared Huey instance at the configured storage."""
    global _app
    _app = app
    url = app.config["QUEUE_URL"]
    if url:
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": url}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": str(Path(app.instance_path) / "queue.db")}
    huey.immediate_use_memory = True
    huey._immediate = bool(app.config["QUEUE_IMMEDIATE"])
    huey.storage = huey.create_storage()


def bound_app() -> Flask:
    """The app this process's queue belongs to (for worker hooks)."""
    if _app is None:
        raise RuntimeError("the queue is not bound to an app; call create_app() first")
    return _app


def _in_app_context(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn`` in the current app context, or the bound app's (worker)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            return fn(*args, **kwargs)
        with bound_app().app_context():
            return fn(*args, **kwargs)

    return run


def app_task(**task_kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a Huey task whose body runs inside the app context."""
    return lambda fn: huey.task(**task_kwargs)(_in_app_context(fn))


def app_periodic_task(schedule: Callable[..., bool], **task_kwargs: Any) -> Callable[..., Any]:
    """Like :func:`app_task`, for tasks run by the consumer's scheduler."""
    return lambda fn: huey.periodic_task(schedule, **task_kwargs)(_in_app_context(fn))


def enqueue_after_commit(
    session: AnySession, task: Callable[..., Any], *args: Any, **kwargs: Any
) -> None:
    """Enqueue ``task`` once the session's current transaction commits."""
    session.info.setdefault(_PENDING, []).append((task, args, kwargs))


def enqueue_once_after_commit(
    session: AnySession, task: Callable[..., Any], *args: Any, **kwargs: Any
) -> None:
    """Like :func:`enqueue_after_commit`, unless the same call is already pending
    (several signals of one transaction need one rebuild, not five)."""
    if (task, args, kwargs) not in session.info.get(_PENDING, []):
        enqueue_after_commit(session, task, *args, **kwargs)


def run_after_commit(session: AnySession, fn: Callable[..., Any], *args: Any) -> None:
    """Call ``fn(*args)`` in this process once the session's transaction
    commits, before the request answers: for what a person must see take
    effect at once (a feed that stops showing a withdrawn episode).

    It runs in an app context, and so a session, of its own; once only per
    transaction however often it is asked for. The commit is done by then,
    so an error is logged, not raised: callers also queue the same work.
    """
    calls = session.info.setdefault(_NOW, [])
    if (fn, args) not in calls:
        calls.append((fn, args))


def _in_own_context(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    if _app is None:
        fn(*args, **kwargs)
        return
    # This session is still inside its commit: a fresh app context gives
    # the call a session of its own, as a worker would have.
    with _app.app_context():
        fn(*args, **kwargs)


@event.listens_for(Session, "after_commit")
def _run_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for task, args, kwargs in pending:
        if huey.immediate:
            _in_own_context(task, *args, **kwargs)
            continue
        try:
            task(*args, **kwargs)
        except Exception:  # queue unreachable (Redis restarting): the commit stands
            # Recordings are handed to the queue again by the reconciler (their
            # row says "uploaded"); feeds are rebuilt with the next change.
            log.warning("could not queue %s%r", getattr(task, "name", task), args, exc_info=True)
    for fn, args in session.info.pop(_NOW, []):
        try:
            _in_own_context(fn, *args)
        except Exception:  # the commit stands; the queued twin does it again
            log.exception("%s%r after commit failed", getattr(fn, "__name__", fn), args)


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_NOW, None)
