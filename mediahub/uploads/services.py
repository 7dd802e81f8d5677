"""Resumable uploads: create, append with offset checks, finish, give up.

The bytes of an upload collect where every web machine finds them
(:mod:`mediahub.uploads.pieces`: ``UPLOAD_TEMP_DIR`` or S3 multipart parts),
never where they could be downloaded. The pieces themselves are the truth
about how far an upload got (a crash between writing and committing loses
nothing). When the last byte arrives the complete file becomes the
episode's original without being copied again, is checked by content and
queued; its hash and loudness were taken on the way
(:mod:`mediahub.uploads.ingest`). Callers own the transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from typing import IO, Any, TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import ClientDisconnected

from mediahub.accounts.models import User
from mediahub.audio import output_channels, source_pre_filters
from mediahub.core.errors import Conflict, DomainError, InvalidInput, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.episodes.services import attach_stored_audio
from mediahub.media.options import pipeline_options
from mediahub.media.services import StorageUnavailable, _human
from mediahub.review import policy
from mediahub.storage import S3Storage, StorageError, current_storage
from mediahub.uploads.ingest import ingests
from mediahub.uploads.models import UploadPurpose, UploadSession
from mediahub.uploads.pieces import (
    FolderPieces,
    OffsetMismatch,
    Pieces,
    PiecesBusy,
    S3Pieces,
    TooLarge,
)

_T = TypeVar("_T")
#: Stray pieces without a row are removed after this long.
ORPHAN_AFTER = dt.timedelta(hours=1)


class UploadTooLarge(DomainError):
    status = 413
    code = "too_large"


class UploadGone(DomainError):
    status = 410
    code = "expired"


def pieces() -> Pieces:
    """Where this hub keeps unfinished uploads (see ``UPLOAD_PIECES``)."""
    if current_app.config["UPLOAD_PIECES"] == "s3":
        storage = current_storage()
        assert isinstance(storage, S3Storage)  # checked with the configuration
        return S3Pieces(storage)
    return FolderPieces(current_app.config["UPLOAD_TEMP_DIR"])


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
    """How many bytes are safely kept."""
    if upload.is_complete:
        return upload.length
    return min(_storage_call(pieces().offset, upload.id), upload.length)


def append(
    upload: UploadSession, stream: IO[bytes], offset: int, content_length: int | None
) -> bool:
    """Append the bytes of one PATCH at ``offset``; returns whether the upload is complete.

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
    if content_length is not None and content_length > upload.length - offset:
        raise _too_large(upload.length)
    ingest = ingests.begin(upload.id, offset, _pre_filters_for(upload))
    try:
        end = _append(upload, stream, offset, ingest.feed if ingest else _ignore)
    finally:
        if ingest is not None:
            ingest.lock.release()
    upload.offset = end
    upload.expires_at = _expiry()
    db.session.flush()
    return end == upload.length


def _append(
    upload: UploadSession, stream: IO[bytes], offset: int, on_bytes: Callable[[bytes], None]
) -> int:
    try:
        return _storage_call(
            pieces().append, upload.id, offset, upload.length, stream.read, on_bytes
        )
    except OffsetMismatch as err:
        raise Conflict(
            _l("The upload continues at byte %(n)d, not at %(m)d.", n=err.current, m=offset),
            code="offset_mismatch",
        ) from None
    except PiecesBusy:
        raise Conflict(
            _l("This upload is being continued elsewhere. Please wait a moment."), code="locked"
        ) from None
    except TooLarge:
        ingests.forget(upload.id)
        raise _too_large(upload.length) from None
    except ClientDisconnected:
        current_app.logger.info("upload %s… interrupted", upload.id[:8])
        ingests.forget(upload.id)  # the client may continue elsewhere
        return _storage_call(pieces().offset, upload.id)


def _ignore(_block: bytes) -> None:
    pass


def _pre_filters_for(upload: UploadSession) -> Callable[[int], Sequence[str]]:
    """The filters the pipeline will measure this episode's recording with."""
    options = pipeline_options(current_app.config, upload.episode)
    return lambda channels: source_pre_filters(output_channels(channels, options), options)


def _storage_call(fn: Callable[..., _T], *args: Any) -> _T:
    try:
        return fn(*args)
    except StorageError:
        current_app.logger.exception("the pieces of an upload cannot be reached")
        raise StorageUnavailable(
            _l("The file could not be stored right now. Please try again in a few minutes.")
        ) from None


def complete_upload(upload: UploadSession, user: User) -> Any:
    """Hand the complete file to the episode: the original, checked by content, queued.

    Raises:
        PermissionDenied: the episode can no longer be changed by ``user``.
        InvalidInput: not a recording we can use (the upload is then useless).
        StorageUnavailable: try again later (the pieces stay).
    """
    episode = upload.episode
    require(policy.can_edit_item(user, episode))
    ingest = ingests.end(upload.id)
    sha256, levels = ("", None)
    if ingest is not None and ingest.offset == upload.length:
        sha256, levels = ingest.finish()
    elif ingest is not None:
        ingest.meter.abort()
    key = _storage_call(pieces().complete, upload.id, upload.length, current_storage())
    details = {"input_levels": levels.to_json()} if levels else None
    asset = attach_stored_audio(
        episode, key, upload.length, sha256, uploader=user,
        content_type=upload.content_type, details=details,
    )  # fmt: skip
    upload.completed_at = utcnow()
    upload.asset_id = asset.id
    upload.offset = upload.length
    db.session.flush()
    return asset


def discard(upload: UploadSession) -> None:
    """Forget an upload and its bytes (termination, expiry, unusable file)."""
    ingests.forget(upload.id)
    if not upload.is_complete:
        _storage_call(pieces().discard, upload.id)
    db.session.delete(upload)
    db.session.flush()


def remove_expired(now: dt.datetime | None = None) -> int:
    """Remove expired uploads and stray pieces; returns how many uploads."""
    now = now or utcnow()
    expired = list(db.session.scalars(select(UploadSession).where(UploadSession.expires_at < now)))
    for upload in expired:
        discard(upload)
    live = set(db.session.scalars(select(UploadSession.id)))
    pieces().remove_strays(live, now - ORPHAN_AFTER)
    return len(expired)
