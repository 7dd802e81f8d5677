"""Processing one media asset: the database row is the source of truth.

``process`` claims the asset with one atomic UPDATE (so two workers never
work on the same asset), keeps a heartbeat while ffmpeg runs, and stores
the renditions before it marks the asset ``ready`` in one commit: nobody
ever sees a half-written rendition. A killed worker leaves the asset in
``processing`` with a stale heartbeat; ``reconcile`` (every minute, and when
a worker starts) hands it to the queue again. The original is never touched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from flask import current_app
from flask.globals import app_ctx
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm.attributes import flag_modified

from mediahub.audio import (
    AudioProcessingError,
    InvalidAudio,
    MeasuredLevels,
    PipelineResult,
    normalise_clip,
    process_episode_audio,
)
from mediahub.core import jobs, signals
from mediahub.core.extensions import db
from mediahub.core.jobs import JobRow
from mediahub.core.queue import enqueue_after_commit, stopping
from mediahub.core.types import utcnow
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.media.options import pipeline_options
from mediahub.storage import StorageError, current_storage, new_key

log = logging.getLogger(__name__)

FAILED_PLAINLY = (
    "The recording could not be processed. Please try again later, or upload it "
    "in another format (for example MP3 or WAV)."
)


FAILED_DATA = (
    "The episode's details could not be written into the recording (for example a chapter "
    "that starts after its end). Please check them and save the episode again."
)


class RetryLater(Exception):
    """A passing problem (storage down, ffmpeg crashed): the queue retries."""


def permanent_failure(err: Exception) -> str | None:
    """Why processing failed for good, for the member; None when it may pass.

    The one place that tells the two kinds apart. Permanent: the file is not
    a usable recording, or the episode's data cannot be written (a bad value,
    a chapter outside the audio): the pipeline is deterministic, another try
    gives the same result, so the asset fails at once with a message.
    Anything else (storage or database down, ffmpeg killed) is retried.
    """

    if isinstance(err, InvalidAudio):
        return err.message
    if isinstance(err, AudioProcessingError):
        return FAILED_PLAINLY
    if isinstance(err, StorageError):
        return None
    if isinstance(err, ValueError | TypeError | ArithmeticError | LookupError):
        return FAILED_DATA
    return None


JOB = JobRow(
    model=MediaAsset,
    state=MediaAsset.status,
    waiting=AssetState.UPLOADED,
    running=AssetState.PROCESSING,
    heartbeat_at=MediaAsset.heartbeat_at,
    attempts=MediaAsset.attempts,
    error=MediaAsset.error,
    updated_at=MediaAsset.updated_at,
)


def _stale(now: dt.datetime) -> dt.datetime:
    return jobs.stale_before(current_app.config["AUDIO_STALE_AFTER_SECONDS"], now)


def claim(asset_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark the asset ``processing`` if nobody else is working on it."""
    now = now or utcnow()
    return jobs.claim(JOB, asset_id, stale=_stale(now), now=now)


def process(asset_id: int) -> None:
    """Process the asset if it needs it; safe to call more than once.

    Raises:
        RetryLater: a passing failure; the asset goes back to ``uploaded``.
    """
    if not claim(asset_id):
        log.info("asset %s is not waiting for processing; nothing to do", asset_id)
        return
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:  # deleted (with its episode) since it was claimed
        return
    if asset.attempts > current_app.config["AUDIO_MAX_ATTEMPTS"]:
        _fail(asset_id, FAILED_PLAINLY)
        return
    set_progress(asset_id, 0.0)  # not what an earlier, abandoned attempt reached
    beat = Heartbeat(app_ctx.app, asset_id)
    beat.start()
    try:
        if asset.kind == AssetKind.EPISODE_AUDIO:
            _process_episode_audio(asset)
        elif asset.kind == AssetKind.JINGLE:
            _process_jingle(asset)
    except Exception as err:
        if stopping.is_set():  # the worker was told to stop and ended ffmpeg
            _hand_back(asset_id)
            return
        message = permanent_failure(err)
        if message is not None:
            log.warning("processing asset %s failed for good: %r", asset_id, err)
            _fail(asset_id, message)
            return
        db.session.rollback()
        log.exception("processing asset %s failed (attempt %s)", asset_id, asset.attempts)
        _release(asset_id)
        raise RetryLater(str(err)) from err
    finally:
        beat.stop()


def _process_episode_audio(asset: MediaAsset) -> None:

    st = current_storage()
    episode = episode_of(asset)
    with ExitStack() as stack:
        src = stack.enter_context(st.local_path(asset.original_key))
        work = stack.enter_context(tempfile.TemporaryDirectory())
        jingles = {
            f"{name}_path": stack.enter_context(st.local_path(str(clip.rendition_key)))
            for name, clip in _jingles(episode)
        }
        # The tags as of now: an edit from here on counts up tags_version.
        tags_version = asset.tags_version
        options = dataclasses.replace(
            pipeline_options(current_app.config, episode, **jingles),
            measured_levels=MeasuredLevels.from_json((asset.details or {}).get("input_levels")),
            on_progress=functools.partial(set_progress, asset.id),
        )
        # Its pieces came through several machines: hashed beside the encode.
        hashing = None if asset.original_sha256 else _hash_beside(src)
        result = process_episode_audio(src, work, options)
        if hashing is not None:
            asset.original_sha256 = hashing.result()
        old = (asset.rendition_key, asset.peaks_key)
        mp3 = st.put_file(new_key("renditions/audio", ".mp3"), result.output_path, "audio/mpeg")
        peaks = st.save(
            new_key("renditions/peaks", ".json"),
            io.BytesIO(json.dumps([round(p, 3) for p in result.peaks]).encode()),
            content_type="application/json",
        )
    asset.rendition_key, asset.rendition_size, asset.rendition_sha256 = (
        mp3.key,
        mp3.size,
        mp3.sha256,
    )
    asset.peaks_key = peaks.key
    _record_result(asset, result)
    asset.tags_written = tags_version
    asset.tags_heartbeat_at = None
    _mark_ready(asset)
    for key in old:
        if key:
            st.delete(key)
    if episode is not None:
        signals.media_ready.send(asset, episode=episode)
    if asset.tags_pending:  # edited while it was encoded
        _retag_task()(asset.id)


def _record_result(asset: MediaAsset, result: PipelineResult) -> None:
    """What the encode measured, on the asset's row."""
    asset.content_type = "audio/mpeg"
    asset.duration_s = round(result.duration_s, 3)
    asset.bitrate_kbps = round(result.bitrate / 1000) if result.bitrate > 1000 else result.bitrate
    asset.loudness_lufs = round(result.loudness_lufs, 2)
    asset.true_peak_dbtp = round(result.true_peak_dbtp, 2)
    asset.details = {
        "channels": result.channels,
        "lra": round(result.lra, 2),
        "source": {
            "codec": result.source.codec,
            "container": result.source.container,
            "duration_s": round(result.source.duration_s, 3),
        },
        # A tag rewrite puts the chapters where this encode put them.
        "chapter_offset_s": result.chapter_offset_s,
        # Kept for the next re-encode (new title, artwork…) of the same original.
        "input_levels": (asset.details or {}).get("input_levels"),
    }


def _hash_beside(src: Path) -> Future[str]:
    """Hash the original in a thread while ffmpeg encodes it (on the core the
    encoder leaves partly idle; hashing first held it up 0.4 s an hour)."""
    executor = ThreadPoolExecutor(1, thread_name_prefix="hash-original")
    try:
        return executor.submit(sha256_file, src)
    finally:
        executor.shutdown(wait=False)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in pieces."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _process_jingle(asset: MediaAsset) -> None:

    st = current_storage()
    with st.local_path(asset.original_key) as src, tempfile.TemporaryDirectory() as work:
        out = Path(work) / "jingle.wav"
        normalise_clip(src, out)
        stored = st.put_file(new_key("renditions/jingle", ".wav"), out, "audio/wav")
    asset.rendition_key, asset.rendition_size = stored.key, stored.size
    asset.rendition_sha256, asset.content_type = stored.sha256, "audio/wav"
    _mark_ready(asset)


def _jingles(episode: Any) -> list[tuple[str, MediaAsset]]:
    """The group's processed intro and outro, if it has them."""
    if episode is None:
        return []
    clips = [("intro", episode.group.intro), ("outro", episode.group.outro)]
    return [
        (name, clip)
        for name, clip in clips
        if clip is not None and clip.is_ready and clip.rendition_key
    ]


#: ``app.extensions`` key of the function that finds the item whose audio an
#: asset is (the episodes feature sets it): processing knows no item kind.
AUDIO_OWNER = "mediahub.audio_owner"


def episode_of(asset: MediaAsset) -> Any:
    """The item whose audio ``asset`` is (through the hook its feature set)."""
    find = current_app.extensions.get(AUDIO_OWNER)
    return find(asset) if find is not None else None


def set_progress(asset_id: int, share: float) -> None:
    """Store how far the encode got (while processing), in a transaction of
    its own; a failure costs only the figure, never the encode."""
    try:
        with db.engine.begin() as conn:
            conn.execute(
                update(MediaAsset)
                .where(MediaAsset.id == asset_id, MediaAsset.status == AssetState.PROCESSING)
                .values(progress=round(share, 3))
            )
    except SQLAlchemyError:
        log.warning("the progress of asset %s could not be stored", asset_id, exc_info=True)


def _mark_ready(asset: MediaAsset) -> None:
    asset.progress = None
    flag_modified(asset, "progress")  # written behind this session's back (set_progress)
    asset.status = AssetState.READY
    asset.error = None
    asset.heartbeat_at = None
    db.session.commit()


def _fail(asset_id: int, message: str) -> None:
    db.session.rollback()
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:  # deleted meanwhile (with its episode): nothing to mark
        return
    asset.status = AssetState.FAILED
    asset.error = message
    asset.heartbeat_at = None
    db.session.commit()
    log.info("asset %s failed: %s", asset.id, message)


def _release(asset_id: int) -> None:
    """Hand the asset back for a later attempt (or fail it for good)."""
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:  # deleted meanwhile: nothing to hand back
        return
    if asset.attempts >= current_app.config["AUDIO_MAX_ATTEMPTS"]:
        _fail(asset_id, FAILED_PLAINLY)
        return
    asset.status = AssetState.UPLOADED
    asset.heartbeat_at = None
    db.session.commit()


def _hand_back(asset_id: int) -> None:
    """A job interrupted because its worker stops: back to ``uploaded`` without
    counting the attempt, and into the queue again at once (another worker,
    or this one's next start, takes it)."""
    db.session.rollback()
    asset = db.session.get(MediaAsset, asset_id)
    if asset is None:
        return
    asset.status = AssetState.UPLOADED
    asset.heartbeat_at = None
    asset.attempts = max(asset.attempts - 1, 0)
    db.session.commit()
    _process_asset_task()(asset_id)
    log.info("asset %s handed back: the worker is stopping", asset_id)


def request_reprocessing(asset: MediaAsset) -> None:
    """Process an asset again (new settings, replaced jingles, by hand)."""
    asset.status = AssetState.UPLOADED
    asset.error = None
    asset.attempts = 0
    asset.heartbeat_at = None
    db.session.flush()
    enqueue_after_commit(db.session, _process_asset_task(), asset.id)


def _process_asset_task() -> Any:
    """The queue task that runs :func:`process` (to hand assets back to it)."""
    from mediahub.media.tasks import process_asset  # cycle: that task runs this module

    return process_asset


def _retag_task() -> Any:
    """The queue task that rewrites an asset's tags (``retagging.retag``)."""
    from mediahub.media.tasks import retag_asset  # cycle: that task runs retagging, this module

    return retag_asset


def reconcile(*, now: dt.datetime | None = None) -> list[int]:
    """Enqueue assets whose processing or tag rewrite was lost (killed worker,
    lost message)."""
    from mediahub.media.retagging import lost_rewrites  # cycle: retagging builds on this module

    process_asset = _process_asset_task()
    now = now or utcnow()
    ids = jobs.lost(JOB, stale=_stale(now), where=MediaAsset.kind != AssetKind.IMAGE)
    rewrites = lost_rewrites(now=now)
    db.session.commit()
    for asset_id in ids:
        log.warning("re-enqueueing abandoned asset %s", asset_id)
        process_asset(asset_id)
    for asset_id in rewrites:
        log.warning("re-enqueueing the tag rewrite of asset %s", asset_id)
        _retag_task()(asset_id)
    return ids + rewrites


class Heartbeat(jobs.Heartbeat):
    """Touch a heartbeat column every few seconds from a thread, in its own session.

    ``heartbeat_at`` while the asset is processed; ``tags_heartbeat_at``
    while its tags are rewritten (the asset is ``ready`` then).
    """

    def __init__(self, app: Any, asset_id: int, *, column: str = "heartbeat_at") -> None:
        state = AssetState.PROCESSING if column == "heartbeat_at" else AssetState.READY
        super().__init__(
            app,
            f"asset-{asset_id}",
            lambda: (
                update(MediaAsset)
                .where(MediaAsset.id == asset_id, MediaAsset.status == state)
                .values({column: utcnow()})
            ),
        )
