"""JSON API for episodes."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from mediahub.accounts.identity import api_caller
from mediahub.api.blueprint import accepts_raw_body, api_blueprint, public, require_user
from mediahub.api.paging import SelectPage
from mediahub.core.errors import InvalidInput, require
from mediahub.episodes import services
from mediahub.episodes.chapters import MEDIA_TYPE as CHAPTERS_TYPE
from mediahub.episodes.kind import EPISODE
from mediahub.episodes.models import Episode
from mediahub.episodes.schemas import (
    ChaptersSchema,
    EpisodeSchema,
    EpisodeUpdateSchema,
    EpisodeUploadSchema,
    RequiredAudioFileSchema,
    RequiredImageFileSchema,
    TranscriptFileSchema,
)
from mediahub.episodes.transcripts import MAX_UPLOAD_BYTES
from mediahub.groups.api import load_group
from mediahub.groups.policy import can_create_items
from mediahub.review import api as workflow
from mediahub.review import policy
from mediahub.review import services as review
from mediahub.review.schemas import CommentSchema, DecisionSchema, EventSchema
from mediahub.review.services import load_item

#: Plain bodies PUT /episodes/{id}/transcript takes besides a multipart ``file``.
TRANSCRIPT_TYPES = ("text/vtt", "application/x-subrip", "text/plain", "application/json")

blp = api_blueprint("episodes_api", __name__, "Podcast episodes")


@blp.route("/groups/<slug>/episodes")
@blp.response(200, EpisodeSchema(many=True))
@blp.paginate(SelectPage)
@public
def list_episodes(slug: str) -> Any:
    """A group's episodes: published ones for everybody, plus the caller's own
    and, for editors, all others."""
    user = api_caller()
    group = load_group(slug, user)
    return review.group_items(Episode, group, user)


@blp.route("/groups/<slug>/episodes", methods=["POST"])
@blp.arguments(EpisodeUploadSchema, location="multipart")
@blp.response(201, EpisodeSchema)
def create_episode(fields_: dict[str, Any], slug: str) -> Any:
    """Create a draft episode (multipart form); an ``audio`` file is stored and queued."""
    user = require_user()
    group = load_group(slug, user)
    require(can_create_items(user, group))
    audio = fields_.pop("audio", None)
    episode = services.create_episode(group, user, fields_)
    if audio:
        services.attach_audio(episode, audio.stream, uploader=user, content_type=audio.mimetype)
    return episode


@blp.route("/episodes/<int:item_id>")
@blp.response(200, EpisodeSchema)
@public
def get_episode(item_id: int) -> Any:
    return load_item(Episode, item_id, api_caller())


@blp.route("/episodes/<int:item_id>", methods=["PATCH"])
@blp.arguments(EpisodeUpdateSchema)
@blp.response(200, EpisodeSchema)
def update_episode(args: dict[str, Any], item_id: int) -> Any:
    """Change fields; send the ``version`` you edited to be safe from overwriting."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    version = args.pop("version", None)
    services.update_episode(episode, user, args, expected_version=version)
    return episode


@blp.route("/episodes/<int:item_id>", methods=["DELETE"])
@blp.response(204)
def delete_episode(item_id: int) -> None:
    """Delete an episode that is not online (unpublish it first)."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_delete(user, episode))
    review.delete(episode, user)


@blp.route("/episodes/<int:item_id>/audio", methods=["PUT"])
@blp.arguments(RequiredAudioFileSchema, location="multipart")
@blp.response(200, EpisodeSchema)
def replace_audio(files: dict[str, Any], item_id: int) -> Any:
    """Upload (or replace) the episode's audio; it is processed again."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.attach_audio(
        episode, files["audio"].stream, uploader=user, content_type=files["audio"].mimetype
    )
    return episode


@blp.route("/episodes/<int:item_id>/image", methods=["PUT"])
@blp.arguments(RequiredImageFileSchema, location="multipart")
@blp.response(200, EpisodeSchema)
def put_image(files: dict[str, Any], item_id: int) -> Any:
    """Upload episode artwork; it is cropped square and cleaned of metadata."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.set_image(episode, user, files["file"].stream)
    return episode


@blp.route("/episodes/<int:item_id>/chapters", methods=["PUT"])
@blp.arguments(ChaptersSchema)
@blp.response(200, EpisodeSchema)
@blp.doc(requestBody={"content": {CHAPTERS_TYPE: {"schema": ChaptersSchema}}})
@accepts_raw_body(CHAPTERS_TYPE)
def put_chapters(args: dict[str, Any], item_id: int) -> Any:
    """Replace the chapters; they go into the MP3 as ID3 chapters (CHAP/CTOC).

    Send the Podcasting 2.0 JSON chapters document as chapter tools export it
    (or as ``chapters_url`` serves it: it comes back identical)."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.set_chapters(episode, user, args["chapters"])
    return episode


_RAW_TEXT = {"schema": {"type": "string"}}


@blp.route("/episodes/<int:item_id>/transcript", methods=["PUT"])
@blp.arguments(TranscriptFileSchema, location="multipart")
@blp.response(200, EpisodeSchema)
@blp.doc(requestBody={"content": {t: _RAW_TEXT for t in TRANSCRIPT_TYPES}})
@accepts_raw_body(*TRANSCRIPT_TYPES)
def put_transcript(files: dict[str, Any], item_id: int) -> Any:
    """Add or replace the transcript: WebVTT (speakers as ``<v Name>``), SubRip or a
    Podcasting 2.0 JSON transcript (``{"version", "segments": [{"speaker",
    "startTime", "endTime", "body"}]}``), recognised by content; served as
    text/vtt and listed in the feed as podcast:transcript."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    # One byte more than allowed is enough to say "too large" without
    # reading a huge body into memory.
    if files.get("file") is not None:
        data = files["file"].stream.read(MAX_UPLOAD_BYTES + 1)
    elif request.mimetype in TRANSCRIPT_TYPES:
        data = request.stream.read(MAX_UPLOAD_BYTES + 1)
    else:
        raise InvalidInput(
            _l("Please send the transcript as a file (WebVTT, SRT or JSON)."), field="file"
        )
    services.set_transcript(episode, user, data)
    return episode


@blp.route("/episodes/<int:item_id>/transcript", methods=["DELETE"])
@blp.response(200, EpisodeSchema)
def delete_transcript(item_id: int) -> Any:
    """Remove the transcript."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.clear_transcript(episode, user)
    return episode


@blp.route("/episodes/<int:item_id>/submit", methods=["POST"])
@blp.response(200, EpisodeSchema)
def submit_episode(item_id: int) -> Any:
    """Send the episode to the group's editors (→ in_review)."""
    return workflow.submit(EPISODE, item_id)


@blp.route("/episodes/<int:item_id>/withdraw", methods=["POST"])
@blp.response(200, EpisodeSchema)
def withdraw_episode(item_id: int) -> Any:
    """Take the episode back from the editors to change it (in_review → draft).

    For its author (admins on the author's behalf), until the editors have
    decided; the audit trail records it.
    """
    return workflow.withdraw(EPISODE, item_id)


@blp.route("/episodes/<int:item_id>/review", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, EpisodeSchema)
def review_episode(args: dict[str, Any], item_id: int) -> Any:
    """An editor's decision: approve (now or at publish_at), request changes, reject."""
    return workflow.review(EPISODE, args, item_id)


@blp.route("/episodes/<int:item_id>/unpublish", methods=["POST"])
@blp.arguments(CommentSchema)
@blp.response(200, EpisodeSchema)
def unpublish_episode(args: dict[str, Any], item_id: int) -> Any:
    """Take a published or scheduled episode offline (→ archived)."""
    return workflow.unpublish(EPISODE, args, item_id)


@blp.route("/episodes/<int:item_id>/history")
@blp.response(200, EventSchema(many=True))
def history_episode(item_id: int) -> Any:
    """The audit trail: every transition with who, when and the comment."""
    return workflow.history(EPISODE, item_id)
