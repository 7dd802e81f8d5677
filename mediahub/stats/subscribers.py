"""Receivers of the serving signals: each answered request for audio or a
feed that may count becomes a :class:`~mediahub.stats.recorder.Hit` in the
process's buffer. Nothing here does I/O: the listener is waiting.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask

from mediahub.core import signals
from mediahub.stats.counting import audio_range, is_feed_fetch, needed_bytes
from mediahub.stats.previews import is_preview
from mediahub.stats.recorder import Hit
from mediahub.stats.recording import recording_of

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def on_audio_served(
    app: Flask, *, episode: Any, asset: Any, environ: dict[str, Any], response: Any
) -> None:
    """An episode's audio was answered: record it if it can be (part of) a download."""
    recording = recording_of(app)
    method = environ.get("REQUEST_METHOD")
    # Unpublished episodes are heard by their authors and editors (previews).
    if recording is None or method != "GET" or not episode.is_public or is_preview(environ):
        return
    size = asset.rendition_size or 0
    status = response.status_code
    got = audio_range(
        method=method,
        status=status,
        size=size,
        request_range=environ.get("HTTP_RANGE"),
        content_range=response.headers.get("Content-Range"),
        revalidation=bool(
            environ.get("HTTP_IF_NONE_MATCH") or environ.get("HTTP_IF_MODIFIED_SINCE")
        ),
        delegated=status in _REDIRECTS or "X-Accel-Redirect" in response.headers,
    )
    if got is None:
        return
    recording.record(
        Hit(
            at=time.time(),
            address=environ.get("REMOTE_ADDR"),
            user_agent=environ.get("HTTP_USER_AGENT"),
            kind="audio",
            group=episode.group_id,
            episode_id=episode.id,
            start=got[0],
            stop=got[1],
            needed=needed_bytes(size, asset.duration_s, asset.bitrate_kbps),
        )
    )


def on_feed_served(
    app: Flask, *, slug: str | None, feed: str, environ: dict[str, Any], status: int
) -> None:
    """A feed was answered: a fetch of a podcast app counts towards subscribers."""
    recording = recording_of(app)
    method = environ.get("REQUEST_METHOD", "")
    if recording is None or not is_feed_fetch(method, status) or is_preview(environ):
        return
    recording.record(
        Hit(
            at=time.time(),
            address=environ.get("REMOTE_ADDR"),
            user_agent=environ.get("HTTP_USER_AGENT"),
            kind="feed",
            group=slug,
            feed=feed,
        )
    )


def init_app(app: Flask) -> None:
    """Listen to this app's serving signals (weakly: the app owns them)."""
    signals.audio_served.connect(on_audio_served, sender=app)
    signals.feed_served.connect(on_feed_served, sender=app)
