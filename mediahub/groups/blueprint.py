"""The groups' HTML blueprint and what its view modules share: the managed
group, its members and the management page every action answers with."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from mediahub.accounts.models import User
from mediahub.core.errors import NotFound, require
from mediahub.core.extensions import db
from mediahub.core.types import utcnow
from mediahub.groups import services
from mediahub.groups.feed_tokens import list_tokens
from mediahub.groups.forms import (
    VISIBILITY_HINTS,
    CoverForm,
    FeedTokenForm,
    GroupSettingsForm,
    InvitationForm,
    JingleForm,
    MemberAddForm,
    MemberRoleForm,
)
from mediahub.groups.invitations import pending_invitations
from mediahub.groups.models import Group, Membership, Visibility
from mediahub.groups.policy import can_change_member, can_manage_group
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page

bp = Blueprint("groups", __name__)


def managed_group(slug: str) -> Group:
    group = services.load_group(slug, current_user)
    require(can_manage_group(current_user, group))
    return group


def member_row(group: Group, user_id: int) -> Membership:
    person = db.session.get(User, user_id)
    row = services.membership(group, person) if person else None
    if row is None or person is None:
        raise NotFound(_l("This person is not a member of the group."))
    require(can_change_member(current_user, group, person))
    return row


def role_form(row: Membership, posted: bool = False) -> MemberRoleForm:
    prefix = f"member-{row.user_id}"
    if posted:
        return MemberRoleForm(prefix=prefix)
    return MemberRoleForm(prefix=prefix, formdata=None, data={"role": row.role.value})


def manage_page(
    group: Group, status: int | None = None, *, new_feed_url: str | None = None, **forms: FlaskForm
) -> Any:
    """The manage page; ``forms`` replaces the blank form of the same name (with errors).

    ``new_feed_url`` is a just-created secret feed address, shown this once.
    """

    members = sorted(group.memberships, key=lambda m: m.user.display_name.lower())
    role_forms = forms.pop("role_forms", {})
    rows = [
        (
            m,
            role_forms.get(m.user_id) or role_form(m),
            can_change_member(current_user, group, m.user),
        )
        for m in members
    ]
    context = {
        "settings_form": GroupSettingsForm(obj=group, formdata=None),
        "cover_form": CoverForm(formdata=None),
        "add_form": MemberAddForm(formdata=None),
        "action_form": ActionForm(formdata=None),
        "invite_form": InvitationForm(formdata=None),
        "token_form": FeedTokenForm(formdata=None),
        "intro_form": JingleForm(prefix="intro", formdata=None),
        "outro_form": JingleForm(prefix="outro", formdata=None),
        **forms,
    }
    is_private = group.visibility == Visibility.PRIVATE
    if status is None and any(f.errors for f in [*forms.values(), *role_forms.values()]):
        status = 422
    return render_page(
        "groups/manage.html",
        status or 200,
        group=group,
        members=rows,
        visibility_hints=VISIBILITY_HINTS,
        invitations=pending_invitations(group),
        now=utcnow(),
        is_private=is_private,
        feed_tokens=list_tokens(group, current_user) if is_private else [],
        new_feed_url=new_feed_url,
        **context,
    )
