"""A reader that hashes, counts and limits a byte stream as it passes."""

from __future__ import annotations

import hashlib
from typing import Protocol

from mediahub.storage.errors import FileTooLarge

#: Bytes pulled from a source per read; bounds the memory of one save.
CHUNK_SIZE = 1024 * 1024


class Readable(Protocol):
    """Anything with a binary ``read(size)``: files, upload streams, sockets."""

    def read(self, size: int = -1, /) -> bytes: ...


class HashingReader:
    """Wrap a binary source: SHA-256 and size while reading, optional limit.

    ``read(n)`` returns exactly ``n`` bytes unless the source is exhausted,
    even when the source returns short reads (network streams do). Multipart
    uploaders rely on that: every part but the last must have full size.
    The source is only ever asked for at most :data:`CHUNK_SIZE` bytes.
    """

    def __init__(self, source: Readable, *, max_size: int | None = None) -> None:
        self._source = source
        self._max_size = max_size
        self._hash = hashlib.sha256()
        self._size = 0
        self._eof = False

    @property
    def size(self) -> int:
        """Bytes read from the source so far."""
        return self._size

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the bytes read so far."""
        return self._hash.hexdigest()

    def readable(self) -> bool:
        """Tell file-object consumers that this is a readable stream."""
        return True

    def seekable(self) -> bool:
        """Tell consumers not to seek: the hash requires one sequential pass."""
        return False

    def read(self, size: int | None = -1, /) -> bytes:
        """Read up to ``size`` bytes (all remaining if negative or ``None``).

        Raises:
            FileTooLarge: If the source yields more than ``max_size`` bytes.
            TypeError: If the source is not a binary stream.
        """
        parts: list[bytes] = []
        wanted = -1 if size is None or size < 0 else size
        received = 0
        while not self._eof and (wanted < 0 or received < wanted):
            step = CHUNK_SIZE if wanted < 0 else min(CHUNK_SIZE, wanted - received)
            data = self._source.read(step)
            if not data:
                self._eof = True
                break
            if not isinstance(data, bytes | bytearray | memoryview):
                raise TypeError("storage sources must be opened in binary mode")
            self._account(data)
            parts.append(bytes(data))
            received += len(data)
        return b"".join(parts)

    def _account(self, data: bytes | bytearray | memoryview) -> None:
        self._size += len(data)
        if self._max_size is not None and self._size > self._max_size:
            raise FileTooLarge(self._max_size)
        self._hash.update(data)
