"""Blog posts as a reviewable item kind: what the review workflow needs to know."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.posts.models import Post
from mediahub.review.kinds import BASE_COMPARED, ItemKind, Reviewable


def _snapshot(item: Reviewable) -> dict[str, str]:
    post: Any = item
    return {
        "title": post.title or "",
        "content_note": post.content_note or "",
        "body": post.body or "",
    }


POST = ItemKind(
    name=Post.item_type,
    model=Post,
    collection="posts",
    public_endpoint="site.post_page",
    edit_endpoint="posts.edit_post",
    messages={
        "submitted": _l("Thank you! The post is now with the editors."),
        "deleted": _l("The post has been deleted."),
        "unpublished": _l("The post is offline now."),
        "withdrawn": _l(
            "You took the post back. It is a draft again: change it and send it again."
        ),
        "label": _l("Post"),
    },
    snapshot=_snapshot,
    compared=(*BASE_COMPARED, ("body", _l("Text"))),
)
