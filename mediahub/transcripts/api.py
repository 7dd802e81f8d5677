"""The automatic transcript in the JSON API: what the editor on the episode
page shows and does (correct words and speakers, join or split lines,
approve, delete, make again), for apps. Only the episode's author and the
group's editors know it exists: everybody else gets 404, as for a draft."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.api.blueprint import api_blueprint, require_user
from mediahub.core.errors import NotFound, require
from mediahub.episodes.models import Episode
from mediahub.review.services import load_item
from mediahub.transcripts import policy, services
from mediahub.transcripts.models import Transcript
from mediahub.transcripts.schemas import (
    ApprovalSchema,
    MachineTranscript,
    MachineTranscriptEditSchema,
    MachineTranscriptSchema,
)

blp = api_blueprint(
    "transcripts_api", __name__, "Automatic transcripts: checking, correcting, approving"
)
_PATH = "/episodes/<int:item_id>/transcript/machine"


def _episode(item_id: int) -> Episode:
    """The episode, if the caller may see its automatic transcript.

    Raises:
        NotFound: no such episode, or the caller is neither its author nor
            an editor of its group (nobody learns that a transcript exists).
    """
    user = require_user()
    episode: Episode = load_item(Episode, item_id, user)
    if not policy.can_see_transcript_draft(user, episode):
        raise NotFound(_l("This item does not exist (or is not visible to you)."))
    return episode


def _transcript(episode: Episode) -> Transcript:
    transcript = services.transcript_of(episode)
    if transcript is None:
        raise NotFound(_l("The episode has no automatic transcript."), code="no_transcript")
    return transcript


@blp.route(_PATH)
@blp.response(200, MachineTranscriptSchema)
def get_machine_transcript(item_id: int) -> Any:
    """The automatic transcript: the job's state and its lines (state ``none``:
    none was asked for). For the episode's author and the group's editors."""
    episode = _episode(item_id)
    return MachineTranscript(episode, services.transcript_of(episode))


@blp.route(_PATH, methods=["PUT"])
@blp.arguments(MachineTranscriptEditSchema)
@blp.response(200, MachineTranscriptSchema)
def put_machine_transcript(args: dict[str, Any], item_id: int) -> Any:
    """Correct words and speakers of every line (send all lines as received,
    times unchanged), and join (``merge``) or ``split`` one line. Speakers are
    named with a number ("Speaker 1") or a name a member chose; a stale
    ``version`` gets 409."""
    user = require_user()
    episode = _episode(item_id)
    require(policy.can_edit_transcript(user, episode))
    transcript = _transcript(episode)
    cues = args["cues"]
    services.save_edit(
        transcript,
        version=args["version"],
        texts=[c["text"] for c in cues],
        speakers=[c["speaker"] for c in cues],
        merge=args["merge"],
        split=args["split"],
        split_at=args["split_at"],
        times=[(c["start"], c["end"]) for c in cues],
    )
    return MachineTranscript(episode, transcript)


@blp.route(_PATH + "/approve", methods=["POST"])
@blp.arguments(ApprovalSchema)
@blp.response(200, MachineTranscriptSchema)
def approve_machine_transcript(args: dict[str, Any], item_id: int) -> Any:
    """An editor publishes the transcript as it is now (e.g. of an episode
    already published): it becomes the episode's transcript in the page, the
    feed and the search. An uploaded transcript still wins (``uploaded``)."""
    user = require_user()
    episode = _episode(item_id)
    require(policy.can_approve_transcript(user, episode))
    transcript = _transcript(episode)
    services.approve(transcript, user, version=args["version"])
    return MachineTranscript(episode, transcript)


@blp.route(_PATH, methods=["DELETE"])
@blp.response(204)
def delete_machine_transcript(item_id: int) -> None:
    """Remove the episode's transcript: the automatic one and the published
    copy (an uploaded one too), as the editor's "Remove" button does."""
    user = require_user()
    episode = _episode(item_id)
    require(policy.can_delete_transcript(user, episode))
    services.delete_transcript(episode, user)


@blp.route(_PATH + "/retry", methods=["POST"])
@blp.response(202, MachineTranscriptSchema)
def retry_machine_transcript(item_id: int) -> Any:
    """Have a new transcript written (it replaces the old one and withdraws
    its approved copy); 409 with the reason when none can be made."""
    user = require_user()
    episode = _episode(item_id)
    require(policy.can_edit_transcript(user, episode))
    return MachineTranscript(episode, services.request_again(episode))
