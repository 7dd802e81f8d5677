"""What changes the statistics: rollup passes and rebuilds, pruning raw
events, destroying the secrets of days that are over.

Each function takes what it works on (engine, time zone, days) and commits
its own transactions: these run in the worker and on the command line,
never in a request.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from mediahub.stats import rollup
from mediahub.stats.listeners import destroy_secrets
from mediahub.stats.models import DAY_SECRETS
from mediahub.stats.recording import hub_today, oldest_keyed_day
from mediahub.stats.sinks import RedisBuffer

#: Soon after midnight the day before is counted again on every pass (its
#: last events may have been written after a later one).
LATE_EVENTS = dt.timedelta(hours=1)


@dataclass
class PassReport:
    moved: int = 0  # raw events moved from the Redis buffer
    days: list[rollup.DayResult] = field(default_factory=list)
    pruned: int = 0  # raw events deleted (older than STATS_RAW_DAYS)
    secrets_destroyed: int = 0


def run_pass(
    engine: Engine,
    zone: dt.tzinfo,
    raw_days: int,
    buffer: RedisBuffer | None = None,
    now: float | None = None,
) -> PassReport:
    """One pass of the worker: move buffered events in, count today (and any
    day with new events) again, delete old raw events and past secrets."""
    now = time.time() if now is None else now
    report = PassReport()
    if buffer is not None:
        report.moved = buffer.drain(engine)
    today = hub_today(zone, now)
    always = {today, (dt.datetime.fromtimestamp(now, zone) - LATE_EVENTS).date()}
    with engine.begin() as conn:
        days, newest = rollup.pending_days(conn, always)
    for day in days:
        with engine.begin() as conn:
            report.days.append(rollup.rollup_day(conn, day, zone))
    with engine.begin() as conn:
        rollup.remember(conn, newest)
        report.pruned = rollup.prune(conn, today, raw_days)
    report.secrets_destroyed = destroy_secrets(
        engine, DAY_SECRETS, before=oldest_keyed_day(zone, now)
    )
    return report


def rebuild(
    engine: Engine, zone: dt.tzinfo, since: dt.date | None = None
) -> list[rollup.DayResult]:
    """Count every day that still has raw events again (from ``since`` on).

    Days whose raw events were deleted keep the figures they have.
    """
    with engine.begin() as conn:
        days = rollup.days_with_events(conn, since)
    results = []
    for day in days:
        with engine.begin() as conn:
            results.append(rollup.rollup_day(conn, day, zone))
    return results
