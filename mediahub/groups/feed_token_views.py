"""Secret feed addresses of a private group on its manage page: create one
(shown once), see which exist, revoke one after asking."""

from __future__ import annotations

from typing import Any

from flask import flash, make_response, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import DomainError
from mediahub.groups import feed_tokens as tokens
from mediahub.groups.blueprint import bp, manage_page, managed_group
from mediahub.groups.forms import FeedTokenForm
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page, show_error


@bp.route("/groups/<slug>/feed-tokens", methods=["POST"])
@login_required
def create_feed_token(slug: str) -> Any:
    """Make a listener's secret feed address and show it this one time."""
    group = managed_group(slug)
    form = FeedTokenForm()
    status = None
    if form.validate_on_submit():
        try:
            _row, url = tokens.create_token(group, current_user, label=form.label.data or "")
        except DomainError as err:
            status = show_error(form, err)
        else:
            resp = make_response(manage_page(group, 200, new_feed_url=url))
            # The secret is in this page only: never keep it in a cache.
            resp.headers["Cache-Control"] = "no-store"
            return resp
    return manage_page(group, status, token_form=form)


@bp.route("/groups/<slug>/feed-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_feed_token(slug: str, token_id: int) -> Any:
    """Ask once more, then revoke: the address stops working at once."""
    group = managed_group(slug)
    row = tokens.load_token(group, token_id, current_user)
    form = ActionForm()
    if form.validate_on_submit():
        name = row.label
        tokens.revoke_token(row)
        flash(_l("The feed address “%(label)s” no longer works.", label=name), "success")
        return redirect(url_for("groups.manage_group", slug=group.slug, _anchor="feeds-h"))
    return render_page("groups/revoke_token.html", group=group, token=row, form=form)
