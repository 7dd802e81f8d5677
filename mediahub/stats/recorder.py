"""Recording requests without slowing them: an in-memory buffer, emptied in
batches by a background thread.

The request's path only appends a :class:`Hit` to a deque (about a
microsecond). Every ``STATS_FLUSH_SECONDS`` (default 2) a thread of the same
process turns the waiting hits into raw events — the listener's keyed hash,
the class of their app and device, optionally a country code; the address
and user agent go no further — and hands them to the sink in one write (the
database, or a Redis list the worker moves into it).

A clean shutdown (SIGTERM to gunicorn, Ctrl+C) writes what is waiting
(``atexit``). A crash loses the hits of at most the last flush interval.
The buffer is bounded (``MAX_PENDING``): a flood beyond it is dropped and
counted in the log, never kept in memory without end.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from mediahub.stats.agents import announced_subscribers, classify

log = logging.getLogger(__name__)

#: Hits kept waiting at most; beyond, new ones are dropped (and counted).
MAX_PENDING = 200_000
#: Prepared events kept for another try when the sink failed.
MAX_RETRY = 200_000
#: Flush rounds without anything to write after which the thread ends.
IDLE_ROUNDS = 30


class Hit(NamedTuple):
    """One counted request as the request's path hands it over (memory only)."""

    at: float  # POSIX time
    address: str | None
    user_agent: str | None
    kind: str  # "audio" or "feed"
    group: int | str | None  # group id, or a public feed's group slug; None: the hub
    episode_id: int | None = None
    feed: str | None = None  # "podcast" or "blog"
    start: int = 0
    stop: int = 0
    needed: int = 0


Event = dict[str, Any]


class Preparer:
    """Turns hits into raw events: the only place that sees both the address
    and the user agent, and the point after which neither exists.

    Args:
        key_for: ``(day, address, user_agent)`` → the listener's key, or None
            when the day's secret is gone (a hit from a day long over).
        zone: the hub's time zone (days are its days).
        country_of: address → ISO country code ("" when unknown), or None
            when countries are not recorded.
        group_of: a group's slug → its id (public feeds are known by slug).
    """

    def __init__(
        self,
        key_for: Callable[[dt.date, str | None, str | None], int | None],
        zone: dt.tzinfo,
        country_of: Callable[[str | None], str] | None = None,
        group_of: Callable[[str], int | None] | None = None,
    ) -> None:
        self.key_for = key_for
        self.zone = zone
        self.country_of = country_of
        self.group_of = group_of

    def __call__(self, hits: Iterable[Hit]) -> list[Event]:
        events = []
        polls: set[tuple[Any, ...]] = set()
        for hit in hits:
            if hit.kind == "feed":
                # Feeds count different listeners a day (and what aggregators
                # announce in their user agent): the same app polling the
                # same feed again within the minute adds nothing, and a
                # client polling in a loop must not write a row per request.
                poll = (hit.group, hit.feed, hit.address, hit.user_agent, int(hit.at) // 60)
                if poll in polls:
                    continue
                polls.add(poll)
            event = self.prepare(hit)
            if event is not None:
                events.append(event)
        return events

    def prepare(self, hit: Hit) -> Event | None:
        group = hit.group
        if isinstance(group, str):
            group = self.group_of(group) if self.group_of else None
            if group is None:
                return None  # the group is gone (or was renamed) since
        day = dt.datetime.fromtimestamp(hit.at, self.zone).date()
        listener = self.key_for(day, hit.address, hit.user_agent)
        if listener is None:
            return None
        agent = classify(hit.user_agent)
        return {
            "day": day,
            "kind": hit.kind,
            "group_id": group,
            "episode_id": hit.episode_id,
            "feed": hit.feed,
            "listener": listener,
            "agent_kind": agent.kind.value,
            "agent": agent.name,
            "device": agent.device,
            "category": agent.category,
            "country": self.country_of(hit.address) if self.country_of else "",
            "start": hit.start,
            "stop": hit.stop,
            "needed": hit.needed,
            "subscribers": announced_subscribers(hit.user_agent, agent)
            if hit.kind == "feed"
            else None,
        }


class Recorder:
    """The process's buffer of hits and the thread that empties it.

    Args:
        prepare: hits → raw events (a :class:`Preparer`).
        sink: writes a batch of raw events (raises when it cannot).
        interval: seconds between two flushes.
    """

    def __init__(
        self,
        prepare: Callable[[Iterable[Hit]], list[Event]],
        sink: Callable[[list[Event]], None],
        interval: float = 2.0,
    ) -> None:
        self.prepare = prepare
        self.sink = sink
        self.interval = interval
        self._pending: deque[Hit] = deque()
        self._retry: list[Event] = []
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._dropped = 0
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._running = False
        self._starting = threading.Lock()
        self._at_exit = False

    def record(self, hit: Hit) -> None:
        """Keep ``hit`` for the next flush (the request's path: no I/O)."""
        if self._pid != os.getpid():
            self._after_fork()
        if len(self._pending) >= MAX_PENDING:
            self._dropped += 1
            return
        self._pending.append(hit)
        # Appended first, checked second: a thread that is just ending
        # looks at the buffer once more after saying so (see _run).
        if not self._running:
            self._start()

    def _after_fork(self) -> None:
        # Threads do not survive a fork (gunicorn's workers), and what the
        # parent had waiting is the parent's to write.
        self._pid = os.getpid()
        self._pending.clear()
        self._retry = []
        self._flushing = threading.Lock()
        self._running = False

    def _start(self) -> None:
        with self._starting:
            if self._running:
                return
            self._running = True
            self._stopped = False
            self._thread = threading.Thread(target=self._run, name="mediahub-stats", daemon=True)
            self._thread.start()
        if not self._at_exit:
            atexit.register(self.close)
            self._at_exit = True

    def _run(self) -> None:
        idle = 0
        while not self._stopped:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                idle = 0 if self.flush() or self._retry else idle + 1
            except Exception:  # the next round tries again; requests never see it
                log.exception("statistics: writing recorded requests failed")
            if idle >= IDLE_ROUNDS:
                # Nothing for a while: end the thread; the next hit starts one.
                self._running = False
                if not self._pending:
                    return
                self._running = True
                idle = 0

    def flush(self) -> int:
        """Write everything waiting now; returns the number of events written.

        Raises:
            Exception: whatever the sink raised (the events are kept for the
                next flush).
        """
        with self._flushing:
            hits = []
            while self._pending:
                hits.append(self._pending.popleft())
            events = self._retry + self.prepare(hits)
            self._retry = []
            if self._dropped:
                log.warning("statistics: %d requests not recorded (buffer full)", self._dropped)
                self._dropped = 0
            if not events:
                return 0
            try:
                self.sink(events)
            except Exception:
                self._retry = events[-MAX_RETRY:]
                raise
            return len(events)

    def close(self) -> None:
        """Stop the thread and write what is waiting (clean shutdown)."""
        self._stopped = True
        self._wake.set()
        if self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=5)
        if self._pid == os.getpid():
            try:
                self.flush()
            except Exception:
                log.exception("statistics: writing the last recorded requests failed")
