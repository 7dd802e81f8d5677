"""The transcript editor on an episode's page, and its state for the page to follow."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from mediahub.accounts.identity import viewer
from mediahub.core import values
from mediahub.core.errors import require
from mediahub.episodes.models import Episode
from mediahub.review.services import load_item
from mediahub.transcripts import engine, policy, services
from mediahub.transcripts.captions import read_vtt
from mediahub.transcripts.forms import TranscriptForm
from mediahub.web.actions import button_action

bp = Blueprint("transcripts", __name__)

DONE = {
    "save": _l("Your corrections are saved."),
    "merge": _l("The lines are joined."),
    "split": _l("The line is split."),
    "approve": _l("The transcript is published with the episode."),
    "delete": _l("The transcript has been removed."),
    "again": _l("A new transcript will be written."),
}


def panel(episode: Episode) -> dict[str, Any] | None:
    """What the editor shows on the episode's page (None: not for this person)."""
    user = viewer()
    if not policy.can_see_transcript_draft(user, episode):
        return None
    transcript = services.transcript_of(episode)
    cues = read_vtt(transcript.vtt) if transcript is not None else []
    return {
        "transcript": transcript,
        "status": services.status_of(transcript),
        "cues": cues,
        "speakers": services.speaker_suggestions(episode, cues),
        "form": TranscriptForm(),
        "can_approve": policy.can_approve_transcript(user, episode),
        "uploaded": episode.transcript_origin == services.UPLOAD,
        "is_public": episode.transcript_origin == services.MACHINE,
        "off_reason": (
            engine.unavailable(current_app.config["TRANSCRIBE_MODEL"])
            if current_app.config["TRANSCRIBE"]
            else "off"
        ),
        "group_off": not episode.group.auto_transcripts,
    }


@bp.route("/episodes/<int:item_id>/transcript/status")
@login_required
def transcript_status(item_id: int) -> Any:
    """How far the automatic transcript is, for the page to follow."""
    episode = load_item(Episode, item_id, viewer())
    require(policy.can_see_transcript_draft(viewer(), episode))
    resp = jsonify(services.status_of(services.transcript_of(episode)))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _number(name: str) -> int | None:
    return values.digits(request.form.get(name), 6)


#: Stands for a version the page did not send (or sent garbled): our editor
#: always sends one, so the edit is refused as made on an old page rather
#: than saved over whatever is there now. Versions start at 1.
NO_VERSION = 0


def _act(episode: Episode, action: str) -> None:
    user = viewer()
    if action == "delete":
        require(policy.can_delete_transcript(user, episode))
        services.delete_transcript(episode, user)
        return
    if action == "again":
        require(policy.can_edit_transcript(user, episode))
        services.request_again(episode)
        return
    transcript = services.transcript_of(episode)
    require(transcript is not None and policy.can_edit_transcript(user, episode))
    assert transcript is not None
    services.save_edit(
        transcript,
        version=_number("version") or NO_VERSION,
        texts=request.form.getlist("text"),
        speakers=request.form.getlist("speaker"),
        merge=_number("merge") if action == "merge" else None,
        split=_number("split") if action == "split" else None,
        split_at=_number("split_at"),
    )
    if action == "approve":
        require(policy.can_approve_transcript(user, episode))
        services.approve(transcript, user)


@bp.route("/episodes/<int:item_id>/transcript", methods=["POST"])
@login_required
def change_transcript(item_id: int) -> Any:
    """Every button of the editor: save, join, split, approve, delete, make again."""
    episode = load_item(Episode, item_id, viewer())
    action = next((a for a in DONE if a in request.form), "save")
    return button_action(
        TranscriptForm(),
        lambda: _act(episode, action),
        done=DONE[action],
        to=url_for("review.show_item", kind="episodes", item_id=episode.id) + "#transcript",
    )
