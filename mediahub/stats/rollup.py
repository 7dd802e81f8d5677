"""The rollup: raw events of a day → that day's figures, rewritten whole.

A day is always counted from all of its raw events at once (dedup per
listener and joined byte ranges need the whole day), in one transaction
that replaces the day's rows in every rollup table, so pages never see a
half-counted day. The worker does this every minute for today (and for any
day that got late events); ``mediahub stats rollup --rebuild --since DATE``
does it for every day whose raw events are still kept.

Raw events older than ``STATS_RAW_DAYS`` are deleted; the rollups of their
days stay as they are, forever.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from mediahub.episodes.models import Episode
from mediahub.groups.models import Group
from mediahub.stats.models import (
    StatsDaily,
    StatsEpisodeDay,
    StatsEvent,
    StatsFeedDay,
    StatsGroupDay,
    StatsRollupState,
)
from mediahub.stats.tally import Figures, count_audio, count_feeds

_AUDIO_COLUMNS = (
    StatsEvent.episode_id,
    StatsEvent.group_id,
    StatsEvent.listener,
    StatsEvent.agent_kind,
    StatsEvent.agent,
    StatsEvent.category,
    StatsEvent.country,
    StatsEvent.start,
    StatsEvent.stop,
    StatsEvent.needed,
)
_FEED_COLUMNS = (
    StatsEvent.group_id,
    StatsEvent.feed,
    StatsEvent.listener,
    StatsEvent.agent_kind,
    StatsEvent.agent,
    StatsEvent.subscribers,
)
_ROLLUPS = (StatsDaily, StatsEpisodeDay, StatsGroupDay, StatsFeedDay)
#: Rows read from the database at a time (a day may have a million events).
_BATCH = 20_000


@dataclass(frozen=True, slots=True)
class DayResult:
    day: dt.date
    events: int
    downloads: int


def count_stored_day(conn: Connection, day: dt.date) -> tuple[Figures, int]:
    """Count the raw events of ``day``; returns the figures and how many events."""
    figures = Figures()
    # Streamed in batches (a server-side cursor on PostgreSQL), for this
    # statement only: the connection goes on to write.
    audio = conn.execute(
        select(*_AUDIO_COLUMNS)
        .where(StatsEvent.day == day, StatsEvent.kind == "audio")
        .order_by(StatsEvent.episode_id, StatsEvent.listener)
        .execution_options(yield_per=_BATCH)
    )
    seen = _Counting(audio)
    count_audio(seen, figures)  # rows are named tuples too
    feeds = _Counting(
        conn.execute(select(*_FEED_COLUMNS).where(StatsEvent.day == day, StatsEvent.kind == "feed"))
    )
    count_feeds(feeds, figures)
    return figures, seen.n + feeds.n


class _Counting:
    """An iterable of rows that counts them on the way."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Any:
        for row in self.rows:
            self.n += 1
            yield row


def _episodes(conn: Connection, ids: Iterable[int], zone: dt.tzinfo) -> dict[int, Any]:
    """The episodes that still exist: id → (group id, local day of publication)."""
    found: dict[int, Any] = {}
    ids = list(ids)
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(Episode.id, Episode.group_id, Episode.published_at).where(
                Episode.id.in_(ids[start : start + 500])
            )
        )
        for episode_id, group_id, published_at in rows:
            first = published_at.astimezone(zone).date() if published_at else None
            found[episode_id] = (group_id, first)
    return found


def _groups(conn: Connection, ids: Iterable[int | None]) -> set[int]:
    wanted = [i for i in set(ids) if i is not None]
    if not wanted:
        return set()
    return set(conn.execute(select(Group.id).where(Group.id.in_(wanted))).scalars())


def write_day(conn: Connection, day: dt.date, figures: Figures, zone: dt.tzinfo) -> int:
    """Replace ``day``'s rows in every rollup table; returns its downloads.

    Figures of episodes and groups deleted since are left out.
    """
    for table in _ROLLUPS:
        conn.execute(delete(table).where(table.day == day))
    episodes = _episodes(conn, {e for _, e in figures.episodes}, zone)
    groups = _groups(
        conn,
        [g for g, _, _ in figures.downloads]
        + [g for g, _ in figures.feed_listeners]
        + [g for g, _ in figures.feed_announced],
    )
    daily = [
        {"day": day, "group_id": episodes[e][0], "episode_id": e, "app": app[:60],
         "device": device[:16], "country": country, "downloads": n}
        for (_, e, app, device, country), n in figures.daily.items()
        if e in episodes
    ]  # fmt: skip
    per_episode = [
        {"day": day, "group_id": episodes[e][0], "episode_id": e, "downloads": n,
         "age": (day - episodes[e][1]).days if episodes[e][1] and episodes[e][1] <= day else None}
        for (_, e), n in figures.episodes.items()
        if e in episodes
    ]  # fmt: skip
    per_group = [
        {"day": day, "group_id": g, "dimension": dimension, "value": value[:60],
         "downloads": n, "listeners": len(figures.listeners[(g, dimension, value)])}
        for (g, dimension, value), n in figures.downloads.items()
        if g is None or g in groups
    ]  # fmt: skip
    feeds = [
        {"day": day, "group_id": g, "feed": feed,
         "listeners": len(figures.feed_listeners.get((g, feed), ())),
         "announced": sum(figures.feed_announced.get((g, feed), {}).values())}
        for g, feed in set(figures.feed_listeners) | set(figures.feed_announced)
        if g is None or g in groups
    ]  # fmt: skip
    for table, rows in (
        (StatsDaily, daily),
        (StatsEpisodeDay, per_episode),
        (StatsGroupDay, per_group),
        (StatsFeedDay, feeds),
    ):
        if rows:
            conn.execute(insert(table), rows)
    return sum(row["downloads"] for row in per_episode)


def lock(conn: Connection) -> None:
    """Serialise rollups (several workers, the command line): a write to the
    one state row first, which holds SQLite's write lock and PostgreSQL's row
    lock until this transaction ends. Without it, two counts of one day could
    both delete its rows and both insert theirs."""
    column = StatsRollupState.last_event_id
    stmt = update(StatsRollupState).where(StatsRollupState.id == 1).values(last_event_id=column)
    if conn.execute(stmt).rowcount:
        return
    insert_row = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        insert_row(StatsRollupState)
        .values(id=1, last_event_id=0)
        .on_conflict_do_nothing(index_elements=["id"])
    )
    conn.execute(stmt)


def rollup_day(conn: Connection, day: dt.date, zone: dt.tzinfo) -> DayResult:
    """Count ``day`` again from its raw events and replace its figures."""
    lock(conn)
    figures, events = count_stored_day(conn, day)
    downloads = write_day(conn, day, figures, zone)
    return DayResult(day, events, downloads)


def days_with_events(conn: Connection, since: dt.date | None = None) -> list[dt.date]:
    """Every day that still has raw events (from ``since`` on)."""
    query = select(StatsEvent.day).distinct().order_by(StatsEvent.day)
    if since is not None:
        query = query.where(StatsEvent.day >= since)
    return list(conn.execute(query).scalars())


def pending_days(conn: Connection, always: Iterable[dt.date]) -> tuple[list[dt.date], int]:
    """The days to count again: ``always`` (today; yesterday too soon after
    midnight, for events whose write was slower than a later one's) and every
    day with events newer than the last pass. Returns them with the newest
    event id seen now."""
    last = conn.execute(select(StatsRollupState.last_event_id).where(StatsRollupState.id == 1))
    last_id = last.scalar() or 0
    newest = conn.execute(select(func.max(StatsEvent.id))).scalar() or 0
    days = set(
        conn.execute(
            select(StatsEvent.day)
            .distinct()
            .where(StatsEvent.id > last_id, StatsEvent.id <= newest)
        ).scalars()
    )
    days.update(always)
    return sorted(days), newest


def remember(conn: Connection, newest: int) -> None:
    """Note how far the raw events have been counted."""
    lock(conn)
    conn.execute(
        update(StatsRollupState)
        .where(StatsRollupState.id == 1, StatsRollupState.last_event_id < newest)
        .values(last_event_id=newest)
    )


def prune(conn: Connection, today: dt.date, raw_days: int) -> int:
    """Delete raw events older than ``raw_days`` days; returns how many."""
    cutoff = today - dt.timedelta(days=raw_days)
    return conn.execute(delete(StatsEvent).where(StatsEvent.day < cutoff)).rowcount or 0
