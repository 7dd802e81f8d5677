"""Tag rewrites: an edit of title, description, chapters or artwork reaches
the published MP3 without encoding it again.

The same discipline as processing (``processing.py``), on columns of their
own, so the asset stays ``ready`` and keeps being served meanwhile:

- ``request_retag`` counts ``tags_version`` up in the edit's transaction and
  queues :func:`retag` after the commit;
- :func:`retag` claims the rewrite with one atomic UPDATE (a fresh heartbeat:
  two workers never rewrite the same asset), keeps the heartbeat while it
  works, writes the new file under a **new storage key** (caches and the
  feed's enclosure length see the change; storage writes are atomic), and
  points the row at it with one conditional UPDATE — only if the rendition
  is still the one it started from, so a re-encode that finished meanwhile
  wins. The old file is deleted only after that commit;
- an edit made during a rewrite leaves ``tags_version`` ahead of
  ``tags_written``: the rewrite runs again; ``reconcile`` hands lost ones
  (killed worker, lost message) back to the queue.

A rendition that cannot be retagged (an old one whose intro length is
unknown, a damaged file) is encoded again from the original instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any, cast

import mutagen
from flask import current_app
from flask.globals import app_ctx
from sqlalchemy import CursorResult, and_, or_, select, update

from mediahub.audio import retag as retag_file
from mediahub.audio import shift_chapters
from mediahub.core import signals
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit
from mediahub.core.types import utcnow
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.media.options import pipeline_options
from mediahub.media.processing import (
    Heartbeat,
    RetryLater,
    episode_of,
    request_reprocessing,
)
from mediahub.storage import StorageError, current_storage, new_key

log = logging.getLogger(__name__)

#: ``details`` key: how much later the chapters start in the MP3 (the intro).
CHAPTER_OFFSET = "chapter_offset_s"


def request_retag(asset: MediaAsset) -> None:
    """The episode's tags changed: write them into its MP3 after this transaction.

    A ready rendition is retagged; one being processed picks the change up
    when it is done; a failed one is processed again (the edit may be the fix).
    """
    # Counted up in SQL: two edits at once both count.
    asset.tags_version = MediaAsset.tags_version + 1
    db.session.flush()
    if asset.status == AssetState.FAILED:
        request_reprocessing(asset)
    elif asset.status == AssetState.READY:
        enqueue_after_commit(db.session, _retag_task(), asset.id)


def _stale(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=current_app.config["AUDIO_STALE_AFTER_SECONDS"])


def _waiting(now: dt.datetime) -> Any:
    """Ready assets with an edit not yet in their file, which nobody is rewriting."""
    return and_(
        MediaAsset.status == AssetState.READY,
        MediaAsset.tags_written < MediaAsset.tags_version,
        or_(MediaAsset.tags_heartbeat_at.is_(None), MediaAsset.tags_heartbeat_at < _stale(now)),
    )


def claim(asset_id: int, *, now: dt.datetime | None = None) -> bool:
    """Start rewriting the asset's tags if they need it and nobody else is."""
    now = now or utcnow()
    result = db.session.execute(
        update(MediaAsset)
        .where(MediaAsset.id == asset_id, _waiting(now))
        .values(tags_heartbeat_at=now, tags_attempts=MediaAsset.tags_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return cast("CursorResult[Any]", result).rowcount == 1


def retag(asset_id: int) -> None:
    """Write the episode's current tags into a new version of its MP3; safe to repeat.

    Raises:
        RetryLater: storage failed; the rewrite is handed back for a later try.
    """
    if not claim(asset_id):
        return
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:
        return
    beat = Heartbeat(app_ctx.app, asset_id, column="tags_heartbeat_at")
    beat.start()
    try:
        _retag(asset)
    except StorageError as err:
        db.session.rollback()
        log.warning("retagging asset %s failed: %r", asset_id, err)
        _release(asset_id)
        raise RetryLater(str(err)) from err
    except (ValueError, mutagen.MutagenError, OSError) as err:
        db.session.rollback()
        log.warning("asset %s cannot be retagged (%r); encoding it again", asset_id, err)
        _reencode(asset_id)
    finally:
        beat.stop()


def _retag(asset: MediaAsset) -> None:
    episode = episode_of(asset)
    wanted = asset.tags_version
    old = asset.rendition_key
    if episode is None or old is None:
        raise ValueError("the asset has no episode or no rendition")
    tags = pipeline_options(current_app.config, episode).tags
    offset = (asset.details or {}).get(CHAPTER_OFFSET)
    if not isinstance(offset, int | float):
        if tags.chapters:  # encoded before offsets were recorded: where did the intro end?
            raise ValueError("the rendition's chapter offset is unknown")
        offset = 0.0
    st = current_storage()
    with st.local_path(old) as src, tempfile.TemporaryDirectory() as work:
        done = retag_file(src, Path(work) / "episode.mp3", shift_chapters(tags, offset))
        stored = st.put_file(new_key("renditions/audio", ".mp3"), done.path, "audio/mpeg")
    moved = db.session.execute(
        update(MediaAsset)
        .where(
            MediaAsset.id == asset.id,
            MediaAsset.rendition_key == old,
            MediaAsset.status == AssetState.READY,
        )
        .values(
            rendition_key=stored.key,
            rendition_size=stored.size,
            rendition_sha256=stored.sha256,
            tags_written=wanted,
            tags_heartbeat_at=None,
            tags_attempts=0,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if cast("CursorResult[Any]", moved).rowcount != 1:
        # Encoded again (or taken away) meanwhile: that file is the newer one.
        st.delete(stored.key)
        return
    st.delete(old)
    db.session.refresh(asset)
    signals.media_ready.send(asset, episode=episode)
    if asset.tags_pending:  # edited again while this rewrite ran
        _retag_task()(asset.id)


def _release(asset_id: int) -> None:
    """Hand the rewrite back; after too many tries, encode from the original."""
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:
        return
    if asset.tags_attempts >= current_app.config["AUDIO_MAX_ATTEMPTS"]:
        _reencode(asset_id)
        return
    asset.tags_heartbeat_at = None
    db.session.commit()


def _reencode(asset_id: int) -> None:
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None or asset.status != AssetState.READY:
        return
    asset.tags_heartbeat_at = None
    asset.tags_attempts = 0
    request_reprocessing(asset)
    db.session.commit()


def lost_rewrites(*, now: dt.datetime | None = None) -> list[int]:
    """Ready assets whose tag rewrite was lost (killed worker, lost message)."""
    now = now or utcnow()
    quiet = or_(MediaAsset.tags_heartbeat_at.is_not(None), MediaAsset.updated_at < _stale(now))
    stmt = select(MediaAsset.id).where(
        MediaAsset.kind == AssetKind.EPISODE_AUDIO, _waiting(now), quiet
    )
    return list(db.session.scalars(stmt))


def _retag_task() -> Any:
    """The queue task that runs :func:`retag`."""
    from mediahub.media.tasks import retag_asset  # cycle: that task runs this module

    return retag_asset
