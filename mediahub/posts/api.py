"""JSON API for blog posts."""

from __future__ import annotations

from typing import Any

from mediahub.accounts.identity import api_caller
from mediahub.api.blueprint import api_blueprint, public, require_user
from mediahub.api.paging import SelectPage
from mediahub.core.errors import require
from mediahub.groups.api import load_group
from mediahub.groups.policy import can_create_items
from mediahub.posts import services
from mediahub.posts.kind import POST
from mediahub.posts.models import Post
from mediahub.posts.schemas import PostCreateSchema, PostSchema, PostUpdateSchema
from mediahub.review import api as workflow
from mediahub.review import policy
from mediahub.review import services as review
from mediahub.review.schemas import CommentSchema, DecisionSchema, EventSchema
from mediahub.review.services import load_item

blp = api_blueprint("posts_api", __name__, "Blog posts")


@blp.route("/groups/<slug>/posts")
@blp.response(200, PostSchema(many=True))
@blp.paginate(SelectPage)
@public
def list_posts(slug: str) -> Any:
    """A group's posts: published ones for everybody, plus the caller's own and,
    for editors, all others."""
    user = api_caller()
    group = load_group(slug, user)
    return review.group_items(Post, group, user)


@blp.route("/groups/<slug>/posts", methods=["POST"])
@blp.arguments(PostCreateSchema)
@blp.response(201, PostSchema)
def create_post(args: dict[str, Any], slug: str) -> Any:
    """Create a draft blog post."""
    user = require_user()
    group = load_group(slug, user)
    require(can_create_items(user, group))
    post = services.create_post(group, user, args)
    return post


@blp.route("/posts/<int:item_id>")
@blp.response(200, PostSchema)
@public
def get_post(item_id: int) -> Any:
    return load_item(Post, item_id, api_caller())


@blp.route("/posts/<int:item_id>", methods=["PATCH"])
@blp.arguments(PostUpdateSchema)
@blp.response(200, PostSchema)
def update_post(args: dict[str, Any], item_id: int) -> Any:
    """Change title, content note or body; send the ``version`` you edited."""
    user = require_user()
    post = load_item(Post, item_id, user)
    require(policy.can_edit_item(user, post))
    version = args.pop("version", None)
    services.update_post(post, user, args, expected_version=version)
    return post


@blp.route("/posts/<int:item_id>", methods=["DELETE"])
@blp.response(204)
def delete_post(item_id: int) -> None:
    """Delete a post that is not online (unpublish it first)."""
    user = require_user()
    post = load_item(Post, item_id, user)
    require(policy.can_delete(user, post))
    review.delete(post, user)


@blp.route("/posts/<int:item_id>/submit", methods=["POST"])
@blp.response(200, PostSchema)
def submit_post(item_id: int) -> Any:
    """Send the post to the group's editors (→ in_review)."""
    return workflow.submit(POST, item_id)


@blp.route("/posts/<int:item_id>/withdraw", methods=["POST"])
@blp.response(200, PostSchema)
def withdraw_post(item_id: int) -> Any:
    """Take the post back from the editors to change it (in_review → draft).

    For its author (admins on the author's behalf), until the editors have
    decided; the audit trail records it.
    """
    return workflow.withdraw(POST, item_id)


@blp.route("/posts/<int:item_id>/review", methods=["POST"])
@blp.arguments(DecisionSchema)
@blp.response(200, PostSchema)
def review_post(args: dict[str, Any], item_id: int) -> Any:
    """An editor's decision: approve (now or at publish_at), request changes, reject."""
    return workflow.review(POST, args, item_id)


@blp.route("/posts/<int:item_id>/unpublish", methods=["POST"])
@blp.arguments(CommentSchema)
@blp.response(200, PostSchema)
def unpublish_post(args: dict[str, Any], item_id: int) -> Any:
    """Take a published or scheduled post offline (→ archived)."""
    return workflow.unpublish(POST, args, item_id)


@blp.route("/posts/<int:item_id>/history")
@blp.response(200, EventSchema(many=True))
def history_post(item_id: int) -> Any:
    """The audit trail: every transition with who, when and the comment."""
    return workflow.history(POST, item_id)
