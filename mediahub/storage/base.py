"""The storage interface shared by all media backends.

Public methods validate the key and do the bookkeeping common to every
backend (streaming hash and size, ``max_size``), then delegate to a small
set of ``_``-prefixed methods that each backend implements. A backend can
therefore never forget to validate a key or to count bytes.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from mediahub.storage.keys import validate_key
from mediahub.storage.streaming import HashingReader, Readable

#: Longest lifetime of a signed URL; the limit of AWS signature version 4.
MAX_URL_EXPIRES = 7 * 24 * 3600


def check_expires(value: object, name: str) -> int:
    """Validate a signed-URL lifetime in seconds.

    Args:
        value: The candidate lifetime.
        name: Parameter or config key named in the error message.

    Returns:
        The lifetime as an ``int``.

    Raises:
        ValueError: If ``value`` is not an integer from 1 to
            :data:`MAX_URL_EXPIRES`.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer number of seconds, not {value!r}")
    if not 1 <= value <= MAX_URL_EXPIRES:
        raise ValueError(f"{name} must be between 1 and {MAX_URL_EXPIRES} seconds, not {value}")
    return value


@dataclass(frozen=True, slots=True)
class StoredObject:
    """What was written: the key, its size in bytes and its SHA-256 (hex)."""

    key: str
    size: int
    sha256: str


class Storage(ABC):
    """Abstract media storage: a flat namespace of keys mapped to bytes.

    Keys are generated with :func:`mediahub.storage.new_key` and validated on
    every call; user file names never become keys.
    """

    def save(
        self,
        key: str,
        fileobj: Readable,
        *,
        content_type: str | None = None,
        max_size: int | None = None,
    ) -> StoredObject:
        """Stream ``fileobj`` into storage under ``key``.

        The data is read in bounded chunks (never whole into memory) while
        size and SHA-256 are computed. The write is atomic: until it has
        completed nothing is visible under ``key`` (or the previous object
        stays visible), and a failed write leaves nothing behind.

        Args:
            key: Destination key; an existing object is replaced.
            fileobj: Binary source; read until EOF, not closed.
            content_type: MIME type recorded where the backend supports it;
                guessed from the key's extension when omitted.
            max_size: Upper bound in bytes; exceeding it aborts the write.

        Returns:
            The key with the stored size and SHA-256.

        Raises:
            InvalidKey: If ``key`` is malformed.
            FileTooLarge: If more than ``max_size`` bytes were offered.
            StorageError: If the backend failed to store the data.
            Exception: Whatever ``fileobj.read`` raises, unchanged (for
                example a client disconnect); nothing is stored then either.
        """
        validate_key(key)
        if max_size is not None and max_size < 0:
            raise ValueError(f"max_size must be >= 0, not {max_size}")
        reader = HashingReader(fileobj, max_size=max_size)
        self._write(key, reader, content_type)
        return StoredObject(key=key, size=reader.size, sha256=reader.sha256)

    def put_file(
        self, key: str, path: str | os.PathLike[str], content_type: str | None = None
    ) -> StoredObject:
        """Store a file produced on local disk (e.g. an ffmpeg rendition).

        The source file is copied, not moved, and left untouched.

        Args:
            key: Destination key.
            path: Local file to store.
            content_type: MIME type, guessed from the key when omitted.

        Returns:
            The key with the stored size and SHA-256.

        Raises:
            InvalidKey: If ``key`` is malformed.
            OSError: If ``path`` cannot be opened.
            StorageError: If the backend failed to store the data.
        """
        validate_key(key)
        with open(path, "rb") as source:
            return self.save(key, source, content_type=content_type)

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """Open a stored object for streaming reads.

        Args:
            key: The object's key.

        Returns:
            A context manager yielding a readable binary file object that is
            closed on exit.

        Raises:
            InvalidKey: If ``key`` is malformed.
            ObjectNotFound: If nothing is stored under ``key``.
            StorageError: If the backend failed.
        """
        return self._open(self._checked(key))

    def local_path(self, key: str) -> AbstractContextManager[Path]:
        """Make a stored object available as a local file, e.g. for ffmpeg.

        The path is only valid inside the ``with`` block and must be treated
        as read-only: it may be the stored file itself (local backend) or a
        temporary download that is deleted on exit (remote backends). The
        file name keeps the key's extension.

        Args:
            key: The object's key.

        Returns:
            A context manager yielding the :class:`~pathlib.Path`.

        Raises:
            InvalidKey: If ``key`` is malformed.
            ObjectNotFound: If nothing is stored under ``key``.
            StorageError: If the backend failed.
        """
        return self._local_path(self._checked(key))

    def delete(self, key: str) -> None:
        """Delete the object under ``key``; deleting nothing is not an error.

        Raises:
            InvalidKey: If ``key`` is malformed.
            StorageError: If the backend failed.
        """
        self._delete(self._checked(key))

    def exists(self, key: str) -> bool:
        """Tell whether an object is stored under ``key``.

        Raises:
            InvalidKey: If ``key`` is malformed.
            StorageError: If the backend failed.
        """
        return self._exists(self._checked(key))

    def size(self, key: str) -> int:
        """Return the stored object's size in bytes.

        Raises:
            InvalidKey: If ``key`` is malformed.
            ObjectNotFound: If nothing is stored under ``key``.
            StorageError: If the backend failed.
        """
        return self._size(self._checked(key))

    def url(self, key: str, *, expires_in: int | None = None, private: bool = False) -> str | None:
        """Return a URL the client can be redirected to, if there is one.

        Computing a URL makes no request and does not check that the object
        exists.

        Args:
            key: The object's key.
            expires_in: Lifetime in seconds of a signed URL; the backend's
                default when omitted. Ignored for public URLs.
            private: Never hand out a permanent public (CDN) URL; use this
                for private groups' media.

        Returns:
            A URL, or ``None`` when the application must serve the bytes
            itself (see :meth:`serve_path`).

        Raises:
            InvalidKey: If ``key`` is malformed.
            ValueError: If ``expires_in`` is out of range.
            StorageError: If the backend failed to sign the URL.
        """
        key = self._checked(key)
        if expires_in is not None:
            check_expires(expires_in, "expires_in")
        return self._url(key, expires_in=expires_in, private=private)

    def serve_path(self, key: str) -> Path | None:
        """Return the absolute path to serve with ``send_file``/X-Accel-Redirect.

        Returns:
            The file's absolute path, or ``None`` for backends whose bytes
            are not on local disk (use :meth:`url` there).

        Raises:
            InvalidKey: If ``key`` is malformed.
            ObjectNotFound: If the backend is local and nothing is stored.
        """
        return self._serve_path(self._checked(key))

    @staticmethod
    def _checked(key: str) -> str:
        return validate_key(key)

    # -- backend hooks; ``key`` is already validated -------------------------

    @abstractmethod
    def _write(self, key: str, reader: Readable, content_type: str | None) -> None:
        """Atomically store everything ``reader`` yields under ``key``."""

    @abstractmethod
    def _open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """Open the object for reading."""

    @abstractmethod
    def _local_path(self, key: str) -> AbstractContextManager[Path]:
        """Yield a local path holding the object's bytes."""

    @abstractmethod
    def _delete(self, key: str) -> None:
        """Delete the object if present."""

    @abstractmethod
    def _exists(self, key: str) -> bool:
        """Tell whether the object exists."""

    @abstractmethod
    def _size(self, key: str) -> int:
        """Return the object's size."""

    @abstractmethod
    def _url(self, key: str, *, expires_in: int | None, private: bool) -> str | None:
        """Return a redirect URL or ``None``."""

    def _serve_path(self, key: str) -> Path | None:
        return None
