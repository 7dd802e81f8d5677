"""What starts or publishes an automatic transcript: receivers of the platform's signals."""

from __future__ import annotations

from typing import Any

from flask import Flask

from mediahub.core import signals
from mediahub.episodes.models import Episode
from mediahub.review.workflow import ReviewAction
from mediahub.transcripts import services
from mediahub.transcripts.tasks import start_transcript


def _audio_ready(asset: Any, episode: Any = None, **_: Any) -> None:
    # Sent by the processing task after its commit: a task of our own asks
    # for the transcript (and commits), so publishing never waits for it.
    if isinstance(episode, Episode):
        start_transcript(episode.id)


def _reviewed(item: Any, actor: Any = None, event: Any = None, **_: Any) -> None:
    # The editor approved the episode with the transcript the review page showed.
    if isinstance(item, Episode) and event is not None and event.action == ReviewAction.APPROVE:
        services.approve_with_episode(item, actor)


def _removed(episode: Any, actor: Any = None, **_: Any) -> None:
    # A person removed the episode's transcript (e.g. through the API): the
    # machine's working copy goes too.
    if isinstance(episode, Episode):
        services.delete_transcript(episode, actor)


_RECEIVERS = (
    (signals.media_ready, _audio_ready),
    (signals.item_reviewed, _reviewed),
    (signals.transcript_removed, _removed),
)


def init_app(app: Flask) -> None:
    """Connect the receivers (idempotent: blinker keeps one per function)."""
    for signal, receiver in _RECEIVERS:
        signal.connect(receiver)
