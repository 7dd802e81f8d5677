"""Login and account forms."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Stay logged in on this device"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")]
    )


class CreditForm(FlaskForm):
    is_credited = BooleanField(
        _l("Name me in feeds and on public pages"),
        description=_l(
            "Your name as shown here (a pseudonym is fine) then appears as author of your "
            "published episodes and posts. Off by default; you can change it at any time."
        ),
    )


class NotificationsForm(FlaskForm):
    email_notifications = BooleanField(
        _l("Mail me about submissions and review decisions"),
        description=_l(
            "As an editor you hear when something is sent in for review in your groups; as an "
            "author, when the editors have decided about your episodes and posts. Invitations "
            "and mails about your password always come."
        ),
    )


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        description=_l("We send a link there; your address changes when you open it."),
        validators=[
            DataRequired(message=_l("Please enter the new address.")),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Your password"),
        description=_l("To be sure it is you."),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=1024)],
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("To be sure it is you."),
        validators=[DataRequired(message=_l("Please enter your password.")), Length(max=1024)],
    )
    confirm = BooleanField(
        _l("Yes, delete my account and everything of mine that is not published"),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address you log in with."),
        validators=[
            DataRequired(message=_l("Please enter your email address.")),
            Length(max=254),
        ],
    )


class ResetPasswordForm(FlaskForm):
    new = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Please choose a password.")), Length(max=1024)],
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new", message=_l("The two passwords differ."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new.description = _l(
            "At least %(n)d characters. A few words in a row are easy to remember.",
            n=current_app.config["PASSWORD_MIN_LENGTH"],
        )
