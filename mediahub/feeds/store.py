"""Where feed files are published: a local folder, or the media bucket.

One machine writes feeds into ``FEEDS_ROOT`` (nginx may serve its ``public``
folder directly). Several web machines must not depend on one machine's
disk, so with the S3 backend the feeds are objects under ``FEEDS_S3_PREFIX``
in the bucket (``feeds/public/<slug>/podcast.xml`` and its ``.gz`` twin,
``feeds/private/…`` for private groups): every worker and web machine
writes and reads the same ones. Names are relative to the store's root::

    public/podcast.xml, public/<slug>/blog.atom, private/<slug>/podcast.xml, settings.sha256

Public feeds are answered from the store by :mod:`mediahub.feeds.responder`
(each process keeps what it found for ``FEEDS_REVALIDATE_SECONDS`` and then
looks again: a ``stat`` of the file, or a conditional GET to the bucket), or
by a CDN in front of the bucket's
``public`` prefix; private feeds always by the application.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from flask import Flask, current_app

from mediahub.feeds import writer
from mediahub.feeds.bucket_source import S3FeedSource, storage_errors
from mediahub.feeds.responder import (
    FEED_MAX_AGE,
    FEED_TYPES,
    LocalFeedSource,
    file_etag,
)
from mediahub.storage import S3Storage, create_storage

_EXTENSION = "mediahub.feeds.store"

_KINDS = ("public", "private")


@dataclass(frozen=True)
class StoredFeed:
    """A feed file's bytes, a validator that changes with every rewrite, and
    when it was written (POSIX time)."""

    data: bytes
    version: str
    modified: float


def make_store(app: Flask) -> FeedStore:
    """The feed store the app's configuration asks for (see FEEDS_STORE)."""
    cfg = app.config
    if cfg["FEEDS_STORE"] == "s3":
        storage = create_storage(cfg)
        assert isinstance(storage, S3Storage)  # checked with the configuration
        return S3FeedStore(
            storage,
            cfg["FEEDS_S3_PREFIX"],
            revalidate_s=float(cfg["FEEDS_REVALIDATE_SECONDS"]),
            kept_dir=Path(cfg["FEEDS_ROOT"]) / "kept",
        )
    return LocalFeedStore(cfg["FEEDS_ROOT"], revalidate_s=float(cfg["FEEDS_REVALIDATE_SECONDS"]))


def store_for(app: Flask) -> FeedStore:
    """The app's feed store (made once per app)."""
    if _EXTENSION not in app.extensions:
        app.extensions[_EXTENSION] = make_store(app)
    found: FeedStore = app.extensions[_EXTENSION]
    return found


def current_store() -> FeedStore:
    """The current app's feed store."""
    return store_for(current_app._get_current_object())  # type: ignore[attr-defined]


class FeedStore(ABC):
    """Publishing and reading feed files (names relative to the store)."""

    @abstractmethod
    def write(self, name: str, data: bytes, *, gz: bool) -> bool:
        """Publish ``data`` unless it is already there; with ``gz`` also a
        gzip twin. Returns whether anything was written."""

    @abstractmethod
    def read(self, name: str) -> StoredFeed | None:
        """The file, or None when there is none."""

    @abstractmethod
    def remove(self, name: str) -> bool:
        """Remove a file and its twin; returns whether one existed."""

    @abstractmethod
    def group_slugs(self) -> dict[str, set[str]]:
        """The group folders present under ``public`` and ``private``."""

    @abstractmethod
    def remove_group(self, kind: str, slug: str) -> None:
        """Remove everything of one group's ``public`` or ``private`` folder."""

    @abstractmethod
    def public_source(self) -> Any:
        """The responder's source of public feeds (:class:`responder.FeedSource`)."""


class LocalFeedStore(FeedStore):
    """Feed files in ``FEEDS_ROOT`` (written atomically, only when changed)."""

    def __init__(self, root: str | Path, *, revalidate_s: float = 0.0) -> None:
        self.root = Path(root)
        self.revalidate_s = revalidate_s

    def write(self, name: str, data: bytes, *, gz: bool) -> bool:
        return writer.write_feed(self.root / name, data, gz=gz)

    def read(self, name: str) -> StoredFeed | None:
        path = self.root / name
        try:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                return StoredFeed(fh.read(), file_etag(st), st.st_mtime)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def remove(self, name: str) -> bool:
        return writer.remove_feed(self.root / name)

    def group_slugs(self) -> dict[str, set[str]]:
        return writer.group_slugs_on_disk(self.root)

    def remove_group(self, kind: str, slug: str) -> None:
        writer.remove_group_files(
            self.root, slug, public=kind == "public", private=kind == "private"
        )

    def public_source(self) -> LocalFeedSource:
        return LocalFeedSource(self.root / "public", self.revalidate_s)


class S3FeedStore(FeedStore):
    """Feed files as objects in the media bucket, under ``prefix``."""

    def __init__(
        self,
        storage: S3Storage,
        prefix: str = "feeds",
        *,
        revalidate_s: float = 1.0,
        kept_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.storage = storage
        self.prefix = prefix.strip("/")
        self.revalidate_s = revalidate_s
        #: Where each web machine keeps the feeds it read, for when the
        #: bucket cannot be reached (None: nowhere).
        self.kept_dir = kept_dir

    def key(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _object(self, name: str) -> str:
        return self.storage.object_name(self.key(name))

    def write(self, name: str, data: bytes, *, gz: bool) -> bool:
        client, bucket = self.storage.client, self.storage.bucket
        md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
        with storage_errors("publish", name):
            current = _head(client, bucket, self._object(name))
            twin = _head(client, bucket, self._object(name + ".gz")) if gz else None
            if current and current["ETag"].strip('"') == md5 and (not gz or twin):
                return False
            content_type = FEED_TYPES.get(name.rsplit("/", 1)[-1], "application/octet-stream")
            cache = (
                "private, no-store"
                if name.startswith("private/")
                else f"max-age={FEED_MAX_AGE}, public"
            )
            client.put_object(
                Bucket=bucket, Key=self._object(name), Body=data, ContentType=content_type,
                CacheControl=cache,
            )  # fmt: skip
            if gz:
                client.put_object(
                    Bucket=bucket, Key=self._object(name + ".gz"),
                    Body=gzip.compress(data, compresslevel=9, mtime=0),
                    ContentType=content_type, ContentEncoding="gzip", CacheControl=cache,
                )  # fmt: skip
        return True

    def read(self, name: str) -> StoredFeed | None:
        with storage_errors("read", name):
            try:
                found = self.storage.client.get_object(
                    Bucket=self.storage.bucket, Key=self._object(name)
                )
            except self.storage.client.exceptions.NoSuchKey:
                return None
            return StoredFeed(
                found["Body"].read(), found["ETag"].strip('"'), found["LastModified"].timestamp()
            )

    def remove(self, name: str) -> bool:
        client, bucket = self.storage.client, self.storage.bucket
        with storage_errors("remove", name):
            existed = _head(client, bucket, self._object(name)) is not None
            client.delete_objects(
                Bucket=bucket,
                Delete={"Objects": [{"Key": self._object(n)} for n in (name, name + ".gz")]},
            )
        return existed

    def group_slugs(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {kind: set() for kind in _KINDS}
        paginator = self.storage.client.get_paginator("list_objects_v2")
        for kind in _KINDS:
            base = self._object(kind) + "/"
            with storage_errors("list", kind):
                for page in paginator.paginate(
                    Bucket=self.storage.bucket, Prefix=base, Delimiter="/"
                ):
                    for common in page.get("CommonPrefixes", []):
                        found[kind].add(common["Prefix"][len(base) :].rstrip("/"))
        return found

    def remove_group(self, kind: str, slug: str) -> None:
        client, bucket = self.storage.client, self.storage.bucket
        base = self._object(f"{kind}/{slug}") + "/"
        with storage_errors("remove", f"{kind}/{slug}"):
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=base
            ):
                keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
                if keys:
                    client.delete_objects(Bucket=bucket, Delete={"Objects": keys})

    def public_source(self) -> S3FeedSource:
        return S3FeedSource(self, self.revalidate_s, kept=self.kept_dir)


def _head(client: Any, bucket: str, key: str) -> dict[str, Any] | None:
    try:
        return client.head_object(Bucket=bucket, Key=key)
    except ClientError as err:
        if err.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
