"""Forms of the hub administration: people and groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField

from ..accounts.models import HubRole
from ..groups.forms import GroupFieldsForm
from ..labels import choices


class PersonCreateForm(FlaskForm):
    email = EmailField(_l("Email address"))
    display_name = StringField(
        _l("Name"), description=_l("How the person appears to others; a pseudonym is fine.")
    )
    password = PasswordField(
        _l("Password (optional)"),
        description=_l("Without a password the person cannot log in yet."),
    )
    hub_role = SelectField(_l("Role in the hub"), choices=choices(HubRole), default="none")


class PersonUpdateForm(FlaskForm):
    hub_role = SelectField(_l("Role in the hub"), choices=choices(HubRole))
    is_active = BooleanField(_l("Account active"))


class GroupCreateForm(GroupFieldsForm):
    slug = StringField(
        _l("Short name for addresses"),
        description=_l(
            "Lower-case letters, digits and dashes, e.g. grief-hamburg. It appears in the "
            "group's web and feed addresses and should not change later."
        ),
    )

    FIELDS = ("slug", "name", "language", "category", "visibility")
