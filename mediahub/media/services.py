"""Storing uploads and handing them to processing. Callers own the transaction."""

from __future__ import annotations

from typing import IO, Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from mediahub.audio import FFmpegError, InvalidAudio, probe
from mediahub.core.errors import DomainError, InvalidInput
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.media.messages import translated
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.media.renditions import width_keys
from mediahub.media.tasks import delete_stored_files, process_asset
from mediahub.storage import FileTooLarge, StorageError, current_storage, new_key

__all__ = ["AssetKind", "AssetState", "discard", "queue_processing", "store_upload"]


class StorageUnavailable(DomainError):
    status = 503
    code = "storage_unavailable"


def store_upload(
    upload: IO[bytes],
    *,
    kind: AssetKind,
    uploader: Any,
    content_type: str | None = None,
    max_size: int | None = None,
) -> MediaAsset:
    """Stream an upload into storage as an original and record it.

    The key is generated (the person's file name is never used) and the
    client's content type is recorded for information only: what the file
    is gets decided by its content, later.

    Raises:
        InvalidInput: the file is empty or larger than allowed.
        StorageUnavailable: the storage backend failed.
    """

    limit = max_size if max_size is not None else current_app.config["MAX_AUDIO_BYTES"]
    st = current_storage()
    key = new_key(f"originals/{kind.value}")
    try:
        stored = st.save(key, upload, max_size=limit)
    except FileTooLarge:
        raise InvalidInput(
            _l("The file is too large (at most %(size)s).", size=_human(limit)),
            field="file",
            code="too_large",
        ) from None
    except StorageError:
        current_app.logger.exception("storing an upload failed")
        raise StorageUnavailable(
            _l("The file could not be stored right now. Please try again in a few minutes.")
        ) from None
    if stored.size == 0:
        st.delete(stored.key)
        raise InvalidInput(_l("The file is empty."), field="file", code="empty")
    asset = MediaAsset(
        kind=kind,
        status=AssetState.UPLOADED,
        uploaded_by_id=getattr(uploader, "id", None),
        storage_backend=current_app.config["MEDIA_BACKEND"],
        original_key=stored.key,
        original_size=stored.size,
        original_sha256=stored.sha256,
        original_content_type=(content_type or "")[:100] or None,
    )
    db.session.add(asset)
    db.session.flush()
    return asset


def check_is_audio(asset: MediaAsset) -> None:
    """Refuse an upload that is clearly not a usable recording, by its content.

    Only where the original is on local disk: fetching a large file back from
    S3 inside the request would cost more than it saves; there the worker
    tells (the asset becomes ``failed`` with the same message).

    Raises:
        InvalidInput: with the reason, after removing the stored file.
    """

    st = current_storage()
    path = st.serve_path(asset.original_key)
    if path is None:
        return
    try:
        probe(path, max_duration_s=float(current_app.config["MAX_AUDIO_SECONDS"]), timeout_s=30)
    except InvalidAudio as err:
        st.delete(asset.original_key)
        db.session.delete(asset)
        db.session.flush()
        raise InvalidInput(translated(err.message), field="file", code="not_audio") from None
    except FFmpegError:
        current_app.logger.warning(
            "quick audio check failed; the worker will decide", exc_info=True
        )


def queue_processing(asset: MediaAsset) -> None:
    """Process the asset in the background once the transaction commits."""

    enqueue_after_commit(db.session, process_asset, asset.id)


def stored_keys(asset: MediaAsset) -> list[str]:
    """Every file stored for ``asset``: the original, the rendition, the
    waveform and the smaller copies of a picture."""
    keys = [asset.original_key, asset.rendition_key, asset.peaks_key]
    return [k for k in keys if k] + list(width_keys(asset).values())


def discard(*assets: MediaAsset | None) -> None:
    """Delete the assets' rows now and their stored files once the
    transaction commits (a rollback keeps both)."""

    keys: list[str] = []
    for asset in assets:
        if asset is None:
            continue
        keys.extend(stored_keys(asset))
        db.session.delete(asset)
    db.session.flush()
    if keys:
        enqueue_after_commit(db.session, delete_stored_files, keys)


def _human(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)
