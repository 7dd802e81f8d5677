"""HTML pages and buttons that episodes and posts share: the item's own page
(state, editors' comments, history) and submit, delete, unpublish.

``register_item_views`` adds them to the episodes and posts blueprints, the
web counterpart of ``review.api.register_workflow_routes``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core.errors import DomainError, require
from mediahub.core.extensions import db
from mediahub.review import policy, services
from mediahub.review.forms import UnpublishForm
from mediahub.review.workflow import ItemState, ReviewAction, allowed
from mediahub.web.forms import ActionForm

#: What people are told after an action, per item type (German needs the gender).
MESSAGES: dict[str, dict[str, Any]] = {
    "episode": {
        "submitted": _l("Thank you! The episode is now with the editors."),
        "deleted": _l("The episode has been deleted."),
        "unpublished": _l("The episode is offline now."),
    },
    "post": {
        "submitted": _l("Thank you! The post is now with the editors."),
        "deleted": _l("The post has been deleted."),
        "unpublished": _l("The post is offline now."),
    },
}


def item_context(item: Any, user: Any) -> dict[str, Any]:
    """What the item's pages show around its content."""
    latest = services.latest_decision(item)
    return {
        "item": item,
        "noun": item.item_type,
        "actions": policy.actions_for(user, item),
        "history": services.history(item) if policy.can_see_history(user, item) else [],
        "editor_comment": latest.comment
        if latest and latest.comment and item.status != ItemState.IN_REVIEW
        else None,
        "action_form": ActionForm(formdata=None),
        "unpublish_form": UnpublishForm(formdata=None),
        "public_url": url_for(f"site.{item.item_type}_page", slug=item.group.slug, item_id=item.id),
    }


def register_item_views(bp: Blueprint, cls: Any, collection: str) -> None:
    """Add the item page, submit, delete and unpublish for ``cls`` to ``bp``."""
    noun = cls.item_type
    messages = MESSAGES[noun]

    def page(item: Any) -> Any:
        return redirect(url_for(f"{bp.name}.show_{noun}", item_id=item.id))

    def act(item: Any, form: Any, action: Any, done: str) -> Any:
        if not form.validate_on_submit():
            flash(_l("Please try again: the form had expired."), "error")
            return page(item)
        try:
            action()
        except DomainError as err:
            db.session.rollback()
            flash(str(err.message), "error")
            return page(item)
        db.session.commit()
        flash(messages[done], "success")
        return page(item)

    @bp.route(f"/{collection}/<int:item_id>", endpoint=f"show_{noun}")
    @login_required
    def show(item_id: int) -> Any:
        """The item's own page for its author and the group's editors."""
        item = services.load_item(cls, item_id, current_user)
        if not policy.can_see_history(current_user, item):
            # Visible (so it is published) but not theirs: the public page.
            return redirect(url_for(f"site.{noun}_page", slug=item.group.slug, item_id=item.id))
        return render_template(f"{collection}/detail.html", **item_context(item, current_user))

    @bp.route(f"/{collection}/<int:item_id>/submit", methods=["POST"], endpoint=f"submit_{noun}")
    @login_required
    def submit(item_id: int) -> Any:
        """Send the item to the group's editors."""
        item = services.load_item(cls, item_id, current_user)
        require(policy.can_submit(current_user, item))
        return act(item, ActionForm(), lambda: services.submit(item, current_user), "submitted")

    @bp.route(
        f"/{collection}/<int:item_id>/unpublish", methods=["POST"], endpoint=f"unpublish_{noun}"
    )
    @login_required
    def unpublish(item_id: int) -> Any:
        """Take a published or scheduled item offline, with an optional reason."""
        item = services.load_item(cls, item_id, current_user)
        require(policy.can_unpublish(current_user, item))
        form = UnpublishForm()
        return act(
            item,
            form,
            lambda: services.unpublish(item, current_user, comment=form.comment.data or ""),
            "unpublished",
        )

    @bp.route(
        f"/{collection}/<int:item_id>/delete", methods=["GET", "POST"], endpoint=f"delete_{noun}"
    )
    @login_required
    def delete(item_id: int) -> Any:
        """Ask once more, then delete an item that is not online."""
        item = services.load_item(cls, item_id, current_user)
        require(policy.can_delete(current_user, item))
        form = ActionForm()
        if form.validate_on_submit():
            try:
                services.delete(item, current_user)
            except DomainError as err:
                db.session.rollback()
                flash(str(err.message), "error")
                return page(item)
            db.session.commit()
            flash(messages["deleted"], "success")
            return redirect(url_for("review.dashboard"))
        return render_template(
            "review/confirm_delete.html",
            item=item,
            noun=noun,
            form=form,
            is_deletable=allowed(item.status, ReviewAction.DELETE),
        ), 422 if form.errors else 200
