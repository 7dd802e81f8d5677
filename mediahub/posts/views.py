"""HTML views of the posts feature: writing and editing blog posts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from mediahub.core import outbound
from mediahub.core.errors import DomainError, InvalidInput, require
from mediahub.core.extensions import db
from mediahub.drafts import web as drafts
from mediahub.groups.policy import can_create_items
from mediahub.groups.services import load_group
from mediahub.media import images
from mediahub.posts import services
from mediahub.posts.forms import PostForm
from mediahub.posts.models import Post
from mediahub.review import policy
from mediahub.review.services import load_item
from mediahub.web.pages import render_page, show_error, show_stale

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
            flash(_l("Your post is saved as a draft."), "success")
            return redirect(url_for("review.show_item", kind="posts", item_id=post.id))
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
            flash(_l("Your changes are saved."), "success")
            return redirect(url_for("review.show_item", kind="posts", item_id=post.id))
    return render_page(
        "posts/form.html", status, form=form, group=post.group, post=post, saved=saved
    )


PREVIEW_MAX = 200_000


@bp.route("/posts/preview", methods=["POST"])
@login_required
def preview() -> Any:
    """The text as it will look (Markdown, sanitised), for the editor's preview."""
    body = request.form.get("body", "")[:PREVIEW_MAX]
    resp = jsonify({"html": str(outbound.html(body))})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/groups/<slug>/posts/images", methods=["POST"])
@login_required
def upload_image(slug: str) -> Any:
    """Store a picture for a post; answers with its URL and the Markdown to insert."""
    group = load_group(slug, current_user)
    require(can_create_items(current_user, group))
    alt = " ".join(request.form.get("alt", "").split())[:200]
    upload = request.files.get("file")
    try:
        if not alt:
            raise InvalidInput(
                _l("Please describe the picture in a few words for people who cannot see it."),
                field="alt",
            )
        if upload is None or not upload.filename:
            raise InvalidInput(_l("Please choose a picture."), field="file")
        asset = images.store_post_image(upload.stream, uploader=current_user, group=group)
    except DomainError as err:
        db.session.rollback()
        resp = jsonify(
            {"error": {"code": err.code, "message": str(err.message), "field": err.field}}
        )
        return resp, 422 if err.field else err.status
    url = post_image_url(asset)
    safe_alt = alt.replace("[", "(").replace("]", ")")
    return jsonify({"url": url, "alt": alt, "markdown": f"![{safe_alt}]({url})"}), 201


def post_image_url(asset: Any) -> str:
    ext = "png" if asset.content_type == "image/png" else "jpg"
    return url_for(
        "media.post_image", asset_id=asset.id, token=asset.rendition_sha256[:16], ext=ext
    )
