"""Invitations on the manage page (invite, resend, withdraw) and the page
the emailed link opens (set a name and password, or log in, then join)."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user

from mediahub.accounts import services as accounts
from mediahub.core.errors import DomainError
from mediahub.core.labels import label
from mediahub.groups import invitations
from mediahub.groups.blueprint import bp, manage_page, managed_group
from mediahub.groups.forms import AcceptInvitationForm, InvitationForm
from mediahub.groups.models import Group, Invitation
from mediahub.web.actions import button_action, form_action
from mediahub.web.forms import ActionForm
from mediahub.web.guessing import secret_lookup
from mediahub.web.pages import render_page, show_error


@bp.route("/groups/<slug>/invitations", methods=["POST"])
@login_required
def invite(slug: str) -> Any:
    """Invite someone by email; the link goes out in the background."""
    group = managed_group(slug)
    form = InvitationForm()
    outcome = form_action(
        form,
        lambda: invitations.invite(
            group, form.email.data or "", form.role.data, actor=current_user
        ),
        done=lambda row: _l("The invitation to %(email)s is on its way.", email=row.email),
        to=lambda _: _invitations_of(group),
    )
    return outcome.response or manage_page(group, outcome.status, invite_form=form)


def _invitations_of(group: Group) -> str:
    return url_for("groups.manage_group", slug=group.slug, _anchor="invite-h")


def _invitation_button(slug: str, invitation_id: int, action: Any, message: Any) -> Any:
    group = managed_group(slug)
    row = invitations.load_invitation(group, invitation_id)
    return button_action(
        ActionForm(),
        lambda: action(row),
        done=message(row.email),
        to=_invitations_of(group),
        expired=None,
    )


@bp.route("/groups/<slug>/invitations/<int:invitation_id>/resend", methods=["POST"])
@login_required
def resend_invitation(slug: str, invitation_id: int) -> Any:
    """Mail a new link (the old one stops working) valid for another week."""
    return _invitation_button(
        slug,
        invitation_id,
        invitations.resend,
        lambda email: _l("A new invitation link goes to %(email)s.", email=email),
    )


@bp.route("/groups/<slug>/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@login_required
def withdraw_invitation(slug: str, invitation_id: int) -> Any:
    """Take an invitation back: its link stops working."""
    return _invitation_button(
        slug,
        invitation_id,
        invitations.withdraw,
        lambda email: _l("The invitation to %(email)s is withdrawn.", email=email),
    )


def _joined(row: Invitation) -> Any:
    flash(
        _l(
            "Welcome to the group “%(group)s”! Your role: %(role)s.",
            group=row.group.name,
            role=label(row.role),
        ),
        "success",
    )
    return redirect(url_for("review.dashboard"))


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
@secret_lookup
def accept_invitation(secret: str) -> Any:
    """The emailed link: join the group, with a new account if need be."""
    row = invitations.invitation_for_secret(secret)
    has_account = invitations.new_account_email_taken(row)
    if current_user.is_authenticated:
        form = ActionForm()
        if form.validate_on_submit():
            invitations.accept(row, current_user)
            return _joined(row)
        return _render(row, form, has_account)
    if has_account:
        # Their own account: log in first, then come back here.
        return _render(row, None, has_account)
    form = AcceptInvitationForm()
    status = None
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                row.email, form.display_name.data or "", form.password.data or ""
            )
            invitations.accept(row, user)
            accounts.start_login_session(user, remember=False)
        except DomainError as err:
            status = show_error(form, err)
        else:
            session.clear()
            login_user(user)
            return _joined(row)
    return _render(row, form, has_account, status)


def _render(row: Invitation, form: Any, has_account: bool, status: int | None = None) -> Any:
    page, code = render_page(
        "groups/invitation.html", status, invitation=row, form=form, has_account=has_account
    )
    resp = make_response(page, code)
    # The address holds the secret: keep it out of caches and Referer headers.
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp
