"""Where the pieces of an unfinished upload collect, so any web machine can
take the next one.

- :class:`FolderPieces`: one file per upload in ``UPLOAD_TEMP_DIR`` — on one
  machine, or a folder every web machine mounts. The file's size is the
  truth about how far the upload got; a lock on it keeps two requests from
  appending at once.
- :class:`S3Pieces`: an S3 multipart upload straight to the original's
  final key. Parts are ``PART_SIZE`` bytes at fixed positions (part *n*
  holds bytes ``(n-1)*PART_SIZE`` up to ``n*PART_SIZE``), so a piece that
  arrives twice, on two machines, writes the same parts again; what does
  not fill a part yet waits as a small ``…/tail`` object and goes in front
  of the next piece. S3 itself is the truth about how far the upload got
  (its list of parts and the tail), and completing the upload makes the
  original appear at once, complete, without a copy.

Both take the bytes of one request through ``on_bytes`` on the way (the
request's hash and loudness measurement; see mediahub.uploads.ingest).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

CHUNK = 1024 * 1024
#: S3's smallest part (except the last) is 5 MiB; larger parts mean fewer requests.
PART_SIZE = 8 * CHUNK

Reader = Callable[[int], bytes]


class PiecesBusy(Exception):
    """Another request is appending to this upload right now."""


class OffsetMismatch(Exception):
    """The piece does not start where the upload stands."""

    def __init__(self, current: int) -> None:
        super().__init__(current)
        self.current = current


class TooLarge(Exception):
    """More bytes than the upload announced."""


def original_key(upload_id: str) -> str:
    """The original's storage key for an upload (the same on every machine)."""
    digest = hashlib.sha256(upload_id.encode()).hexdigest()[:32]
    return f"originals/episode_audio/{digest[:2]}/{digest}"


class Pieces(ABC):
    """The bytes of unfinished uploads."""

    @abstractmethod
    def offset(self, upload_id: str) -> int:
        """How many bytes of the upload are safely kept."""

    @abstractmethod
    def append(
        self,
        upload_id: str,
        offset: int,
        length: int,
        read: Reader,
        on_bytes: Callable[[bytes], None] = lambda _b: None,
    ) -> int:
        """Append what ``read`` gives (until it gives ``b""``) at ``offset``.

        Returns the new offset. What arrived before a dropped connection is kept.

        Raises:
            OffsetMismatch: ``offset`` is not where the upload stands.
            TooLarge: the bytes go beyond ``length``; nothing of them is kept.
            PiecesBusy: another request is appending.
        """

    @abstractmethod
    def complete(self, upload_id: str, length: int, storage: Any) -> str:
        """Put the complete upload into ``storage``; returns its key."""

    @abstractmethod
    def discard(self, upload_id: str) -> None:
        """Forget the bytes of an upload."""

    def remove_strays(self, live: set[str], older_than: dt.datetime) -> None:  # noqa: B027
        """Remove the bytes of uploads that have no row any more (optional)."""


def _copy(
    read: Reader, remaining: int, write: Callable[[bytes], None], on_bytes: Callable[[bytes], None]
) -> int:
    """Copy until the reader ends; raises TooLarge past ``remaining`` bytes."""
    written = 0
    while block := read(min(CHUNK, remaining - written + 1)):
        if written + len(block) > remaining:
            raise TooLarge
        write(block)
        on_bytes(block)
        written += len(block)
    return written


class FolderPieces(Pieces):
    """``<folder>/<id>.part`` files (a folder all web machines share, or one's own)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def path(self, upload_id: str) -> Path:
        # Upload ids are token_urlsafe (letters, digits, "-", "_"): safe as file names.
        return self.folder / f"{upload_id}.part"

    def offset(self, upload_id: str) -> int:
        try:
            return self.path(upload_id).stat().st_size
        except FileNotFoundError:
            return 0

    @contextlib.contextmanager
    def _locked(self, upload_id: str) -> Iterator[BinaryIO]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fh = open(self.path(upload_id), "ab")  # noqa: SIM115 - closed below
        try:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PiecesBusy from None
            yield fh
        finally:
            fh.close()

    def append(
        self,
        upload_id: str,
        offset: int,
        length: int,
        read: Reader,
        on_bytes: Callable[[bytes], None] = lambda _b: None,
    ) -> int:
        with self._locked(upload_id) as fh:
            start = os.fstat(fh.fileno()).st_size
            if offset != start:
                raise OffsetMismatch(start)

            def write(block: bytes) -> None:
                fh.write(block)

            try:
                _copy(read, length - start, write, on_bytes)
            except TooLarge:
                fh.flush()
                fh.truncate(start)
                raise
            finally:
                fh.flush()
                os.fsync(fh.fileno())
            return os.fstat(fh.fileno()).st_size

    def complete(self, upload_id: str, length: int, storage: Any) -> str:
        key = original_key(upload_id)
        path = self.path(upload_id)
        adopt = getattr(storage, "adopt", None)
        if adopt is not None:  # local storage: the file moves, its bytes are not copied
            adopt(key, path)
        else:
            storage.put_file(key, path)
            path.unlink(missing_ok=True)
        return key

    def discard(self, upload_id: str) -> None:
        self.path(upload_id).unlink(missing_ok=True)

    def remove_strays(self, live: set[str], older_than: dt.datetime) -> None:
        cutoff = older_than.timestamp()
        for path in self.folder.glob("*.part"):
            if path.stem not in live:
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()


class S3Pieces(Pieces):
    """A multipart upload to the original's key in the bucket (see the module's text)."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage  # mediahub.storage.S3Storage

    @property
    def _client(self) -> Any:
        return self.storage.client

    def _object(self, upload_id: str) -> str:
        return self.storage.object_name(original_key(upload_id))

    def _tail(self, upload_id: str) -> str:
        return self.storage.object_name(f"uploads/{original_key(upload_id)}/tail")

    def _multipart(self, upload_id: str) -> str | None:
        """The multipart upload collecting this upload's parts, if any."""
        pages = self._client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.storage.bucket, Prefix=self._object(upload_id)
        )
        for page in pages:
            for found in page.get("Uploads", []):
                if found["Key"] == self._object(upload_id):
                    return str(found["UploadId"])
        return None

    def _new_multipart(self, upload_id: str) -> str:
        created = self._client.create_multipart_upload(
            Bucket=self.storage.bucket, Key=self._object(upload_id)
        )
        return str(created["UploadId"])

    def _parts(self, upload_id: str, multipart: str) -> list[dict[str, Any]]:
        """The parts in place, in order, up to the first gap."""
        parts = []
        pages = self._client.get_paginator("list_parts").paginate(
            Bucket=self.storage.bucket, Key=self._object(upload_id), UploadId=multipart
        )
        for page in pages:
            parts += page.get("Parts", [])
        parts.sort(key=lambda p: p["PartNumber"])
        whole = []
        for expected, part in enumerate(parts, start=1):
            if part["PartNumber"] != expected or part["Size"] != PART_SIZE:
                break
            whole.append(part)
        return whole

    def _tail_bytes(self, upload_id: str, base: int) -> bytes:
        """The bytes after the last whole part, if they belong there."""
        try:
            found = self._client.get_object(Bucket=self.storage.bucket, Key=self._tail(upload_id))
        except self._client.exceptions.NoSuchKey:
            return b""
        if int(found.get("Metadata", {}).get("base", -1)) != base:
            return b""  # left from an older state: the parts have moved on
        return found["Body"].read()

    def _state(self, upload_id: str) -> tuple[str | None, list[dict[str, Any]], bytes]:
        multipart = self._multipart(upload_id)
        parts = self._parts(upload_id, multipart) if multipart else []
        return multipart, parts, self._tail_bytes(upload_id, len(parts) * PART_SIZE)

    def offset(self, upload_id: str) -> int:
        with self.storage._errors("read", original_key(upload_id)):
            _m, parts, tail = self._state(upload_id)
        return len(parts) * PART_SIZE + len(tail)

    def append(
        self,
        upload_id: str,
        offset: int,
        length: int,
        read: Reader,
        on_bytes: Callable[[bytes], None] = lambda _b: None,
    ) -> int:
        with self.storage._errors("store", original_key(upload_id)):
            multipart, parts, tail = self._state(upload_id)
            start = len(parts) * PART_SIZE + len(tail)
            if offset != start:
                raise OffsetMismatch(start)
            upload = multipart or self._new_multipart(upload_id)
            buffer = bytearray(tail)
            number = len(parts) + 1

            def write(block: bytes) -> None:
                nonlocal number
                buffer.extend(block)
                while len(buffer) >= PART_SIZE:
                    self._put_part(upload_id, upload, number, bytes(buffer[:PART_SIZE]))
                    del buffer[:PART_SIZE]
                    number += 1

            try:
                _copy(read, length - start, write, on_bytes)
            except TooLarge:
                # Parts of it may be in place already: a client that sends more
                # than it announced starts again.
                self.discard(upload_id)
                raise
            except BaseException:
                # Kept after a dropped connection too: the client continues here.
                self._put_tail(upload_id, (number - 1) * PART_SIZE, bytes(buffer))
                raise
            self._put_tail(upload_id, (number - 1) * PART_SIZE, bytes(buffer))
            return (number - 1) * PART_SIZE + len(buffer)

    def _put_part(self, upload_id: str, multipart: str, number: int, data: bytes) -> None:
        self._client.upload_part(
            Bucket=self.storage.bucket, Key=self._object(upload_id), UploadId=multipart,
            PartNumber=number, Body=data,
        )  # fmt: skip

    def _put_tail(self, upload_id: str, base: int, data: bytes) -> None:
        self._client.put_object(
            Bucket=self.storage.bucket, Key=self._tail(upload_id), Body=data,
            Metadata={"base": str(base)},
        )  # fmt: skip

    def complete(self, upload_id: str, length: int, storage: Any) -> str:
        with self.storage._errors("store", original_key(upload_id)):
            found, parts, tail = self._state(upload_id)
            multipart = found or self._new_multipart(upload_id)
            if tail:  # the last part may be smaller than PART_SIZE
                number = len(parts) + 1
                self._put_part(upload_id, multipart, number, tail)
                parts = self._parts_with_last(upload_id, multipart, len(parts) + 1)
            self._client.complete_multipart_upload(
                Bucket=self.storage.bucket, Key=self._object(upload_id), UploadId=multipart,
                MultipartUpload={"Parts": [
                    {"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts
                ]},
            )  # fmt: skip
            self._client.delete_object(Bucket=self.storage.bucket, Key=self._tail(upload_id))
        return original_key(upload_id)

    def _parts_with_last(self, upload_id: str, multipart: str, count: int) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("list_parts").paginate(
            Bucket=self.storage.bucket, Key=self._object(upload_id), UploadId=multipart
        )
        parts = sorted(
            (p for page in pages for p in page.get("Parts", [])), key=lambda p: p["PartNumber"]
        )
        return [p for p in parts if p["PartNumber"] <= count]

    def discard(self, upload_id: str) -> None:
        with self.storage._errors("delete", original_key(upload_id)):
            multipart = self._multipart(upload_id)
            if multipart is not None:
                self._client.abort_multipart_upload(
                    Bucket=self.storage.bucket, Key=self._object(upload_id), UploadId=multipart
                )
            self._client.delete_object(Bucket=self.storage.bucket, Key=self._tail(upload_id))
