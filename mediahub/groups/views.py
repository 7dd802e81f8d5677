"""HTML views of the groups feature: the managers' page for settings,
cover art and members."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from mediahub.accounts.models import User
from mediahub.core.errors import DomainError, NotFound, require
from mediahub.core.extensions import db
from mediahub.core.labels import label
from mediahub.core.types import utcnow
from mediahub.groups import services
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
from mediahub.groups.models import Group, GroupRole, Membership, Visibility
from mediahub.groups.policy import can_change_member, can_manage_group
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page, show_error

bp = Blueprint("groups", __name__)


def _managed_group(slug: str) -> Group:
    group = services.load_group(slug, current_user)
    require(can_manage_group(current_user, group))
    return group


def _member(group: Group, user_id: int) -> Membership:
    person = db.session.get(User, user_id)
    row = services.membership(group, person) if person else None
    if row is None:
        raise NotFound(_l("This person is not a member of the group."))
    require(can_change_member(current_user, group, person))
    return row


def _role_form(row: Membership, posted: bool = False) -> MemberRoleForm:
    prefix = f"member-{row.user_id}"
    if posted:
        return MemberRoleForm(prefix=prefix)
    return MemberRoleForm(prefix=prefix, formdata=None, data={"role": row.role.value})


def _page(
    group: Group, status: int | None = None, *, new_feed_url: str | None = None, **forms: FlaskForm
) -> Any:
    """The manage page; ``forms`` replaces the blank form of the same name (with errors).

    ``new_feed_url`` is a just-created secret feed address, shown this once.
    """
    from mediahub.feeds.tokens import list_tokens

    members = sorted(group.memberships, key=lambda m: m.user.display_name.lower())
    role_forms = forms.pop("role_forms", {})
    rows = [
        (
            m,
            role_forms.get(m.user_id) or _role_form(m),
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


@bp.route("/groups/<slug>/manage", methods=["GET", "POST"])
@login_required
def manage_group(slug: str) -> Any:
    """The group's settings (POST saves them), cover art and members."""
    group = _managed_group(slug)
    form = GroupSettingsForm(obj=group)
    if not form.is_submitted():
        return _page(group)
    status = None
    if form.validate():
        fields = {name: getattr(form, name).data for name in GroupSettingsForm.FIELDS}
        try:
            services.update_group(group, fields, current_user)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The group settings are saved."), "success")
            return redirect(url_for("groups.manage_group", slug=group.slug))
    return _page(group, status, settings_form=form)


@bp.route("/groups/<slug>/cover", methods=["POST"])
@login_required
def upload_cover(slug: str) -> Any:
    """Store new cover art for the group's podcast and pages."""
    group = _managed_group(slug)
    form = CoverForm()
    status = None
    if form.validate_on_submit():
        try:
            services.set_cover(group, form.file.data.stream, actor=current_user)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("The new cover image is saved."), "success")
            return redirect(url_for("groups.manage_group", slug=group.slug))
    return _page(group, status, cover_form=form)


@bp.route("/groups/<slug>/members", methods=["POST"])
@login_required
def add_member(slug: str) -> Any:
    """Add a person with an account to the group (or give a member a new role)."""
    group = _managed_group(slug)
    form = MemberAddForm()
    status = None
    if form.validate_on_submit():
        try:
            row = services.set_member(group, form.email.data or "", form.role.data)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(
                _l(
                    "%(name)s belongs to the group now, as: %(role)s.",
                    name=row.user.display_name,
                    role=label(row.role),
                ),
                "success",
            )
            return redirect(url_for("groups.manage_group", slug=group.slug))
    return _page(group, status, add_form=form)


@bp.route("/groups/<slug>/members/<int:user_id>/role", methods=["POST"])
@login_required
def change_member_role(slug: str, user_id: int) -> Any:
    """Make a member an editor or manager, or back."""
    group = _managed_group(slug)
    row = _member(group, user_id)
    form = _role_form(row, posted=True)
    status = None
    if form.validate_on_submit():
        try:
            services.set_member(group, row.user.email, form.role.data)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(
                _l(
                    "The role of %(name)s is now: %(role)s.",
                    name=row.user.display_name,
                    role=label(GroupRole(form.role.data)),
                ),
                "success",
            )
            return redirect(url_for("groups.manage_group", slug=group.slug))
    return _page(group, status, role_forms={user_id: form})


@bp.route("/groups/<slug>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, user_id: int) -> Any:
    """Take a person out of the group (their episodes and posts stay)."""
    group = _managed_group(slug)
    row = _member(group, user_id)
    name = row.user.display_name
    if ActionForm().validate_on_submit():
        services.remove_member(group, row.user)
        db.session.commit()
        flash(_l("%(name)s is no longer a member of the group.", name=name), "success")
    return redirect(url_for("groups.manage_group", slug=group.slug))


@bp.route("/groups/<slug>/<any(intro, outro):which>", methods=["POST"])
@login_required
def upload_jingle(slug: str, which: str) -> Any:
    """Store the clip joined before (intro) or after (outro) every new episode."""
    group = _managed_group(slug)
    form = JingleForm(prefix=which)
    status = None
    if form.validate_on_submit():
        try:
            services.set_jingle(group, which, form.file.data.stream, actor=current_user)
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_JINGLE_SAVED[which], "success")
            return redirect(url_for("groups.manage_group", slug=group.slug))
    return _page(group, status, **{f"{which}_form": form})


@bp.route("/groups/<slug>/<any(intro, outro):which>/remove", methods=["POST"])
@login_required
def remove_jingle(slug: str, which: str) -> Any:
    """Stop joining the clip to new episodes (published ones keep their sound)."""
    group = _managed_group(slug)
    if ActionForm().validate_on_submit():
        services.set_jingle(group, which, None, actor=current_user)
        db.session.commit()
        flash(_JINGLE_REMOVED[which], "success")
    return redirect(url_for("groups.manage_group", slug=group.slug))


_JINGLE_SAVED = {
    "intro": _l("The intro is saved. It will be joined to episodes processed from now on."),
    "outro": _l("The outro is saved. It will be joined to episodes processed from now on."),
}
_JINGLE_REMOVED = {
    "intro": _l("The intro is removed. New episodes start without it."),
    "outro": _l("The outro is removed. New episodes end without it."),
}

# The invitation and feed address pages add their routes to this blueprint.
from mediahub.groups import feed_token_views, invitation_views  # noqa: E402, F401
