"""What is learnt from an upload's bytes while they arrive: their SHA-256 and
the recording's input levels (see mediahub.audio._streaming).

When the last byte arrives, only the encode pass is left for the worker. An
upload's pieces usually come one after the other to the same web process,
which keeps its running state here between them; a piece that lands on
another process (or machine) cannot continue that state, and the worker
then hashes and measures the stored file itself, as before.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from mediahub.audio import LevelsMeter, MeasuredLevels

#: Uploads followed at once per process; the oldest is given up beyond that.
KEPT_MAX = 32
#: An upload whose next piece has not come for this long is given up.
IDLE_SECONDS = 900.0


@dataclass
class Ingest:
    """The running hash and measurement of one upload, up to ``offset``."""

    meter: LevelsMeter
    offset: int = 0
    digest: Any = field(default_factory=hashlib.sha256)
    seen_at: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def feed(self, block: bytes) -> None:
        self.digest.update(block)
        self.meter.feed(block)
        self.offset += len(block)
        self.seen_at = time.monotonic()

    def finish(self) -> tuple[str, MeasuredLevels | None]:
        return self.digest.hexdigest(), self.meter.finish()


class Ingests:
    """This process's running ingests, by upload id."""

    def __init__(self) -> None:
        self._items: dict[str, Ingest] = {}
        self._lock = threading.Lock()

    def begin(
        self, upload_id: str, offset: int, pre_filters_for: Callable[[int], Sequence[str]]
    ) -> Ingest | None:
        """The ingest to feed a piece starting at ``offset``, locked for the caller;
        None when this process did not see the bytes before it (or is busy with them)."""
        with self._lock:
            self._expire()
            found = self._items.get(upload_id)
            if found is not None and found.offset != offset:
                found.meter.abort()
                del self._items[upload_id]
                found = None
            if found is None and offset == 0:
                found = self._items[upload_id] = Ingest(LevelsMeter(pre_filters_for))
            if found is None or not found.lock.acquire(blocking=False):
                return None
            return found

    def end(self, upload_id: str) -> Ingest | None:
        """Take the ingest of a finished upload out (its lock is the caller's)."""
        with self._lock:
            return self._items.pop(upload_id, None)

    def forget(self, upload_id: str) -> None:
        with self._lock:
            found = self._items.pop(upload_id, None)
        if found is not None:
            found.meter.abort()

    def _expire(self) -> None:
        now = time.monotonic()
        by_age = sorted(self._items, key=lambda k: self._items[k].seen_at)
        for n, key in enumerate(by_age):
            if now - self._items[key].seen_at > IDLE_SECONDS or len(by_age) - n >= KEPT_MAX:
                item = self._items.pop(key)
                if not item.lock.locked():  # one in use ends with its request
                    item.meter.abort()


#: One per web process.
ingests = Ingests()
