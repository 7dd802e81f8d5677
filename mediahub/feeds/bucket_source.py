"""Public feeds read from the bucket, for the responder of every web machine.

Each process keeps what it read and asks the bucket again after
``FEEDS_REVALIDATE_SECONDS`` (a conditional GET). When the bucket cannot be
reached, listeners keep getting the feed as it was last read — from the
process's memory, or from the copy this machine keeps on its own disk (its
other web processes, or the one before a restart, may have read it) — and
nobody waits on the bucket: it is asked with one quick attempt, and after a
failure not again for :attr:`S3FeedSource.QUIET_S` seconds. A feed this
machine never read answers 503 then, and so does one it has not seen current
for :data:`STALE_MAX_S`: a group that went private, or was removed, while
nobody asked for its feed must not come back from an old copy.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from mediahub.feeds import writer
from mediahub.feeds.responder import (
    DEFAULT_BODY_BUDGET,
    FEED_TYPES,
    BodyCache,
    FeedBody,
    SourceUnavailable,
)
from mediahub.storage import StorageError

if TYPE_CHECKING:
    from mediahub.feeds.store import S3FeedStore

log = logging.getLogger(__name__)

#: How long after it was last seen current a feed may be answered without
#: the bucket.
STALE_MAX_S = 3600.0
#: A kept copy's time is brought forward at most this often per process.
TOUCH_EVERY_S = 60.0


@contextlib.contextmanager
def storage_errors(action: str, name: str) -> Iterator[None]:
    """boto3's errors as :class:`StorageError` (``feed <name>: <action> failed``)."""
    try:
        yield
    except (BotoCoreError, ClientError) as err:
        raise StorageError(f"feed {name}: {action} failed: {err}") from err


class MachineCopies:
    """The version of each public feed this machine last read from the bucket,
    in a folder on its own disk, for when the bucket cannot be reached.

    One file per feed body (``<slug>/podcast.xml``, its ``.gz``): a line of
    JSON (the bucket's ETag, when it was written) and the bytes; its
    modification time says when the version was last seen current. Written
    without fsync — a copy lost in a crash is read again from the bucket.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._warned = False

    def _path(self, name: str, is_gzip: bool) -> Path:
        return self.root / (name + ".gz" if is_gzip else name)

    def save(self, name: str, is_gzip: bool, s3_etag: str, modified: float, data: bytes) -> None:
        path = self._path(name, is_gzip)
        if self._etag_of(path) == s3_etag:  # another process kept this version already
            self.touch(name, is_gzip)
            return
        head = json.dumps({"etag": s3_etag, "modified": modified}).encode()
        try:
            writer.atomic_write(path, head + b"\n" + data, durable=False)
        except OSError as err:  # a full or read-only disk only costs the fallback
            if not self._warned:  # once per process, not for every feed
                self._warned = True
                log.warning("feeds cannot be kept in %s (%s): set FEEDS_ROOT", self.root, err)

    def touch(self, name: str, is_gzip: bool) -> None:
        """The kept version was seen current just now."""
        with contextlib.suppress(OSError):
            os.utime(self._path(name, is_gzip))

    def drop(self, name: str, is_gzip: bool) -> None:
        with contextlib.suppress(OSError):
            self._path(name, is_gzip).unlink(missing_ok=True)

    def load(self, name: str, is_gzip: bool) -> tuple[str, float, bytes] | None:
        """The kept copy: (the bucket's ETag, modified, bytes); None when
        there is none or it was last seen current longer than STALE_MAX_S ago."""
        path = self._path(name, is_gzip)
        try:
            if time.time() - path.stat().st_mtime > STALE_MAX_S:
                return None
            head, _nl, data = path.read_bytes().partition(b"\n")
            meta = json.loads(head)
            return str(meta["etag"]), float(meta["modified"]), data
        except (OSError, ValueError, KeyError, TypeError):
            return None

    @staticmethod
    def _etag_of(path: Path) -> str | None:
        try:
            with path.open("rb") as fh:
                return str(json.loads(fh.readline())["etag"])
        except (OSError, ValueError, KeyError, TypeError):
            return None


class S3FeedSource:
    """Public feeds for the responder, read from the bucket (see the module).

    Bodies are kept within a byte budget and fetched again when pushed out.
    """

    #: Feeds whose state is kept per process (bodies are bounded separately).
    KEPT_MAX = 100_000
    #: After the bucket could not be reached, it is not asked for this long.
    QUIET_S = 5.0

    def __init__(
        self, store: S3FeedStore, revalidate_s: float, *, kept: str | os.PathLike[str] | None = None
    ) -> None:
        self.store = store
        self.revalidate_s = revalidate_s
        self.copies = MachineCopies(kept) if kept is not None else None
        self._known: dict[tuple[str, bool], tuple[float, FeedBody | None]] = {}
        self._lock = threading.Lock()
        self._quiet_until = 0.0
        self._touched: dict[tuple[str, bool], float] = {}
        self.bodies = BodyCache(DEFAULT_BODY_BUDGET)

    def lookup(self, name: str, gz: bool, *, fresh: bool = False) -> FeedBody | None:
        if fresh:  # what was kept could not be read: ask the bucket now
            with self._lock:
                self._known.pop((name, True), None)
                self._known.pop((name, False), None)
        if gz:
            try:
                twin = self._current(f"public/{name}.gz", name, True)
            except SourceUnavailable:
                twin = None  # the plain body may still be known
            if twin is not None:
                return twin
        return self._current(f"public/{name}", name, False)

    def _current(self, key: str, name: str, is_gzip: bool) -> FeedBody | None:
        now = time.monotonic()
        known = self._known.get((name, is_gzip))
        if known is not None and now - known[0] < self.revalidate_s:
            return known[1]
        if now < self._quiet_until:
            return self._without_bucket(key, name, is_gzip, known)
        try:
            body = self._fetch(key, name, is_gzip, known[1] if known else None)
        except StorageError as err:
            self._quiet_until = time.monotonic() + self.QUIET_S
            log.warning("feeds are answered from kept copies for %s s: %s", self.QUIET_S, err)
            return self._without_bucket(key, name, is_gzip, known)
        with self._lock:
            if len(self._known) >= self.KEPT_MAX:
                self._known.clear()
            self._known[(name, is_gzip)] = (now, body)
        return body

    def _without_bucket(
        self, key: str, name: str, is_gzip: bool, known: tuple[float, FeedBody | None] | None
    ) -> FeedBody | None:
        """What was read last (this process, else this machine), or 503."""
        if known is not None and time.monotonic() - known[0] <= STALE_MAX_S:
            return known[1]
        copy = self.copies.load(name, is_gzip) if self.copies is not None else None
        if copy is None:
            raise SourceUnavailable(name)
        s3_etag, modified, data = copy
        return self._body(key, name, is_gzip, s3_etag, modified, data)

    def _fetch(self, key: str, name: str, is_gzip: bool, old: FeedBody | None) -> FeedBody | None:
        storage = self.store.storage
        extra = {"IfNoneMatch": old.identity[0]} if old is not None else {}
        with storage_errors("read", key):
            try:
                found = storage.quick_client.get_object(
                    Bucket=storage.bucket, Key=self.store._object(key), **extra
                )
            except ClientError as err:
                code = err.response.get("Error", {}).get("Code")
                if code in ("304", "NotModified"):
                    self._confirmed(name, is_gzip)
                    return old
                if code in ("404", "NoSuchKey", "NotFound"):
                    if self.copies is not None:
                        self.copies.drop(name, is_gzip)
                    return None
                raise
            data = found["Body"].read()
        s3_etag, modified = found["ETag"], found["LastModified"].timestamp()
        if self.copies is not None and (old is None or old.identity[0] != s3_etag):
            self.copies.save(name, is_gzip, s3_etag, modified, data)
        return self._body(key, name, is_gzip, s3_etag, modified, data)

    def _confirmed(self, name: str, is_gzip: bool) -> None:
        if self.copies is None:
            return
        now = time.monotonic()
        if now - self._touched.get((name, is_gzip), -TOUCH_EVERY_S) >= TOUCH_EVERY_S:
            if len(self._touched) >= self.KEPT_MAX:
                self._touched.clear()
            self._touched[(name, is_gzip)] = now
            self.copies.touch(name, is_gzip)

    def _body(
        self, key: str, name: str, is_gzip: bool, s3_etag: str, modified: float, data: bytes
    ) -> FeedBody:
        identity = (s3_etag, is_gzip)
        self.bodies.get(identity, lambda: data)
        return FeedBody(
            identity=identity,
            content_type=FEED_TYPES[name.rsplit("/", 1)[-1]],
            etag=f'"{s3_etag.strip(chr(34))}{"-gz" if is_gzip else ""}"',
            last_modified=formatdate(modified, usegmt=True),
            size=len(data),
            is_gzip=is_gzip,
            read=lambda: self.bodies.get(identity, lambda: self._download(key, s3_etag)),
        )

    def _download(self, key: str, s3_etag: str) -> bytes:
        storage = self.store.storage
        try:
            with storage_errors("read", key):
                found: Any = storage.quick_client.get_object(
                    Bucket=storage.bucket, Key=self.store._object(key), IfMatch=s3_etag
                )
                data: bytes = found["Body"].read()
                return data
        except StorageError:
            # Gone or changed since (IfMatch failed), or unreachable: look again.
            raise FileNotFoundError(key) from None
