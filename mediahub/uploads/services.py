"""Resumable uploads: create, append with offset checks, finish, give up.

The bytes of an upload collect in ``<UPLOAD_TEMP_DIR>/<id>.part``, a file
outside the media storage that nobody can download. The file's size is the
truth about how far an upload got (a crash between writing and committing
loses nothing); only a complete file goes through the normal episode audio
path (stored as the original, checked by content, queued for processing).
Callers own the transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import ClientDisconnected

from mediahub.accounts.models import User
from mediahub.core.errors import Conflict, DomainError, InvalidInput, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.episodes.services import attach_audio
from mediahub.media.services import _human
from mediahub.review import policy
from mediahub.uploads.models import UploadPurpose, UploadSession

CHUNK = 1024 * 1024
#: A stray ``.part`` file without a row is removed after this long.
ORPHAN_AFTER = dt.timedelta(hours=1)


class UploadTooLarge(DomainError):
    status = 413
    code = "too_large"


class UploadGone(DomainError):
    status = 410
    code = "expired"


def temp_dir() -> Path:
    """Where unfinished uploads collect (created on first use)."""
    path = Path(current_app.config["UPLOAD_TEMP_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(upload: UploadSession) -> Path:
    # The id is token_urlsafe (letters, digits, "-", "_"): safe as a file name.
    return temp_dir() / f"{upload.id}.part"


def _expiry() -> dt.datetime:
    return utcnow() + dt.timedelta(hours=current_app.config["UPLOAD_EXPIRES_HOURS"])


def _too_large(limit: int) -> UploadTooLarge:

    return UploadTooLarge(
        _l("The file is too large (at most %(size)s).", size=_human(limit)), field="file"
    )


def create_upload(
    episode: Any, user: User, length: int, *, content_type: str | None = None
) -> UploadSession:
    """Start an upload of ``length`` bytes that will become ``episode``'s audio.

    Raises:
        PermissionDenied: ``user`` may not change the episode.
        InvalidInput: the length is not a positive number.
        UploadTooLarge: more than ``MAX_AUDIO_BYTES``.
    """
    require(policy.can_edit_item(user, episode))
    if length < 1:
        raise InvalidInput(_l("The file is empty."), field="file", code="empty")
    limit = current_app.config["MAX_AUDIO_BYTES"]
    if length > limit:
        raise _too_large(limit)
    upload = UploadSession(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        episode_id=episode.id,
        purpose=UploadPurpose.EPISODE_AUDIO,
        length=length,
        offset=0,
        content_type=(content_type or "")[:100] or None,
        expires_at=_expiry(),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def load_upload(upload_id: str, user: User) -> UploadSession:
    """The upload if it is ``user``'s own.

    Raises:
        NotFound: no such upload, or somebody else's (no leaks).
        UploadGone: it expired and is about to be removed.
    """
    upload = db.session.get(UploadSession, upload_id) if len(upload_id) <= 64 else None
    if upload is None or upload.user_id != user.id:
        raise NotFound(_l("This upload does not exist (or is not yours)."))
    if upload.expires_at <= utcnow() and not upload.is_complete:
        raise UploadGone(_l("This upload has expired. Please choose the file again."))
    upload.offset = current_offset(upload)
    return upload


def current_offset(upload: UploadSession) -> int:
    """How many bytes are safely on disk."""
    if upload.is_complete:
        return upload.length
    try:
        return min(part_path(upload).stat().st_size, upload.length)
    except FileNotFoundError:
        return 0


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[BinaryIO]:
    fh = open(path, "ab")  # noqa: SIM115 - closed below, after unlocking
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(
                _l("This upload is being continued elsewhere. Please wait a moment."),
                code="locked",
            ) from None
        yield fh
    finally:
        fh.close()


def append(
    upload: UploadSession, stream: IO[bytes], offset: int, content_length: int | None
) -> bool:
    """Append the bytes of one PATCH at ``offset``; returns whether the file is complete.

    A dropped connection keeps what arrived (the client asks for the offset
    and continues from there).

    Raises:
        Conflict: ``offset`` is not where the upload stands (``offset_mismatch``),
            or another request is appending right now.
        UploadTooLarge: more bytes than announced at creation.
    """
    if upload.is_complete:
        if offset != upload.length or content_length:
            raise Conflict(_l("This upload is already complete."), code="offset_mismatch")
        return True
    path = part_path(upload)
    with _locked(path) as fh:
        start = os.fstat(fh.fileno()).st_size
        if start > upload.length:  # cannot happen unless the file was tampered with
            fh.truncate(upload.length)
            start = upload.length
        if offset != start:
            raise Conflict(
                _l("The upload continues at byte %(n)d, not at %(m)d.", n=start, m=offset),
                code="offset_mismatch",
            )
        remaining = upload.length - start
        if content_length is not None and content_length > remaining:
            raise _too_large(upload.length)
        written = 0
        try:
            while written <= remaining:
                block = stream.read(min(CHUNK, remaining - written + 1))
                if not block:
                    break
                written += len(block)
                if written > remaining:
                    break
                fh.write(block)
        except ClientDisconnected:
            current_app.logger.info("upload %s… interrupted at %d", upload.id[:8], start + written)
        finally:
            fh.flush()
            os.fsync(fh.fileno())
        if written > remaining:
            fh.truncate(start)
            raise _too_large(upload.length)
        end = os.fstat(fh.fileno()).st_size
    upload.offset = end
    upload.expires_at = _expiry()
    db.session.flush()
    return end == upload.length


def complete_upload(upload: UploadSession, user: User) -> Any:
    """Hand the complete file to the episode: stored, checked by content, queued.

    Call :func:`remove_part` once the transaction has committed.

    Raises:
        PermissionDenied: the episode can no longer be changed by ``user``.
        InvalidInput: not a recording we can use (the upload is then useless).
        StorageUnavailable: try again later (the file stays).
    """

    episode = upload.episode
    require(policy.can_edit_item(user, episode))
    with open(part_path(upload), "rb") as fh:
        asset = attach_audio(episode, fh, uploader=user, content_type=upload.content_type)
    upload.completed_at = utcnow()
    upload.asset_id = asset.id
    upload.offset = upload.length
    db.session.flush()
    return asset


def remove_part(upload: UploadSession) -> None:
    remove_file(str(part_path(upload)))


def remove_file(path: str) -> None:
    """Delete an upload's temporary file (gone already is fine)."""
    with contextlib.suppress(FileNotFoundError):
        Path(path).unlink()


def discard(upload: UploadSession) -> None:
    """Forget an upload and its bytes (termination, expiry, unusable file)."""
    remove_part(upload)
    db.session.delete(upload)
    db.session.flush()


def remove_expired(now: dt.datetime | None = None) -> int:
    """Remove expired uploads and stray temporary files; returns how many uploads."""
    now = now or utcnow()
    expired = list(db.session.scalars(select(UploadSession).where(UploadSession.expires_at < now)))
    for upload in expired:
        discard(upload)
    live = set(db.session.scalars(select(UploadSession.id)))
    cutoff = (now - ORPHAN_AFTER).timestamp()
    for path in temp_dir().glob("*.part"):
        if path.stem not in live:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
    return len(expired)
