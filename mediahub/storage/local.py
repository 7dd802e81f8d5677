"""Media storage in a directory on the local filesystem."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from mediahub.storage.base import Storage
from mediahub.storage.errors import ObjectNotFound, StorageError
from mediahub.storage.streaming import CHUNK_SIZE, Readable

#: Temp files start with a dot so that they can never be mistaken for a key.
_TEMP_PREFIX = "."
_TEMP_SUFFIX = ".part"


class LocalStorage(Storage):
    """Store each key as a file below ``root``.

    Writes go to a temp file in the destination directory, are fsynced and
    then renamed over the key with :func:`os.replace`, so readers see either
    the complete old file, the complete new file, or nothing.
    """

    def __init__(self, root: str | os.PathLike[str], *, file_mode: int = 0o644) -> None:
        """Create the storage, creating ``root`` if needed.

        Args:
            root: Base directory; resolved to an absolute path once, so a
                later ``chdir`` does not move the storage.
            file_mode: Permissions of stored files. The default lets a
                reverse proxy running as another user serve them
                (X-Accel-Redirect); the media root's own permissions still
                decide who can reach them.

        Raises:
            StorageError: If ``root`` cannot be created or is not writable.
        """
        self.root = Path(root).resolve()
        self.file_mode = file_mode
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"media root {self.root} cannot be created: {exc}") from exc
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageError(f"media root {self.root} is not writable")

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        # Keys are validated (no "..", no absolute paths), so a join is safe.
        return self.root / key

    def adopt(self, key: str, path: str | os.PathLike[str]) -> None:
        """Make the finished file at ``path`` the object ``key`` by renaming it
        (no copy; a finished upload's bytes are not written twice). On another
        file system it is copied and then removed.

        Raises:
            InvalidKey: If ``key`` is malformed.
            StorageError: If the file cannot be moved.
        """
        self._checked(key)
        target = self._path(key)
        with _os_errors("store", key):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(path, self.file_mode)
            try:
                os.replace(path, target)
            except OSError:  # another file system (EXDEV): copy, then remove
                with open(path, "rb") as source:
                    self.save(key, source)
                Path(path).unlink()

    def _write(self, key: str, reader: Readable, content_type: str | None) -> None:
        target = self._path(key)
        with _os_errors("store", key):
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(
                prefix=_TEMP_PREFIX, suffix=_TEMP_SUFFIX, dir=target.parent
            )
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := reader.read(CHUNK_SIZE):
                    with _os_errors("store", key):
                        out.write(chunk)
                with _os_errors("store", key):
                    out.flush()
                    os.fchmod(out.fileno(), self.file_mode)
                    os.fsync(out.fileno())
            with _os_errors("store", key):
                os.replace(temp_name, target)
        except BaseException:
            # Also on KeyboardInterrupt: never leave a half-written temp file.
            Path(temp_name).unlink(missing_ok=True)
            raise
        # Make the rename itself durable; the data is already safe on disk.
        with _os_errors("store", key):
            _fsync_dir(target.parent)

    @contextmanager
    def _open(self, key: str) -> Iterator[BinaryIO]:
        try:
            fileobj = open(self._path(key), "rb")  # noqa: SIM115 - closed below
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"cannot open stored object {key!r}: {exc}") from exc
        with fileobj:
            yield fileobj

    @contextmanager
    def _local_path(self, key: str) -> Iterator[Path]:
        yield self._existing(key)

    def _delete(self, key: str) -> None:
        path = self._path(key)
        if path.is_dir():
            return
        # NotADirectoryError: a parent component is a file, so no such key.
        with _os_errors("delete", key), contextlib.suppress(NotADirectoryError):
            path.unlink(missing_ok=True)

    def _exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _size(self, key: str) -> int:
        return self._existing(key).stat().st_size

    def _url(self, key: str, *, expires_in: int | None, private: bool) -> str | None:
        return None

    def _serve_path(self, key: str) -> Path | None:
        return self._existing(key)

    def _existing(self, key: str) -> Path:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFound(key)
        return path


@contextmanager
def _os_errors(action: str, key: str) -> Iterator[None]:
    """Turn filesystem errors into :class:`StorageError` with a clear message."""
    try:
        yield
    except OSError as exc:
        raise StorageError(f"cannot {action} {key!r} in local media storage: {exc}") from exc


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
