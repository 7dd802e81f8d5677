"""Secret feed addresses of a private group on its manage page: create one
(shown once), see which exist, revoke one after asking."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import DomainError
from mediahub.groups import feed_tokens as tokens
from mediahub.groups.blueprint import bp, manage_page, managed_group
from mediahub.groups.forms import FeedTokenForm
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page, show_error

#: Where the new secret address waits, in the manager's own signed session
#: cookie, between the POST that made it and the page that shows it once.
_NEW_FEED_URL = "new_feed_url"


@bp.route("/groups/<slug>/feed-tokens", methods=["POST"])
@login_required
def create_feed_token(slug: str) -> Any:
    """Make a listener's secret feed address, then show it once on the manage
    page reached by redirect (post/redirect/get): reloading that page makes
    no second address."""
    group = managed_group(slug)
    form = FeedTokenForm()
    status = None
    if form.validate_on_submit():
        try:
            _row, url = tokens.create_token(group, current_user, label=form.label.data or "")
        except DomainError as err:
            status = show_error(form, err)
        else:
            session[_NEW_FEED_URL] = {"slug": group.slug, "url": url}
            flash(_l("The new secret address is ready. Copy it now."), "success")
            target = url_for("groups.manage_group", slug=group.slug, _anchor="new-feed-h")
            return redirect(target, code=303)
    return manage_page(group, status, token_form=form)


def take_new_feed_url(slug: str) -> str | None:
    """The secret address just made for this group, once: it leaves the session."""
    waiting = session.get(_NEW_FEED_URL)
    if not isinstance(waiting, dict) or waiting.get("slug") != slug:
        return None
    session.pop(_NEW_FEED_URL, None)
    url = waiting.get("url")
    return url if isinstance(url, str) else None


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
