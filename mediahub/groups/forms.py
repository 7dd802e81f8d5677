"""Forms for a group's settings, cover art and members."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import URLField
from wtforms.validators import EqualTo, Length

from mediahub.core.labels import choices
from mediahub.groups.categories import CATEGORIES
from mediahub.groups.models import GroupRole, Visibility
from mediahub.groups.services import EDITABLE

#: Languages offered for a group's podcast; a group may keep another one.
LANGUAGES = ("de", "en", "ar", "es", "fa", "fr", "it", "pl", "ru", "tr", "uk")

VISIBILITY_HINTS = {
    Visibility.PUBLIC.value: _l("Listed on the start page; anyone can listen and read."),
    Visibility.UNLISTED.value: _l(
        "Not listed anywhere; anyone who has the address can listen and read."
    ),
    Visibility.PRIVATE.value: _l(
        "Only for members. Listeners get a personal secret feed address from a manager."
    ),
}


def language_choices(current: str | None = None) -> list[SelectChoice]:
    """Languages by their name in the reader's language, e.g. "Deutsch", "Türkisch"."""
    codes = [*LANGUAGES, *([current] if current and current not in LANGUAGES else [])]
    shown = get_locale()
    named = [SelectChoice(c, Locale.parse(c, sep="-").get_display_name(shown) or c) for c in codes]
    return sorted(named, key=lambda choice: choice.label.lower())


def category_choices() -> list[SelectChoice]:
    return [SelectChoice(key, category.label) for key, category in CATEGORIES.items()]


class GroupFieldsForm(FlaskForm):
    """What a group is: shared by the managers' settings and the admins' new-group form."""

    name = StringField(_l("Name of the group"))
    language = SelectField(_l("Language of the podcast"))
    category = SelectField(_l("Topic"), choices=category_choices)
    visibility = RadioField(
        _l("Who can see the group?"), choices=choices(Visibility), default="public"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        obj = kwargs.get("obj")
        self.language.choices = language_choices(getattr(obj, "language", None))
        if self.language.data is None:
            self.language.data = "de"


class GroupSettingsForm(GroupFieldsForm):
    description = TextAreaField(
        _l("Description"),
        description=_l("A few sentences for listeners and podcast apps. Markdown works."),
        render_kw={"rows": 6},
    )
    is_explicit = BooleanField(_l("The podcast contains explicit language or content"))
    funding_url = URLField(
        _l("Link for donations (optional)"),
        description=_l("A web address starting with https://"),
    )
    auto_transcripts = BooleanField(
        _l("Write a transcript of every episode automatically"),
        description=_l(
            "On our own machine; nothing of it is public until an editor has checked it."
        ),
        default=True,
    )

    #: The settings the groups service knows; the short name never changes here.
    FIELDS = tuple(name for name in EDITABLE if name != "slug")


class CoverForm(FlaskForm):
    file = FileField(
        _l("Cover image"),
        description=_l(
            "A square picture works best, at least 1400 by 1400 pixels (JPEG, PNG or WebP)."
        ),
        validators=[FileRequired(message=_l("Please choose a picture."))],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


class MemberAddForm(FlaskForm):
    email = EmailField(
        _l("Email address"), description=_l("The person needs an account on the hub.")
    )
    role = SelectField(_l("Role"), choices=choices(GroupRole), default=GroupRole.MEMBER.value)


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices(GroupRole))


class InvitationForm(FlaskForm):
    # Own ids: the add-member form on the same page has fields of these names,
    # and a label must name its own field.
    email = EmailField(
        _l("Email address"),
        description=_l("The person gets a link by email and chooses their own name and password."),
        id="invite-email",
    )
    role = SelectField(
        _l("Role"), choices=choices(GroupRole), default=GroupRole.MEMBER.value, id="invite-role"
    )


class AcceptInvitationForm(FlaskForm):
    """A new account from an invitation: the name may be a pseudonym."""

    display_name = StringField(
        _l("Your name"),
        description=_l("Shown to the group; a first name or a pseudonym is fine."),
        validators=[Length(max=80)],
    )
    password = PasswordField(_l("Choose a password"), validators=[Length(max=1024)])
    confirm = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
    )


class FeedTokenForm(FlaskForm):
    label = StringField(
        _l("Who is the address for?"),
        description=_l("A name you recognise later, e.g. “Anna's phone”."),
        validators=[Length(max=80)],
    )


class JingleForm(FlaskForm):
    file = FileField(
        _l("Sound file"),
        description=_l("A short clip (a few seconds), e.g. MP3, M4A or WAV."),
        validators=[FileRequired(message=_l("Please choose a sound file."))],
        render_kw={"accept": "audio/*"},
    )
