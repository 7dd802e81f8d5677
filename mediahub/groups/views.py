"""HTML views of the groups feature: the managers' page for settings,
cover art and members."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.labels import label
from mediahub.groups import services
from mediahub.groups.blueprint import bp, manage_page, managed_group, member_row, role_form
from mediahub.groups.feed_token_views import take_new_feed_url
from mediahub.groups.forms import (
    CoverForm,
    GroupSettingsForm,
    JingleForm,
    MemberAddForm,
)
from mediahub.groups.models import Group
from mediahub.web.actions import form_action
from mediahub.web.forms import ActionForm


def _manage(group: Group) -> str:
    return url_for("groups.manage_group", slug=group.slug)


def _settings(form: GroupSettingsForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in GroupSettingsForm.FIELDS}


@bp.route("/groups/<slug>/manage", methods=["GET", "POST"])
@login_required
def manage_group(slug: str) -> Any:
    """The group's settings (POST saves them), cover art and members."""
    group = managed_group(slug)
    form = GroupSettingsForm(obj=group)
    if not form.is_submitted():
        new_feed_url = take_new_feed_url(group.slug)
        if new_feed_url is None:
            return manage_page(group)
        resp = make_response(manage_page(group, new_feed_url=new_feed_url))
        # The secret is in this page only: never keep it in a cache.
        resp.headers["Cache-Control"] = "no-store"
        return resp
    outcome = form_action(
        form,
        lambda: services.update_group(group, _settings(form), current_user),
        done=_l("The group settings are saved."),
        to=lambda _: _manage(group),
    )
    return outcome.response or manage_page(group, outcome.status, settings_form=form)


@bp.route("/groups/<slug>/cover", methods=["POST"])
@login_required
def upload_cover(slug: str) -> Any:
    """Store new cover art for the group's podcast and pages."""
    group = managed_group(slug)
    form = CoverForm()
    outcome = form_action(
        form,
        lambda: services.set_cover(group, form.file.data.stream, actor=current_user),
        done=_l("The new cover image is saved."),
        to=lambda _: _manage(group),
    )
    return outcome.response or manage_page(group, outcome.status, cover_form=form)


@bp.route("/groups/<slug>/members", methods=["POST"])
@login_required
def add_member(slug: str) -> Any:
    """Add a person with an account to the group (or give a member a new role)."""
    group = managed_group(slug)
    form = MemberAddForm()
    outcome = form_action(
        form,
        lambda: services.set_member(group, form.email.data or "", form.role.data),
        done=lambda row: _l(
            "%(name)s belongs to the group now, as: %(role)s.",
            name=row.user.display_name,
            role=label(row.role),
        ),
        to=lambda _: _manage(group),
    )
    return outcome.response or manage_page(group, outcome.status, add_form=form)


@bp.route("/groups/<slug>/members/<int:user_id>/role", methods=["POST"])
@login_required
def change_member_role(slug: str, user_id: int) -> Any:
    """Make a member an editor or manager, or back."""
    group = managed_group(slug)
    row = member_row(group, user_id)
    form = role_form(row, posted=True)
    outcome = form_action(
        form,
        lambda: services.set_member(group, row.user.email, form.role.data),
        done=lambda changed: _l(
            "The role of %(name)s is now: %(role)s.",
            name=changed.user.display_name,
            role=label(changed.role),
        ),
        to=lambda _: _manage(group),
    )
    return outcome.response or manage_page(group, outcome.status, role_forms={user_id: form})


@bp.route("/groups/<slug>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, user_id: int) -> Any:
    """Take a person out of the group (their episodes and posts stay)."""
    group = managed_group(slug)
    row = member_row(group, user_id)
    name = row.user.display_name
    if ActionForm().validate_on_submit():
        services.remove_member(group, row.user)
        flash(_l("%(name)s is no longer a member of the group.", name=name), "success")
    return redirect(_manage(group))


@bp.route("/groups/<slug>/<any(intro, outro):which>", methods=["POST"])
@login_required
def upload_jingle(slug: str, which: str) -> Any:
    """Store the clip joined before (intro) or after (outro) every new episode."""
    group = managed_group(slug)
    form = JingleForm(prefix=which)
    outcome = form_action(
        form,
        lambda: services.set_jingle(group, which, form.file.data.stream, actor=current_user),
        done=_JINGLE_SAVED[which],
        to=lambda _: _manage(group),
    )
    return outcome.response or manage_page(group, outcome.status, **{f"{which}_form": form})


@bp.route("/groups/<slug>/<any(intro, outro):which>/remove", methods=["POST"])
@login_required
def remove_jingle(slug: str, which: str) -> Any:
    """Stop joining the clip to new episodes (published ones keep their sound)."""
    group = managed_group(slug)
    if ActionForm().validate_on_submit():
        services.set_jingle(group, which, None, actor=current_user)
        flash(_JINGLE_REMOVED[which], "success")
    return redirect(_manage(group))


_JINGLE_SAVED = {
    "intro": _l("The intro is saved. It will be joined to episodes processed from now on."),
    "outro": _l("The outro is saved. It will be joined to episodes processed from now on."),
}
_JINGLE_REMOVED = {
    "intro": _l("The intro is removed. New episodes start without it."),
    "outro": _l("The outro is removed. New episodes end without it."),
}
