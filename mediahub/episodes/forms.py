"""The episode form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from mediahub.core.labels import choices
from mediahub.episodes.models import EpisodeType
from mediahub.groups.forms import language_choices
from mediahub.review.editing import CONTENT_NOTE_MAX
from mediahub.web.forms import CONTENT_NOTE_HINT, version_field

_WHOLE_NUMBER = _l("Please enter a whole number, for example 3.")


class WholeNumberField(IntegerField):
    """An optional whole number with our own message for anything else."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(_WHOLE_NUMBER)) from None


class EpisodeForm(FlaskForm):
    title = StringField(_l("Title"))
    description = TextAreaField(
        _l("Description (show notes)"),
        description=_l(
            "What is the episode about? You can format with Markdown: *italic*, **bold**, "
            "- at the start of a line for a list."
        ),
        render_kw={"rows": 10},
    )
    content_note = StringField(
        _l("Content note"),
        description=CONTENT_NOTE_HINT,
        render_kw={"maxlength": CONTENT_NOTE_MAX},
    )
    audio_file = FileField(
        _l("Audio file"),
        description=_l(
            "A recording from your phone or computer, for example MP3, M4A or WAV. "
            "Sound levels are adjusted automatically."
        ),
        render_kw={"accept": "audio/*"},
    )
    episode_type = SelectField(
        _l("Kind of episode"), choices=choices(EpisodeType), default=EpisodeType.FULL.value
    )
    season = WholeNumberField(_l("Season (optional)"), validators=[Optional()])
    number = WholeNumberField(_l("Episode number (optional)"), validators=[Optional()])
    is_explicit = BooleanField(_l("Contains explicit language or content"))
    language = SelectField(
        _l("Language spoken"),
        description=_l("For the automatic transcript, when it is not the group's language."),
    )
    disguise_voice = BooleanField(
        _l("Disguise the voices (lower pitch, same speed)"),
        description=_l("For speakers who must not be recognised."),
    )
    image_file = FileField(
        _l("Episode picture (optional)"),
        description=_l(
            "A square picture (JPEG, PNG or WebP) shown with this episode. "
            "Without one, the group's picture is used. Location and camera data are removed."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    transcript_file = FileField(
        _l("Transcript (optional)"),
        description=_l(
            "A subtitle file (WebVTT or SRT) or a JSON transcript with what is said, for "
            "people who cannot listen."
        ),
        render_kw={"accept": ".vtt,.srt,.json,text/vtt,application/json"},
    )
    chapter_lines = TextAreaField(
        _l("Chapters (optional)"),
        description=_l(
            'One chapter per line: start time, then the title, e.g. "05:30 Our questions".'
        ),
        render_kw={"rows": 5},
    )
    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = getattr(kwargs.get("obj"), "language", None)
        self.language.choices = [
            SelectChoice("", _l("The group's language")),
            *language_choices(current),
        ]
        if self.language.data is None:
            self.language.data = ""
