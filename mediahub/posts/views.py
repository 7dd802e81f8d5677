"""HTML views of the posts feature: writing and editing blog posts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..drafts import web as drafts
from ..errors import DomainError, require
from ..extensions import db
from ..groups.policy import can_create_items
from ..groups.services import load_group
from ..review import policy
from ..review.actions import register_item_views
from ..review.services import load_item
from ..web import render_page, show_error, show_stale
from . import services
from .forms import PostForm
from .models import Post

bp = Blueprint("posts", __name__)


def _fields(form: PostForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in services.EDITABLE}


@bp.route("/groups/<slug>/posts/new", methods=["GET", "POST"])
@login_required
def new_post(slug: str) -> Any:
    """Write a new blog post; it starts as a draft only its author sees."""
    group = load_group(slug, current_user)
    require(can_create_items(current_user, group))
    form = PostForm(**drafts.form_kwargs())
    status = None
    if form.validate_on_submit():
        try:
            post = services.create_post(group, current_user, _fields(form))
        except DomainError as err:
            status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("Your post is saved as a draft."), "success")
            return redirect(url_for("posts.show_post", item_id=post.id))
    return render_page("posts/form.html", status, form=form, group=group, post=None)


@bp.route("/posts/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(item_id: int) -> Any:
    """Change a post; a change someone else saved meanwhile is never overwritten unseen."""
    post = load_item(Post, item_id, current_user)
    require(policy.can_edit_item(current_user, post))
    form = PostForm(obj=post, **drafts.form_kwargs())
    status = saved = None
    if form.validate_on_submit():
        fields = _fields(form)
        try:
            services.update_post(post, current_user, fields, expected_version=form.version.data)
        except DomainError as err:
            if err.code == "stale":
                status, saved = show_stale(form, post), post
            else:
                status = show_error(form, err)
        else:
            db.session.commit()
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("posts.show_post", item_id=post.id))
    return render_page(
        "posts/form.html", status, form=form, group=post.group, post=post, saved=saved
    )


register_item_views(bp, Post, "posts")
