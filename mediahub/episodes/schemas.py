"""API schemas of episodes: what the API takes and what it answers, per audience."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, validate

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.core.urls import absolute_url
from mediahub.episodes.models import Episode, EpisodeType
from mediahub.episodes.services import CHAPTER_TITLE_MAX, DESCRIPTION_MAX, NUMBER_MAX
from mediahub.groups.services import LANGUAGE_MAX
from mediahub.media.messages import translated
from mediahub.review.editing import CONTENT_NOTE_MAX, TITLE_MAX
from mediahub.review.policy import item_audience
from mediahub.review.schemas import ItemSchema


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
    language = fields.Str(
        allow_none=True,
        max_length=LANGUAGE_MAX,
        metadata={"description": "language spoken, e.g. de; null: the group's language"},
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
    title = fields.Str(
        required=True,
        max_length=CHAPTER_TITLE_MAX,
        metadata={"description": '"" only for a chapter hidden from the table of contents'},
    )
    end_s = fields.Float(metadata={"description": "seconds from the start, when given"})
    url = fields.Str(metadata={"description": "a web page about the chapter, when given"})
    img = fields.Str(metadata={"description": "a picture for the chapter, when given"})
    toc = fields.Bool(
        metadata={"description": "false: not in the table of contents (absent otherwise)"}
    )


class ChaptersSchema(Schema):
    """A Podcasting 2.0 JSON chapters document as tools export it (``version``,
    ``title``, ``author`` and other keys are ignored), or ``chapters`` alone."""

    class Meta:
        unknown = EXCLUDE

    chapters = fields.AnyJSON(
        required=True,
        metadata={
            "description": "the chapters of a Podcasting 2.0 JSON chapters document "
            "({startTime, endTime, title, url, img, toc}; the document we serve goes back "
            'unchanged), a list of {"start_s", "title"}, or "mm:ss Title" lines. The whole '
            "document may be sent as it is, also as application/json+chapters."
        },
    )


class TranscriptFileSchema(Schema):
    file = fields.File(
        metadata={
            "description": "WebVTT (.vtt, speakers as <v Name>), SubRip (.srt) or a "
            "Podcasting 2.0 JSON transcript, UTF-8, recognised by content; or send the text "
            "itself as the body (Content-Type: text/vtt, application/x-subrip or "
            "application/json)",
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


class MediaSchema(AudienceSchema):
    """An episode's audio, as the episode's reader may see it: why processing
    failed and how large the member's original file was are for those who
    work on the episode."""

    status = fields.Str(metadata=everybody("uploaded, processing, ready or failed"))
    error = fields.Function(
        lambda a: translated(a.error) if a.error else None,
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "why processing failed, in the request's language"),
    )
    progress = fields.Float(
        attribute="progress_shown",
        allow_none=True,
        metadata=everybody(
            "share of the encode done (0 … 1, about once a second) while processing; else null"
        ),
    )
    duration_s = fields.Float(allow_none=True, metadata=everybody())
    size_bytes = fields.Int(attribute="rendition_size", allow_none=True, metadata=everybody())
    bitrate_kbps = fields.Int(allow_none=True, metadata=everybody())
    loudness_lufs = fields.Float(allow_none=True, metadata=everybody())
    true_peak_dbtp = fields.Float(allow_none=True, metadata=everybody())
    original_size_bytes = fields.Int(
        attribute="original_size",
        metadata=shown_to(Audience.AUTHOR, "size of the uploaded recording"),
    )
    audio_url = fields.Method("_audio_url", allow_none=True, metadata=everybody())

    def audience_of(self, asset: Any) -> Audience:
        episode = self.context_episode(asset)
        return Audience.PUBLIC if episode is None else item_audience(viewer(), episode)

    def _audio_url(self, asset: Any) -> str | None:
        episode = self.context_episode(asset)
        if episode is None or not asset.is_ready:
            return None

        return absolute_url("media.episode_audio", guid=episode.guid)

    @staticmethod
    def context_episode(asset: Any) -> Any:
        return getattr(asset, "_episode", None)


class _EpisodeAudio(fields.Nested):
    """The episode's audio, dumped knowing its episode (for its address and
    for who may see what of it)."""

    def _serialize(self, *args: Any, **kwargs: Any) -> Any:
        audio, _attr, episode = args[:3]  # Nested's (nested_obj, attr, obj)
        if audio is not None:
            audio._episode = episode
        return super()._serialize(*args, **kwargs)


class EpisodeSchema(ItemSchema):
    """An episode as the caller may see it: who wrote it, the editors'
    comment, the version to edit and the voice setting only for those who
    work on it (``Audience``)."""

    description = fields.Str(metadata=everybody("show notes in Markdown"))
    content_note = fields.Str(metadata=everybody("shown before the player"))
    episode_type = fields.Str(metadata=everybody("full, trailer or bonus"))
    season = fields.Int(allow_none=True, metadata=everybody())
    number = fields.Int(allow_none=True, metadata=everybody())
    explicit = fields.Bool(attribute="is_explicit", metadata=everybody())
    language = fields.Str(
        allow_none=True, metadata=everybody("language spoken; null: the group's language")
    )
    disguise_voice = fields.Bool(
        metadata=shown_to(
            Audience.AUTHOR,
            "the voices' pitch is lowered; knowing it would help to undo it",
        )
    )
    chapters = fields.List(fields.Nested(ChapterSchema), allow_none=True, metadata=everybody())
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

    def _image_url(self, episode: Episode) -> str | None:
        if episode.image is None or not episode.image.is_ready:
            return None
        return absolute_url("media.episode_image", guid=episode.guid, asset_id=episode.image.id)


class RequiredImageFileSchema(Schema):
    file = fields.File(required=True, metadata={"description": "JPEG, PNG or WebP"})
