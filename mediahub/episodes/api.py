"""JSON API for episodes."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from flask_smorest import Page
from marshmallow import Schema, validate

from mediahub.api import fields
from mediahub.api.blueprint import accepts_raw_body, api_blueprint, current_api_user, require_user
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.errors import InvalidInput, require
from mediahub.core.extensions import db
from mediahub.core.urls import absolute_url
from mediahub.episodes import services
from mediahub.episodes.models import Episode, EpisodeType
from mediahub.episodes.services import CHAPTER_TITLE_MAX, DESCRIPTION_MAX, NUMBER_MAX
from mediahub.episodes.transcripts import MAX_TRANSCRIPT_BYTES
from mediahub.groups.api import load_group
from mediahub.groups.policy import can_create_items
from mediahub.media.schemas import MediaSchema
from mediahub.review import policy
from mediahub.review import services as review
from mediahub.review.api import register_workflow_routes
from mediahub.review.editing import CONTENT_NOTE_MAX, TITLE_MAX
from mediahub.review.policy import actions_for, author_name, item_audience
from mediahub.review.services import load_item

#: Plain bodies PUT /episodes/{id}/transcript takes besides a multipart ``file``.
TRANSCRIPT_TYPES = ("text/vtt", "application/x-subrip", "text/plain")

blp = api_blueprint("episodes_api", __name__, "Podcast episodes")


class EpisodeFieldsSchema(Schema):
    title = fields.Str(max_length=TITLE_MAX)
    description = fields.Str(
        max_length=DESCRIPTION_MAX, metadata={"description": "show notes in Markdown"}
    )
    content_note = fields.Str(
        max_length=CONTENT_NOTE_MAX,
        metadata={"description": 'shown before the player, e.g. "Thema: Suizid"; "" for none'},
    )
    episode_type = fields.Str(
        max_length=16, validate=validate.OneOf([t.value for t in EpisodeType])
    )
    season = fields.Int(allow_none=True, minimum=1, maximum=NUMBER_MAX)
    number = fields.Int(allow_none=True, minimum=1, maximum=NUMBER_MAX)
    explicit = fields.Bool(attribute="is_explicit")
    disguise_voice = fields.Bool(
        metadata={"description": "lower the voices' pitch (same speed) for anonymity"}
    )


class EpisodeCreateSchema(EpisodeFieldsSchema):
    title = fields.Str(required=True, max_length=TITLE_MAX)


class EpisodeUpdateSchema(EpisodeFieldsSchema):
    version = fields.Int(metadata={"description": "the version you edited; a stale one gets 409"})


class EpisodeUploadSchema(EpisodeCreateSchema):
    audio = fields.File(metadata={"description": "the recording, any common audio format"})


class RequiredAudioFileSchema(Schema):
    audio = fields.File(required=True)


class ChapterSchema(Schema):
    start_s = fields.Float(required=True, metadata={"description": "seconds from the start"})
    title = fields.Str(required=True, max_length=CHAPTER_TITLE_MAX)


class ChaptersSchema(Schema):
    chapters = fields.AnyJSON(
        required=True,
        metadata={
            "description": 'a list of {"start_s", "title"}, a Podcasting 2.0 JSON chapters '
            'document, or "mm:ss Title" lines'
        },
    )


class TranscriptFileSchema(Schema):
    file = fields.File(
        metadata={
            "description": "WebVTT (.vtt) or SubRip (.srt), UTF-8; or send the text "
            "itself as the body (Content-Type: text/vtt or application/x-subrip)",
        }
    )


def _transcript_url(episode: Episode) -> str | None:
    if not episode.transcript_vtt:
        return None
    return absolute_url("media.episode_transcript", guid=episode.guid)


def _chapters_url(episode: Episode) -> str | None:
    if not episode.chapters:
        return None
    return absolute_url("media.episode_chapters", guid=episode.guid)


class _EpisodeAudio(fields.Nested):
    """The episode's audio, dumped knowing its episode (for its address and
    for who may see what of it)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if value is not None:
            value._episode = obj
        return super()._serialize(value, attr, obj, **kwargs)


class EpisodeSchema(AudienceSchema):
    """An episode as the caller may see it: who wrote it, the editors'
    comment, the version to edit and the voice setting only for those who
    work on it (``Audience``)."""

    id = fields.Int(metadata=everybody())
    guid = fields.Str(metadata=everybody())
    group = fields.Function(lambda e: e.group.slug, metadata=everybody())
    title = fields.Str(metadata=everybody())
    description = fields.Str(metadata=everybody("show notes in Markdown"))
    content_note = fields.Str(metadata=everybody("shown before the player"))
    episode_type = fields.Str(metadata=everybody("full, trailer or bonus"))
    season = fields.Int(allow_none=True, metadata=everybody())
    number = fields.Int(allow_none=True, metadata=everybody())
    explicit = fields.Bool(attribute="is_explicit", metadata=everybody())
    disguise_voice = fields.Bool(
        metadata=shown_to(
            Audience.AUTHOR,
            "the voices' pitch is lowered; knowing it would help to undo it",
        )
    )
    chapters = fields.List(fields.Nested(ChapterSchema), allow_none=True, metadata=everybody())
    status = fields.Str(metadata=everybody())
    version = fields.Int(
        metadata=shown_to(Audience.AUTHOR, "send it with an edit; a stale one gets 409")
    )
    author = fields.Method(
        "_author",
        allow_none=True,
        metadata=everybody(
            "the author's display name for the author and the group's editors; for "
            "everybody else only when the author chose to be named, else null"
        ),
    )
    publish_at = fields.AwareDateTime(
        allow_none=True, metadata=shown_to(Audience.AUTHOR, "when a scheduled item goes online")
    )
    published_at = fields.AwareDateTime(allow_none=True, metadata=everybody())
    created_at = fields.AwareDateTime(metadata=shown_to(Audience.AUTHOR))
    updated_at = fields.AwareDateTime(metadata=everybody())
    page_url = fields.Function(
        lambda e: absolute_url("site.episode_page", slug=e.group.slug, item_id=e.id),
        metadata=everybody(),
    )
    media = _EpisodeAudio(
        MediaSchema, attribute="audio", allow_none=True, dump_only=True, metadata=everybody()
    )
    transcript_url = fields.Function(_transcript_url, allow_none=True, metadata=everybody())
    chapters_url = fields.Function(
        _chapters_url,
        allow_none=True,
        metadata=everybody("Podcasting 2.0 JSON chapters (application/json+chapters)"),
    )
    image_url = fields.Method("_image_url", allow_none=True, metadata=everybody())
    review_comment = fields.Method(
        "_comment",
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "the comment of the editors' last decision"),
    )
    actions = fields.Function(
        lambda e: actions_for(viewer(), e), metadata=everybody("what the caller may do now")
    )

    def audience_of(self, episode: Episode) -> Audience:
        return item_audience(viewer(), episode)

    def _author(self, episode: Episode) -> str | None:
        return author_name(viewer(), episode)

    def _image_url(self, episode: Episode) -> str | None:
        if episode.image is None or not episode.image.is_ready:
            return None
        return absolute_url("media.episode_image", guid=episode.guid, asset_id=episode.image.id)

    def _comment(self, episode: Episode) -> str | None:
        event = review.latest_decision(episode)
        return event.comment if event and event.comment else None


@blp.route("/groups/<slug>/episodes")
@blp.response(200, EpisodeSchema(many=True))
@blp.paginate(Page)
def list_episodes(slug: str) -> Any:
    """A group's episodes: published ones for everybody, plus the caller's own
    and, for editors, all others."""
    user = current_api_user()
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
    db.session.commit()
    return episode


@blp.route("/episodes/<int:item_id>")
@blp.response(200, EpisodeSchema)
def get_episode(item_id: int) -> Any:
    return load_item(Episode, item_id, current_api_user())


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
    db.session.commit()
    return episode


@blp.route("/episodes/<int:item_id>", methods=["DELETE"])
@blp.response(204)
def delete_episode(item_id: int) -> None:
    """Delete an episode that is not online (unpublish it first)."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_delete(user, episode))
    review.delete(episode, user)
    db.session.commit()


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
    db.session.commit()
    return episode


class RequiredImageFileSchema(Schema):
    file = fields.File(required=True, metadata={"description": "JPEG, PNG or WebP"})


@blp.route("/episodes/<int:item_id>/image", methods=["PUT"])
@blp.arguments(RequiredImageFileSchema, location="multipart")
@blp.response(200, EpisodeSchema)
def put_image(files: dict[str, Any], item_id: int) -> Any:
    """Upload episode artwork; it is cropped square and cleaned of metadata."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.set_image(episode, user, files["file"].stream)
    db.session.commit()
    return episode


@blp.route("/episodes/<int:item_id>/chapters", methods=["PUT"])
@blp.arguments(ChaptersSchema)
@blp.response(200, EpisodeSchema)
def put_chapters(args: dict[str, Any], item_id: int) -> Any:
    """Replace the chapters; they go into the MP3 as ID3 chapters (CHAP/CTOC)."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.set_chapters(episode, user, args["chapters"])
    db.session.commit()
    return episode


_RAW_TEXT = {"schema": {"type": "string"}}


@blp.route("/episodes/<int:item_id>/transcript", methods=["PUT"])
@blp.arguments(TranscriptFileSchema, location="multipart")
@blp.response(200, EpisodeSchema)
@blp.doc(requestBody={"content": {t: _RAW_TEXT for t in TRANSCRIPT_TYPES}})
@accepts_raw_body(*TRANSCRIPT_TYPES)
def put_transcript(files: dict[str, Any], item_id: int) -> Any:
    """Add or replace the transcript (WebVTT, or SRT which is converted);
    served as text/vtt and listed in the feed as podcast:transcript."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    # One byte more than allowed is enough to say "too large" without
    # reading a huge body into memory.
    if files.get("file") is not None:
        data = files["file"].stream.read(MAX_TRANSCRIPT_BYTES + 1)
    elif request.mimetype in TRANSCRIPT_TYPES:
        data = request.stream.read(MAX_TRANSCRIPT_BYTES + 1)
    else:
        raise InvalidInput(
            _l("Please send the transcript as a file (WebVTT or SRT)."), field="file"
        )
    services.set_transcript(episode, user, data)
    db.session.commit()
    return episode


@blp.route("/episodes/<int:item_id>/transcript", methods=["DELETE"])
@blp.response(200, EpisodeSchema)
def delete_transcript(item_id: int) -> Any:
    """Remove the transcript."""
    user = require_user()
    episode = load_item(Episode, item_id, user)
    require(policy.can_edit_item(user, episode))
    services.clear_transcript(episode, user)
    db.session.commit()
    return episode


register_workflow_routes(blp, Episode, "episodes", EpisodeSchema)
