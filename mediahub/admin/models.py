"""What the health page reads: the workers' sign of life."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.extensions import Model
from mediahub.core.types import UTCDateTime, utcnow


class WorkerHeartbeat(Model):
    """One row per worker process (``host:pid``), touched every minute by a
    periodic task; the health page shows how long ago the newest one was."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
