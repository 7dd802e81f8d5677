"""Who may do what with clips (besides the review workflow's own rules,
which hold for clips as for every item kind)."""

from __future__ import annotations

from mediahub.accounts.models import User
from mediahub.clips.models import Clip, RenderState
from mediahub.episodes.models import Episode
from mediahub.groups.policy import is_reviewer
from mediahub.review.policy import can_view_item, is_author


def can_make_clip(user: User | None, episode: Episode) -> bool:
    """The episode's author and the group's editors mark passages of it
    (members who did not make the episode do not cut it up)."""
    return user is not None and (is_author(user, episode) or is_reviewer(user, episode.group))


def can_download_clip(user: User | None, clip: Clip) -> bool:
    """The videos are there for whoever may see the clip and its episode,
    once they are made."""
    return (
        clip.render_state == RenderState.READY
        and can_view_item(user, clip)
        and can_view_item(user, clip.episode)
    )


def can_see_rendering(user: User | None, clip: Clip) -> bool:
    """How far the rendering got: for whoever may see the clip."""
    return can_view_item(user, clip)
