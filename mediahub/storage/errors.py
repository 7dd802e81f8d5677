"""Exceptions raised by the storage backends."""

from __future__ import annotations


class StorageError(Exception):
    """A storage operation failed; the message is meant for humans."""


class InvalidKey(StorageError, ValueError):
    """A key does not follow the key syntax (see :mod:`mediahub.storage.keys`)."""


class ObjectNotFound(StorageError, LookupError):
    """Nothing is stored under the requested key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"no stored object under key {key!r}")
        self.key = key


class FileTooLarge(StorageError):
    """An upload exceeded its ``max_size``; nothing was stored."""

    def __init__(self, max_size: int) -> None:
        super().__init__(f"file is larger than the limit of {max_size} bytes")
        self.max_size = max_size
