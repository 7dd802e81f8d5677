"""Forms of the hub administration: people and groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)

from mediahub.accounts.models import HubRole
from mediahub.core.labels import choices
from mediahub.groups.forms import GroupFieldsForm


class PersonCreateForm(FlaskForm):
    email = EmailField(_l("Email address"))
    display_name = StringField(
        _l("Name"), description=_l("How the person appears to others; a pseudonym is fine.")
    )
    password = PasswordField(
        _l("Password (optional)"),
        description=_l(
            "Better left empty: then send the person a link to choose their own password "
            "(in the list above). Until then they cannot log in."
        ),
    )
    hub_role = SelectField(_l("Role in the hub"), choices=choices(HubRole), default="none")


class PersonUpdateForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("Changes at once; the old address gets a notice."),
    )
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


class SiteTextsForm(FlaskForm):
    """The hub's own texts in German and English (Markdown); field names are
    ``<key>_<language>`` as in ``mediahub.site.texts.field_name``."""

    impressum_de = TextAreaField(
        _l("Legal notice (Impressum), German"),
        description=_l("Who runs this hub: name, address, contact (§ 5 DDG). Markdown."),
        render_kw={"rows": 10},
    )
    impressum_en = TextAreaField(
        _l("Legal notice, English"),
        description=_l("Optional; without it the German text is shown."),
        render_kw={"rows": 6},
    )
    privacy_de = TextAreaField(
        _l("Privacy policy, German"),
        description=_l("What the hub stores and why (Art. 13 GDPR). Markdown."),
        render_kw={"rows": 14},
    )
    privacy_en = TextAreaField(
        _l("Privacy policy, English"),
        description=_l("Optional; without it the German text is shown."),
        render_kw={"rows": 6},
    )
    help_footer_de = TextAreaField(
        _l("Help in a crisis (footer of every page), German"),
        description=_l(
            "Short, e.g. the numbers of the crisis line. Links to phone numbers: "
            "[0800 111 0 111](tel:+498001110111)."
        ),
        render_kw={"rows": 3},
    )
    help_footer_en = TextAreaField(
        _l("Help in a crisis, English"),
        description=_l("Optional; without it the German text is shown."),
        render_kw={"rows": 3},
    )
