"""Who may do what with an episode's automatic transcript."""

from __future__ import annotations

from mediahub.accounts.models import User
from mediahub.episodes.models import Episode
from mediahub.groups.policy import is_reviewer
from mediahub.review.policy import can_review, can_view_item, is_author


def can_see_transcript_draft(user: User | None, episode: Episode) -> bool:
    """The machine's transcript is not public before an editor approved it:
    its author and the group's editors see it (and the job's state)."""
    return can_view_item(user, episode) and (
        is_author(user, episode) or is_reviewer(user, episode.group)
    )


def can_edit_transcript(user: User | None, episode: Episode) -> bool:
    """The author and the group's editors correct words, times and speakers,
    in any state of the episode (a published one keeps the approved copy
    until an editor approves the correction)."""
    return can_see_transcript_draft(user, episode)


def can_approve_transcript(user: User | None, episode: Episode) -> bool:
    """Whoever may approve the episode approves its transcript: an editor of
    the group, never for their own episode (admins may, as for episodes)."""
    return can_review(user, episode)


def can_delete_transcript(user: User | None, episode: Episode) -> bool:
    """The author and the group's editors remove a transcript (machine-made
    or uploaded), also of a published episode."""
    return can_see_transcript_draft(user, episode)
