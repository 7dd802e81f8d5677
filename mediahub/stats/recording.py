"""Recording in one process: its buffer and thread, the day's secrets, where
batches go. One :class:`Recording` per app, kept in ``app.extensions``.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.engine import Engine

from mediahub.core.extensions import db
from mediahub.groups.models import Group
from mediahub.stats.geo import country_of
from mediahub.stats.listeners import DaySecrets, listener_key
from mediahub.stats.models import DAY_SECRETS
from mediahub.stats.recorder import Event, Hit, Preparer, Recorder
from mediahub.stats.sinks import RedisBuffer, database_sink

EXTENSION = "mediahub_stats"
#: After midnight, the day before is still keyed this long (hits waiting in
#: a buffer); then the worker destroys its secret and processes forget it.
GRACE = dt.timedelta(minutes=10)
#: Public feeds are known by slug; the slug's group id is looked up at most
#: this often (seconds).
_SLUG_TTL = 60.0


def hub_zone(app: Flask) -> zoneinfo.ZoneInfo:
    """The hub's time zone: its days are the days statistics count in."""
    return zoneinfo.ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])


def hub_today(zone: dt.tzinfo, now: float | None = None) -> dt.date:
    return dt.datetime.fromtimestamp(time.time() if now is None else now, zone).date()


def oldest_keyed_day(zone: dt.tzinfo, now: float | None = None) -> dt.date:
    """The first day whose secret still exists: yesterday until ``GRACE`` after
    midnight, today after that."""
    moment = dt.datetime.fromtimestamp(time.time() if now is None else now, zone)
    return (moment - GRACE).date()


class Recording:
    """What one process needs to record: see :mod:`mediahub.stats.recorder`."""

    def __init__(self, app: Flask, engine: Engine) -> None:
        cfg = app.config
        self.zone = hub_zone(app)
        self.engine = engine
        self.secrets = DaySecrets(engine, cfg["SECRET_KEY"], DAY_SECRETS)
        sink: Callable[[list[Event]], None]
        if cfg["STATS_BUFFER_URL"]:
            sink = RedisBuffer.from_url(cfg["STATS_BUFFER_URL"], cfg["RATELIMIT_KEY_PREFIX"]).push
        else:
            sink = database_sink(engine)
        preparer = Preparer(
            self.key_for,
            self.zone,
            country_of=country_of if cfg["STATS_COUNTRIES"] else None,
            group_of=self.group_of,
        )
        self.recorder = Recorder(preparer, sink, interval=float(cfg["STATS_FLUSH_SECONDS"]))
        self._slugs: dict[str, tuple[float, int | None]] = {}
        self._slug_lock = threading.Lock()

    def record(self, hit: Hit) -> None:
        self.recorder.record(hit)

    def flush(self) -> int:
        """Write what is waiting now (tests; a clean stop does it by itself)."""
        return self.recorder.flush()

    def key_for(self, day: dt.date, address: str | None, user_agent: str | None) -> int | None:
        oldest = oldest_keyed_day(self.zone)
        self.secrets.forget_before(oldest)
        if day < oldest:
            return None  # its secret is gone: such a hit can no longer be keyed
        return listener_key(self.secrets.secret_for(day), address, user_agent)

    def group_of(self, slug: str) -> int | None:
        now = time.monotonic()
        with self._slug_lock:
            known = self._slugs.get(slug)
            if known is not None and now - known[0] < _SLUG_TTL:
                return known[1]
        with self.engine.connect() as conn:
            found = conn.execute(select(Group.id).where(Group.slug == slug)).scalar()
        with self._slug_lock:
            if len(self._slugs) > 10_000:
                self._slugs.clear()
            self._slugs[slug] = (now, found)
        return found


def init_recording(app: Flask) -> Recording | None:
    """Set up recording for ``app`` when statistics are on."""
    if not app.config["STATS_ENABLED"]:
        return None
    with app.app_context():
        engine = db.engine
    recording = Recording(app, engine)
    app.extensions[EXTENSION] = recording
    return recording


def recording_of(app: Any) -> Recording | None:
    """The app's recording, or None when statistics are off."""
    found: Recording | None = app.extensions.get(EXTENSION)
    return found
