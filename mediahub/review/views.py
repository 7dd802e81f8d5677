"""HTML views of the review feature: the personal dashboard, the editors'
queue, the page where an editor reads or listens and decides, and each
item's own page with its buttons (submit, take offline, delete).

The item views serve every registered kind: the kind comes from the
address (``/episodes/7``, ``/posts/3``) through the ``item_kind`` converter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.routing import BaseConverter, ValidationError

from mediahub.accounts.models import User
from mediahub.core.errors import DomainError, require
from mediahub.core.extensions import db
from mediahub.groups.policy import can_manage_group, is_reviewer, reviews_anywhere
from mediahub.review import policy, services
from mediahub.review.forms import DECISION_FORMS, UnpublishForm, decision_forms
from mediahub.review.kinds import ItemKind, Reviewable, kind_by_collection, kind_of
from mediahub.review.workflow import ItemState, ReviewAction, allowed
from mediahub.web.actions import Outcome, button_action
from mediahub.web.forms import ActionForm
from mediahub.web.pages import render_page, show_error, status_for

bp = Blueprint("review", __name__)

#: Item states whose last editor comment the author should read on the dashboard.
_COMMENTED = {ItemState.CHANGES_REQUESTED, ItemState.REJECTED}
_DONE = {
    "approve": _l("Approved and published. Thank you for reviewing!"),
    "request_changes": _l("The author has been asked for changes."),
    "reject": _l("The item has been declined. The author can see your reason."),
}


class ItemKindConverter(BaseConverter):
    """``<item_kind:kind>``: a registered kind's collection ("episodes") in the
    address, the :class:`ItemKind` in the view; anything else does not match."""

    regex = "[a-z]+"

    def to_python(self, value: str) -> ItemKind:
        try:
            return kind_by_collection(value)
        except LookupError:
            raise ValidationError from None

    def to_url(self, value: Any) -> str:
        return value.collection if isinstance(value, ItemKind) else str(value)


def item_context(item: Reviewable, user: User | None) -> dict[str, Any]:
    """What the item's pages show around its content."""
    kind = kind_of(item)
    latest = services.latest_decision(item)
    return {
        "item": item,
        "kind": kind,
        "noun": kind.name,
        "actions": policy.actions_for(user, item),
        "history": services.history(item) if policy.can_see_history(user, item) else [],
        "editor_comment": latest.comment
        if latest and latest.comment and item.status != ItemState.IN_REVIEW
        else None,
        "action_form": ActionForm(formdata=None),
        "unpublish_form": UnpublishForm(formdata=None),
        "public_url": url_for(kind.public_endpoint, slug=item.group.slug, item_id=item.id),
        **kind.extra_context(item),
    }


def _item_page(item: Reviewable) -> str:
    return url_for("review.show_item", kind=kind_of(item), item_id=item.id)


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
    waiting = services.review_queue_size(user) if reviews_anywhere(user) else None
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
    """Items waiting for a decision by the current person."""
    return render_page("review/queue.html", items=services.review_queue(current_user))


@bp.route("/review/<item_kind:kind>/<int:item_id>", methods=["GET", "POST"])
@login_required
def review_item(kind: ItemKind, item_id: int) -> Any:
    """Read or listen, then approve (now or later), ask for changes or decline."""
    user = current_user
    item = services.load_item(kind.model, item_id, user)
    require(is_reviewer(user, item.group))
    posted = request.form.get("decision") if request.method == "POST" else None
    if request.method == "POST" and posted not in DECISION_FORMS:
        abort(400)
    forms = decision_forms(posted)
    outcome = _decide(item, user, posted, forms[posted]) if posted else Outcome()
    if outcome.response is not None:
        return outcome.response
    return render_page(
        "review/review_item.html",
        outcome.status or status_for(*forms.values()),
        forms=forms,
        can_decide=policy.can_review(user, item) and allowed(item.status, ReviewAction.APPROVE),
        is_own=policy.is_author(user, item),
        collection=kind.collection,
        # A resubmitted item: what changed since the last decision on it.
        changes=services.changes_since_review(item) if item.status == ItemState.IN_REVIEW else None,
        **item_context(item, user),
    )


def _decide(item: Reviewable, user: User, posted: str, form: Any) -> Outcome:
    # Authors cannot decide on their own items (hub admins can, recorded).
    require(policy.can_review(user, item))
    if not form.validate_on_submit():
        return Outcome()
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
        return Outcome(status=status)
    flash(_done_message(posted, publish_at), "success")
    return Outcome(response=redirect(url_for("review.queue")))


def _done_message(posted: str, publish_at: dt.datetime | None) -> Any:
    if posted == "schedule":
        return _l("Approved. It will be published on %(when)s.", when=format_datetime(publish_at))
    return _DONE[posted]


@bp.route("/<item_kind:kind>/<int:item_id>")
@login_required
def show_item(kind: ItemKind, item_id: int) -> Any:
    """The item's own page for its author and the group's editors."""
    item = services.load_item(kind.model, item_id, current_user)
    if not policy.can_see_history(current_user, item):
        # Visible (so it is published) but not theirs: the public page.
        return redirect(url_for(kind.public_endpoint, slug=item.group.slug, item_id=item.id))
    return render_page(kind.template, **item_context(item, current_user))


@bp.route("/<item_kind:kind>/<int:item_id>/submit", methods=["POST"])
@login_required
def submit_item(kind: ItemKind, item_id: int) -> Any:
    """Send the item to the group's editors."""
    item = services.load_item(kind.model, item_id, current_user)
    require(policy.can_submit(current_user, item))
    return button_action(
        ActionForm(),
        lambda: services.submit(item, current_user),
        done=kind.messages["submitted"],
        to=_item_page(item),
    )


@bp.route("/<item_kind:kind>/<int:item_id>/withdraw", methods=["POST"])
@login_required
def withdraw_item(kind: ItemKind, item_id: int) -> Any:
    """Take the item back from the editors: a draft again, to change it."""
    item = services.load_item(kind.model, item_id, current_user)
    require(policy.can_withdraw(current_user, item))
    return button_action(
        ActionForm(),
        lambda: services.withdraw(item, current_user),
        done=kind.messages["withdrawn"],
        to=_item_page(item),
    )


@bp.route("/<item_kind:kind>/<int:item_id>/unpublish", methods=["POST"])
@login_required
def unpublish_item(kind: ItemKind, item_id: int) -> Any:
    """Take a published or scheduled item offline, with an optional reason."""
    item = services.load_item(kind.model, item_id, current_user)
    require(policy.can_unpublish(current_user, item))
    form = UnpublishForm()
    return button_action(
        form,
        lambda: services.unpublish(item, current_user, comment=form.comment.data or ""),
        done=kind.messages["unpublished"],
        to=_item_page(item),
    )


@bp.route("/<item_kind:kind>/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete_item(kind: ItemKind, item_id: int) -> Any:
    """Ask once more, then delete an item that is not online."""
    item = services.load_item(kind.model, item_id, current_user)
    require(policy.can_delete(current_user, item))
    form = ActionForm()
    if form.validate_on_submit():
        page = _item_page(item)
        try:
            services.delete(item, current_user)
        except DomainError as err:
            db.session.rollback()
            flash(str(err.message), "error")
            return redirect(page)
        flash(kind.messages["deleted"], "success")
        return redirect(url_for("review.dashboard"))
    return render_page(
        "review/confirm_delete.html",
        422 if form.errors else 200,
        item=item,
        kind=kind,
        noun=kind.name,
        form=form,
        is_deletable=allowed(item.status, ReviewAction.DELETE),
    )
