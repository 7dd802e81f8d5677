"""Episodes as a reviewable item kind: what the review workflow needs to know."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.core.errors import Conflict
from mediahub.episodes.models import Episode
from mediahub.media.models import AssetState
from mediahub.review.kinds import ItemKind, Reviewable


def _has_audio(item: Reviewable) -> None:
    if getattr(item, "audio", None) is None:
        raise Conflict(
            _l("Please add the audio before sending the episode to review."), code="audio_missing"
        )


def _audio_ready(item: Reviewable) -> None:
    audio: Any = getattr(item, "audio", None)
    if audio is None or audio.status != AssetState.READY:
        raise Conflict(
            _l("The audio is not ready yet; it can be approved once processing has finished."),
            code="audio_not_ready",
        )


EPISODE = ItemKind(
    name=Episode.item_type,
    model=Episode,
    collection="episodes",
    public_endpoint="site.episode_page",
    edit_endpoint="episodes.edit_episode",
    messages={
        "submitted": _l("Thank you! The episode is now with the editors."),
        "deleted": _l("The episode has been deleted."),
        "unpublished": _l("The episode is offline now."),
        "label": _l("Episode"),
    },
    check_submittable=_has_audio,
    check_approvable=_audio_ready,
)
