"""Blog posts as a reviewable item kind: what the review workflow needs to know."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from mediahub.posts.models import Post
from mediahub.review.kinds import ItemKind

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
        "label": _l("Post"),
    },
)
