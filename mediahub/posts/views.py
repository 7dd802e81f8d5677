"""HTML views of the posts feature: writing and editing blog posts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request, url_for
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
from mediahub.web.actions import form_action
from mediahub.web.pages import render_page, show_error_or_stale

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
    outcome = form_action(
        form,
        lambda: services.create_post(group, current_user, _fields(form)),
        done=_l("Your post is saved as a draft."),
        to=_post_page,
    )
    return outcome.response or render_page(
        "posts/form.html", outcome.status, form=form, group=group, post=None
    )


def _post_page(post: Post) -> str:
    return url_for("review.show_item", kind="posts", item_id=post.id)


@bp.route("/posts/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(item_id: int) -> Any:
    """Change a post; a change someone else saved meanwhile is never overwritten unseen."""
    post = load_item(Post, item_id, current_user)
    require(policy.can_edit_item(current_user, post))
    form = PostForm(obj=post, **drafts.form_kwargs())
    outcome = form_action(
        form,
        lambda: services.update_post(
            post, current_user, _fields(form), expected_version=form.version.data
        ),
        done=_l("Your changes are saved."),
        to=lambda _: _post_page(post),
        on_error=lambda err: show_error_or_stale(form, err, post),
    )
    stale = outcome.error is not None and outcome.error.code == "stale"
    return outcome.response or render_page(
        "posts/form.html",
        outcome.status,
        form=form,
        group=post.group,
        post=post,
        saved=post if stale else None,
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
        "media.post_image", asset_id=asset.id, check=asset.rendition_sha256[:16], ext=ext
    )
