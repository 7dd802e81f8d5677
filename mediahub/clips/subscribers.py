"""What clips do when items change: render an approved clip; drop the
videos of a clip (or of every clip of an episode) that goes away."""

from __future__ import annotations

from typing import Any

from flask import Flask

from mediahub.clips.models import Clip, RenderState
from mediahub.clips.tasks import render_clip
from mediahub.core import signals
from mediahub.core.extensions import db
from mediahub.core.queue import enqueue_after_commit, run_after_commit
from mediahub.storage import current_storage


def _published(item: Any, **_: Any) -> None:
    if not isinstance(item, Clip):
        return
    if item.render_state != RenderState.READY:
        item.render_state = RenderState.WAITING
        db.session.flush()
        enqueue_after_commit(db.session, render_clip, item.id)


def _drop_files(keys: list[str]) -> None:
    for key in keys:
        current_storage().delete(key)


def _gone(item: Any, **_: Any) -> None:
    """A deleted clip, or a deleted episode with clips: their videos go too
    (after the commit, so a rolled-back deletion keeps them)."""
    clips = [item] if isinstance(item, Clip) else []
    if item.item_type == "episode":
        clips = list(db.session.scalars(db.select(Clip).where(Clip.episode_id == item.id)))
    keys = [r.storage_key for clip in clips for r in clip.renditions if r.storage_key]
    if keys:
        run_after_commit(db.session, _drop_files, keys)


def init_app(app: Flask) -> None:
    signals.item_published.connect(_published)
    signals.item_deleted.connect(_gone)
