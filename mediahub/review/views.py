"""HTML views of the review feature: the personal dashboard, the editors'
queue and the page where an editor reads or listens and decides."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import DomainError, require
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.policy import can_manage_group, is_reviewer, reviews_anywhere
from mediahub.posts.models import Post
from mediahub.review import policy, services
from mediahub.review.actions import item_context
from mediahub.review.forms import DECISION_FORMS, decision_forms
from mediahub.review.workflow import ItemState, ReviewAction, allowed
from mediahub.web.pages import render_page, show_error, status_for

bp = Blueprint("review", __name__)

_CLASSES = {"episodes": Episode, "posts": Post}
#: Item states whose last editor comment the author should read on the dashboard.
_COMMENTED = {ItemState.CHANGES_REQUESTED, ItemState.REJECTED}
_DONE = {
    "approve": _l("Approved and published. Thank you for reviewing!"),
    "request_changes": _l("The author has been asked for changes."),
    "reject": _l("The item has been declined. The author can see your reason."),
}


@bp.route("/my")
@login_required
def dashboard() -> Any:
    """My page: my groups and roles, my episodes and posts and what editors said."""
    user = current_user
    items = services.items_by_author(user)
    comments = {}
    for item in items:
        if item.status in _COMMENTED:
            event = services.latest_decision(item)
            if event and event.comment:
                comments[(item.item_type, item.id)] = event.comment
    memberships = sorted(user.memberships, key=lambda m: m.group.name.lower())
    waiting = len(services.review_queue(user)) if reviews_anywhere(user) else None
    return render_page(
        "review/dashboard.html",
        memberships=memberships,
        items=items,
        comments=comments,
        waiting=waiting,
        can_manage_group=can_manage_group,
    )


@bp.route("/review")
@login_required
def queue() -> Any:
    """Episodes and posts waiting for a decision by the current person."""
    return render_page("review/queue.html", items=services.review_queue(current_user))


@bp.route("/review/<any(episodes, posts):collection>/<int:item_id>", methods=["GET", "POST"])
@login_required
def review_item(collection: str, item_id: int) -> Any:
    """Read or listen, then approve (now or later), ask for changes or decline."""
    user = current_user
    item = services.load_item(_CLASSES[collection], item_id, user)
    require(is_reviewer(user, item.group))
    posted = request.form.get("decision") if request.method == "POST" else None
    if request.method == "POST" and posted not in DECISION_FORMS:
        abort(400)
    forms = decision_forms(posted)
    status = None
    if posted:
        # Authors cannot decide on their own items (hub admins can, recorded).
        require(policy.can_review(user, item))
        form = forms[posted]
        if form.validate_on_submit():
            publish_at = form.publish_at() if posted == "schedule" else None
            decision = ReviewAction.APPROVE if posted == "schedule" else posted
            try:
                services.decide(
                    item, user, decision, comment=form.comment.data or "", publish_at=publish_at
                )
            except DomainError as err:
                status = show_error(form, err, {"publish_at": "publish_time"})
                if not allowed(item.status, ReviewAction.APPROVE):
                    # Decided by someone else meanwhile: the forms are gone, say why.
                    flash(str(err.message), "error")
            else:
                db.session.commit()
                flash(_done_message(posted, publish_at), "success")
                return redirect(url_for("review.queue"))
    return render_page(
        "review/review_item.html",
        status or status_for(*forms.values()),
        forms=forms,
        can_decide=policy.can_review(user, item) and allowed(item.status, ReviewAction.APPROVE),
        is_own=policy.is_author(user, item),
        collection=collection,
        **item_context(item, user),
    )


def _done_message(posted: str, publish_at: Any) -> Any:
    if posted == "schedule":
        return _l("Approved. It will be published on %(when)s.", when=format_datetime(publish_at))
    return _DONE[posted]
