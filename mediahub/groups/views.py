"""HTML views of the groups feature: the managers' page for settings,
cover art and members."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import DomainError
from mediahub.core.extensions import db
from mediahub.core.labels import label
from mediahub.groups import services
from mediahub.groups.blueprint import bp, manage_page, managed_group, member_row, role_form
from mediahub.groups.forms import (
    CoverForm,
    GroupSettingsForm,
    JingleForm,
    MemberAddForm,
)
from mediahub.groups.models import GroupRole
from mediahub.web.forms import ActionForm
from mediahub.web.pages import show_error


@bp.route("/groups/<slug>/manage", methods=["GET", "POST"])
@login_required
def manage_group(slug: str) -> Any:
    """The group's settings (POST saves them), cover art and members."""
    group = managed_group(slug)
    form = GroupSettingsForm(obj=group)
    if not form.is_submitted():
        return manage_page(group)
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
    return manage_page(group, status, settings_form=form)


@bp.route("/groups/<slug>/cover", methods=["POST"])
@login_required
def upload_cover(slug: str) -> Any:
    """Store new cover art for the group's podcast and pages."""
    group = managed_group(slug)
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
    return manage_page(group, status, cover_form=form)


@bp.route("/groups/<slug>/members", methods=["POST"])
@login_required
def add_member(slug: str) -> Any:
    """Add a person with an account to the group (or give a member a new role)."""
    group = managed_group(slug)
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
    return manage_page(group, status, add_form=form)


@bp.route("/groups/<slug>/members/<int:user_id>/role", methods=["POST"])
@login_required
def change_member_role(slug: str, user_id: int) -> Any:
    """Make a member an editor or manager, or back."""
    group = managed_group(slug)
    row = member_row(group, user_id)
    form = role_form(row, posted=True)
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
    return manage_page(group, status, role_forms={user_id: form})


@bp.route("/groups/<slug>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, user_id: int) -> Any:
    """Take a person out of the group (their episodes and posts stay)."""
    group = managed_group(slug)
    row = member_row(group, user_id)
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
    group = managed_group(slug)
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
    return manage_page(group, status, **{f"{which}_form": form})


@bp.route("/groups/<slug>/<any(intro, outro):which>/remove", methods=["POST"])
@login_required
def remove_jingle(slug: str, which: str) -> Any:
    """Stop joining the clip to new episodes (published ones keep their sound)."""
    group = managed_group(slug)
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
