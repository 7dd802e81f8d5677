"""Background work whose database row is the source of truth.

Audio processing, automatic transcripts and clip rendering work the same
way: a row says ``waiting → running → done | failed`` with attempts and a
heartbeat; a worker *claims* the row with one atomic UPDATE (two workers
never do the same work), a thread keeps the heartbeat while it works, and a
periodic *reconciler* hands rows whose worker went silent (killed, or the
queue's message lost) to the queue again. :class:`JobRow` names the columns
of one such row; :func:`claim`, :func:`lost` and :class:`Heartbeat` are the
three moves, written once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.sql import ColumnElement, Executable

from mediahub.core.extensions import db
from mediahub.core.types import utcnow

log = logging.getLogger(__name__)

#: How often a working job touches its heartbeat.
HEARTBEAT_SECONDS = 10


@dataclass(frozen=True)
class JobRow:
    """The columns of a model that carries background work.

    Attributes:
        model: The mapped class (its primary key is ``id``).
        state, waiting, running: The state column and its two working values.
        heartbeat_at, attempts, error: Touched by :func:`claim`.
        updated_at: How long a row has waited (a lost queue message).
    """

    model: Any
    state: Any
    waiting: Any
    running: Any
    heartbeat_at: Any
    attempts: Any
    error: Any
    updated_at: Any

    def abandoned(self, stale: dt.datetime) -> ColumnElement[bool]:
        """Running, but its worker has been silent since before ``stale``."""
        return and_(
            self.state == self.running,
            or_(self.heartbeat_at.is_(None), self.heartbeat_at < stale),
        )


def stale_before(seconds: float, now: dt.datetime | None = None) -> dt.datetime:
    """The moment before which a silent worker counts as gone."""
    return (now or utcnow()) - dt.timedelta(seconds=seconds)


def claim(job: JobRow, row_id: int, *, stale: dt.datetime, now: dt.datetime) -> bool:
    """Mark the row running if it waits or its worker went silent; commit.

    Returns:
        True when this caller won the row (and counted one more attempt).
    """
    result = db.session.execute(
        update(job.model)
        .where(job.model.id == row_id, or_(job.state == job.waiting, job.abandoned(stale)))
        .values(
            {
                job.state: job.running,
                job.heartbeat_at: now,
                job.error: None,
                job.attempts: job.attempts + 1,
            }
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return cast("CursorResult[Any]", result).rowcount == 1


def lost(job: JobRow, *, stale: dt.datetime, where: Any = True) -> list[int]:
    """Ids of rows whose work was lost: running without a recent heartbeat,
    or waiting since before ``stale`` (the queue's message went missing)."""
    waiting_long = and_(job.state == job.waiting, job.updated_at < stale)
    query = select(job.model.id).where(where, or_(job.abandoned(stale), waiting_long))
    return list(db.session.scalars(query))


class Heartbeat:
    """Run ``statement()`` (an UPDATE touching the heartbeat) every few
    seconds from a thread with its own session, until stopped.

    A failed beat is logged and the next one tried: the work goes on, and at
    worst the reconciler hands it to another worker.
    """

    def __init__(
        self,
        app: Any,
        label: str,
        statement: Callable[[], Executable],
        *,
        every_s: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.app, self.label, self.statement, self.every_s = app, label, statement, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{label}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with self.app.app_context():
            while not self._stop.wait(self.every_s):
                try:
                    db.session.execute(self.statement())
                    db.session.commit()
                except Exception:
                    db.session.rollback()
                    log.exception("heartbeat for %s failed", self.label)
            db.session.remove()
