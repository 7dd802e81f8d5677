"""The worker's sign of life for the health page."""

from __future__ import annotations

import datetime as dt
import os
import socket

from huey import crontab
from sqlalchemy import delete

from mediahub.admin.models import WorkerHeartbeat
from mediahub.core.extensions import db
from mediahub.core.queue import app_periodic_task
from mediahub.core.types import utcnow

#: Rows of workers silent for this long are dropped (restarted processes).
FORGET_AFTER = dt.timedelta(days=1)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def beat(now: dt.datetime | None = None) -> None:
    """Record that this worker process is alive, and forget long-gone ones."""
    now = now or utcnow()
    row = db.session.get(WorkerHeartbeat, worker_name())
    if row is None:
        db.session.add(WorkerHeartbeat(name=worker_name(), seen_at=now))
    else:
        row.seen_at = now
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < now - FORGET_AFTER))
    db.session.commit()


@app_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Every minute, run by the worker's scheduler."""
    beat()
