"""Where prepared raw events go: the database, or a Redis list the worker empties.

Raw events carry no personal data (see :mod:`mediahub.stats.recorder`), so
either place may hold them. Without ``STATS_BUFFER_URL`` each web process
writes its batches straight into ``stats_events`` (one multi-row INSERT
every couple of seconds). With ``STATS_BUFFER_URL=redis://…`` web machines
only push batches to Redis and never write to the database for statistics;
the worker moves them over every minute.

Moving is safe against a crash: a batch is first moved to a processing list
(``LMOVE``), written and committed, and only then removed; a batch found in
the processing list at the next pass is written again. Counting tolerates a
batch written twice (see :mod:`mediahub.stats.tally`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import redis
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from mediahub.stats.models import StatsEvent
from mediahub.stats.recorder import Event

PENDING = "stats:events"
PROCESSING = "stats:events:processing"
_COLUMNS = frozenset(c.name for c in StatsEvent.__table__.columns) - {"id"}


def database_sink(engine: Engine) -> Callable[[list[Event]], None]:
    """Write batches straight into the raw events table."""

    def write(events: list[Event]) -> None:
        with engine.begin() as conn:
            conn.execute(insert(StatsEvent), events)

    return write


def _encode(events: list[Event]) -> str:
    return json.dumps([{**e, "day": e["day"].isoformat()} for e in events], separators=(",", ":"))


#: What each field of a raw event may hold (a batch in Redis is read back
#: with the same care as any input: anything else is dropped).
_INT64 = 2**63
_TEXT = {"kind": 8, "agent_kind": 8, "agent": 60, "device": 30, "category": 16, "country": 2}
_OPTIONAL_INTS = ("group_id", "episode_id", "subscribers")
_COUNTS = ("start", "stop", "needed")


def _valid(item: Any) -> Event | None:
    if not isinstance(item, dict) or set(item) != _COLUMNS:
        return None
    try:
        event = dict(item, day=dt.date.fromisoformat(item["day"]))
    except (TypeError, ValueError):
        return None
    listener = item["listener"]
    feed = item["feed"]
    fine = (
        all(isinstance(item[k], str) and len(item[k]) <= n for k, n in _TEXT.items())
        and (feed is None or (isinstance(feed, str) and len(feed) <= 8))
        and type(listener) is int
        and -_INT64 <= listener < _INT64
        and all(item[k] is None or type(item[k]) is int for k in _OPTIONAL_INTS)
        and all(type(item[k]) is int and 0 <= item[k] < _INT64 for k in _COUNTS)
    )
    return event if fine else None


def _decode(batch: bytes | str) -> list[Event]:
    items = json.loads(batch)
    if not isinstance(items, list):
        return []
    return [event for item in items if (event := _valid(item)) is not None]


class RedisBuffer:
    """Batches of raw events in a Redis list, under the hub's key prefix."""

    def __init__(self, client: Any, prefix: str) -> None:
        self.client = client
        self.pending = f"{prefix}:{PENDING}"
        self.processing = f"{prefix}:{PROCESSING}"

    @classmethod
    def from_url(cls, url: str, prefix: str) -> RedisBuffer:
        return cls(redis.Redis.from_url(url), prefix)

    def push(self, events: list[Event]) -> None:
        """The web side: one RPUSH per batch."""
        self.client.rpush(self.pending, _encode(events))

    def drain(self, engine: Engine, limit: int = 10_000) -> int:
        """The worker side: move up to ``limit`` batches into the database.

        Returns the number of events written.
        """
        written = 0
        # What a crashed pass left behind first, then new batches.
        for batch in self.client.lrange(self.processing, 0, -1):
            written += self._write(engine, batch)
        for _ in range(limit):
            batch = self.client.lmove(self.pending, self.processing, "LEFT", "RIGHT")
            if batch is None:
                break
            written += self._write(engine, batch)
        return written

    def _write(self, engine: Engine, batch: bytes) -> int:
        try:
            events = _decode(batch)
        except (ValueError, RecursionError):
            events = []  # not ours (or damaged): dropped, never retried forever
        if events:
            with engine.begin() as conn:
                conn.execute(insert(StatsEvent), events)
        self.client.lrem(self.processing, 1, batch)
        return len(events)

    def waiting(self) -> int:
        """Batches not yet moved (for health checks and tests)."""
        return int(self.client.llen(self.pending)) + int(self.client.llen(self.processing))
