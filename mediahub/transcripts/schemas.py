"""API schemas of automatic transcripts: the working copy as its author and
the group's editors see it, and the edits they send."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, pre_load, validate, validates_schema

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, shown_to, viewer
from mediahub.core import values
from mediahub.core.audience import Audience
from mediahub.episodes.models import Episode
from mediahub.review.policy import item_audience
from mediahub.transcripts import policy, services
from mediahub.transcripts.captions import Cue, read_vtt
from mediahub.transcripts.editing import CUE_TEXT_MAX, MAX_CUES, SPEAKER_MAX
from mediahub.transcripts.models import Transcript


@dataclass(frozen=True)
class MachineTranscript:
    """An episode's automatic transcript (None: none was asked for)."""

    episode: Episode
    transcript: Transcript | None

    @cached_property
    def status(self) -> dict[str, Any]:
        return services.status_of(self.transcript)

    @cached_property
    def cues(self) -> list[Cue]:
        return read_vtt(self.transcript.vtt) if self.transcript is not None else []

    @property
    def speaker_suggestions(self) -> list[str]:
        return services.speaker_suggestions(self.episode, self.cues)


def _author(description: str) -> dict[str, Any]:
    return shown_to(Audience.AUTHOR, description)


class CueSchema(Schema):
    """One line of the transcript (inside ``cues``, which only the author and the editors get)."""

    start = fields.Float(attribute="start_s", metadata={"description": "seconds from the start"})
    end = fields.Float(attribute="end_s", metadata={"description": "seconds from the start"})
    speaker = fields.Str(metadata={"description": '"Speaker 1", a chosen name, or "" for none'})
    text = fields.Str()


class MachineTranscriptSchema(AudienceSchema):
    """The automatic transcript: the job's state and the lines people check."""

    state = fields.Str(
        attribute="status.state",
        metadata=_author("none (never asked for), queued, running, done or failed"),
    )
    label = fields.Str(
        attribute="status.label", metadata=_author("the state in the caller's language")
    )
    message = fields.Str(
        attribute="status.message",
        metadata=_author("a sentence saying what happens (or why it failed)"),
    )
    percent = fields.Int(
        attribute="status.percent", metadata=_author("how much of the audio is done, 0-100")
    )
    is_final = fields.Bool(attribute="status.is_final", metadata=_author("true: done or failed"))
    language = fields.Function(
        lambda m: m.transcript.language if m.transcript else None,
        allow_none=True,
        metadata=_author("the language it is made in"),
    )
    version = fields.Function(
        lambda m: m.transcript.version if m.transcript else None,
        allow_none=True,
        metadata=_author("send it with an edit or an approval; a stale one gets 409"),
    )
    approved = fields.Function(
        lambda m: bool(m.transcript and m.transcript.is_approved),
        metadata=_author("an editor approved exactly this version"),
    )
    is_public = fields.Function(
        lambda m: m.episode.transcript_origin == services.MACHINE,
        metadata=_author(
            "an approved copy is the episode's transcript (public once the episode is)"
        ),
    )
    uploaded = fields.Function(
        lambda m: m.episode.transcript_origin == services.UPLOAD,
        metadata=_author("an uploaded transcript is used instead (it always wins)"),
    )
    can_approve = fields.Function(
        lambda m: policy.can_approve_transcript(viewer(), m.episode),
        metadata=_author("the caller may approve it (an editor, not of their own episode)"),
    )
    cues = fields.List(
        fields.Nested(CueSchema),
        metadata=_author("the lines, in order (never public before approval)"),
    )
    speaker_suggestions = fields.List(
        fields.Str(),
        metadata=_author(
            "names a speaker may be given: numbered speakers and the public names "
            "members chose (no other name is taken)"
        ),
    )

    def audience_of(self, obj: MachineTranscript) -> Audience:
        return item_audience(viewer(), obj.episode)


def _optional_int(maximum: int, description: str, *, minimum: int = 0) -> fields.Int:
    return fields.Int(
        load_default=None,
        allow_none=True,
        minimum=minimum,
        maximum=maximum,
        metadata={"description": description},
    )


class CueEditSchema(Schema):
    """A line as the caller received it, with the words and speaker corrected."""

    start = fields.Float(
        required=True, metadata={"description": "as received (times cannot be changed)"}
    )
    end = fields.Float(required=True, metadata={"description": "as received"})
    speaker = fields.Str(
        load_default="",
        max_length=SPEAKER_MAX,
        metadata={"description": '"Speaker 1"… or a name in speaker_suggestions; "" for none'},
    )
    text = fields.Str(
        required=True,
        max_length=CUE_TEXT_MAX,
        metadata={"description": '"" removes the line; "||" marks where split splits'},
    )


class MachineTranscriptEditSchema(Schema):
    """Corrections of the lines, and at most one join (merge) or split."""

    version = fields.Int(
        required=True, minimum=1, metadata={"description": "the version you edited"}
    )
    cues = fields.List(
        fields.Nested(CueEditSchema),
        required=True,
        validate=validate.Length(max=MAX_CUES),
        metadata={"description": "every line, in the order received"},
    )
    merge = _optional_int(MAX_CUES, "join line number (from 0) with the next one")
    split = _optional_int(MAX_CUES, "split line number (from 0) in two")
    split_at = _optional_int(CUE_TEXT_MAX, "where to split: a character of the (edited) text")

    @pre_load
    def _few_enough_cues(self, data: Any, **_: Any) -> Any:
        """Count the lines before each one is read (a long list costs time)."""
        cues = data.get("cues") if hasattr(data, "get") else None
        if isinstance(cues, list) and len(cues) > MAX_CUES:
            message = _l("A transcript has at most %(n)d lines.", n=MAX_CUES)
            raise ValidationError(str(message), field_name="cues")
        return data

    @validates_schema
    def _one_join_or_split(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("merge") is not None and data.get("split") is not None:
            message = _l("Please join or split one line at a time, not both at once.")
            raise ValidationError(str(message), field_name="split")


class ApprovalSchema(Schema):
    version = _optional_int(
        values.INT32_MAX, "the version you checked; a stale one gets 409", minimum=1
    )
