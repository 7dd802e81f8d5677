"""Rendering an approved clip: the clip row is the source of truth.

As with audio processing (:mod:`mediahub.media.processing`): ``claim`` marks
the clip ``rendering`` with one atomic UPDATE (two workers never render the
same clip), a heartbeat is kept while ffmpeg runs, each shape's file is
stored before the clip says ``ready``, and ``reconcile`` (every minute and
when a worker starts) hands clips with a stale heartbeat, or waiting too
long, to the queue again. One ffmpeg process per shape, one after the other,
each bounded in time (``CLIP_RENDER_TIMEOUT_S``) and memory
(``CLIP_RENDER_MAX_MEMORY_MB``); the progress of each shape is stored so
that the clip's page can show it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from flask import current_app
from flask.globals import app_ctx
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from PIL import Image
from sqlalchemy import insert, update

from mediahub.audio.errors import AudioError
from mediahub.clips.captions import passage_captions
from mediahub.clips.layout import ClipShape
from mediahub.clips.models import Clip, ClipRendition, RenderState
from mediahub.clips.render import ClipSpec, render_shape
from mediahub.core import jobs, outbound
from mediahub.core.extensions import db
from mediahub.core.jobs import JobRow
from mediahub.core.types import utcnow
from mediahub.episodes.transcripts import cues
from mediahub.media.artwork import cached_cover
from mediahub.storage import current_storage, new_key

log = logging.getLogger(__name__)

# Stored in English and translated when shown (the template and the API's
# schema); _FOR_THE_CATALOG puts it into the catalog.
FAILED_PLAINLY = "The videos could not be made. Please ask the hub's administrators for help."
_FOR_THE_CATALOG = _l("The videos could not be made. Please ask the hub's administrators for help.")


RENDER_JOB = JobRow(
    model=Clip,
    state=Clip.render_state,
    waiting=RenderState.WAITING,
    running=RenderState.RENDERING,
    heartbeat_at=Clip.heartbeat_at,
    attempts=Clip.render_attempts,
    error=Clip.render_error,
    updated_at=Clip.updated_at,
)


def _stale(now: dt.datetime) -> dt.datetime:
    return jobs.stale_before(current_app.config["CLIP_STALE_AFTER_SECONDS"], now)


def claim(clip_id: int, *, now: dt.datetime | None = None) -> bool:
    """Mark the clip ``rendering`` if it waits, or its renderer went silent."""
    now = now or utcnow()
    return jobs.claim(RENDER_JOB, clip_id, stale=_stale(now), now=now)


def _artwork(clip: Clip) -> Image.Image:
    """The episode's picture, else the group's cover, else its generated one."""
    for asset in (clip.episode.image, clip.group.cover):
        if asset is not None and asset.rendition_key:
            with current_storage().open(asset.rendition_key) as fh:
                return Image.open(io.BytesIO(fh.read())).convert("RGB")
    picture = cached_cover(clip.group.name, clip.group.slug)
    return Image.open(io.BytesIO(picture)).convert("RGB")


def _spec(clip: Clip, audio_path: Path) -> ClipSpec:
    episode = clip.episode
    with force_locale(clip.group.language or "de"):
        heading = gettext("Content note")
    return ClipSpec(
        audio_path=audio_path,
        start_s=clip.start_s,
        duration_s=clip.duration_s,
        artwork=_artwork(clip),
        group_name=outbound.line(clip.group.name),
        episode_title=outbound.line(episode.title),
        captions=passage_captions(cues(episode.transcript_vtt), clip.start_s, clip.duration_s),
        content_note=outbound.line(clip.content_note),
        note_heading=heading,
    )


def render(clip_id: int) -> None:
    """Render the clip if it needs it; safe to call more than once."""
    if not claim(clip_id):
        log.info("clip %s is not waiting to be rendered; nothing to do", clip_id)
        return
    clip = db.session.get(Clip, clip_id)
    if clip is None:
        return
    if clip.render_attempts > current_app.config["CLIP_MAX_ATTEMPTS"]:
        _finish(clip, RenderState.FAILED, FAILED_PLAINLY)
        return
    beat = _heartbeat(app_ctx.app, clip_id)
    beat.start()
    try:
        _render_all(clip)
    except AudioError as err:
        log.warning("rendering clip %s failed: %s", clip_id, err)
        db.session.rollback()
        _finish(db.session.get(Clip, clip_id), RenderState.FAILED, FAILED_PLAINLY)
    except Exception:
        db.session.rollback()
        log.exception("rendering clip %s failed (attempt %s)", clip_id, clip.render_attempts)
        _release(clip_id)
        raise
    finally:
        beat.stop()


def _render_all(clip: Clip) -> None:
    config = current_app.config
    storage = current_storage()
    audio = clip.episode.audio
    if audio is None or not audio.rendition_key:
        raise AudioError("the episode has no processed audio")
    with ExitStack() as stack:
        src = stack.enter_context(storage.local_path(audio.rendition_key))
        work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        spec = _spec(clip, src)
        stored: dict[ClipShape, Any] = {}
        for shape in ClipShape:
            folder = work / shape.value
            folder.mkdir()
            out = work / f"{shape.value}.mp4"
            render_shape(
                spec,
                shape,
                out,
                work=folder,
                timeout_s=config["CLIP_RENDER_TIMEOUT_S"],
                max_memory_bytes=config["CLIP_RENDER_MAX_MEMORY_MB"] * 2**20,
                on_progress=functools.partial(_progress, clip.id, shape),
            )
            stored[shape] = storage.put_file(new_key("clips", ".mp4"), out, "video/mp4")
    _store(clip, stored)


def _store(clip: Clip, stored: dict[ClipShape, Any]) -> None:
    old = [r.storage_key for r in clip.renditions if r.storage_key]
    for shape, obj in stored.items():
        row = clip.rendition(shape) or ClipRendition(clip=clip, shape=shape)
        row.storage_key, row.size_bytes, row.sha256, row.progress = (
            obj.key, obj.size, obj.sha256, 1.0,
        )  # fmt: skip
    _finish(clip, RenderState.READY, None)
    for key in old:
        current_storage().delete(key)


def _finish(clip: Clip | None, state: RenderState, error: str | None) -> None:
    if clip is None:
        return
    clip.render_state, clip.render_error, clip.heartbeat_at = state, error, None
    db.session.commit()


def _release(clip_id: int) -> None:
    """Give a passing failure back to the queue (and the reconciler)."""
    db.session.execute(
        update(Clip)
        .where(Clip.id == clip_id, Clip.render_state == RenderState.RENDERING)
        .values(render_state=RenderState.WAITING, heartbeat_at=None)
    )
    db.session.commit()


def _progress(clip_id: int, shape: ClipShape, share: float) -> None:
    """Store how far one shape got, in its own short transaction."""
    with db.engine.begin() as conn:
        found = conn.execute(
            update(ClipRendition)
            .where(ClipRendition.clip_id == clip_id, ClipRendition.shape == shape)
            .values(progress=round(share, 3))
        )
        if not getattr(found, "rowcount", 0):
            conn.execute(
                insert(ClipRendition).values(clip_id=clip_id, shape=shape, progress=round(share, 3))
            )


def reconcile(*, now: dt.datetime | None = None) -> list[int]:
    """Clips whose rendering was lost (killed worker, lost message), enqueued again."""
    from mediahub.clips.tasks import render_clip  # cycle: tasks imports this module

    ids = jobs.lost(RENDER_JOB, stale=_stale(now or utcnow()))
    db.session.commit()
    for clip_id in ids:
        log.warning("re-enqueueing abandoned clip %s", clip_id)
        render_clip(clip_id)
    return ids


def _heartbeat(app: Any, clip_id: int) -> jobs.Heartbeat:
    """Touch the clip's heartbeat while it is being rendered."""
    return jobs.Heartbeat(
        app,
        f"clip-{clip_id}",
        lambda: (
            update(Clip)
            .where(Clip.id == clip_id, Clip.render_state == RenderState.RENDERING)
            .values(heartbeat_at=utcnow())
        ),
    )
