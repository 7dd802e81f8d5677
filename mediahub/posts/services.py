"""Creating and editing blog posts. Callers own the transaction."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from mediahub.accounts.models import User
from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.groups.models import Group
from mediahub.posts.models import Post
from mediahub.review.editing import (
    apply_changes,
    check_version,
    clean_content_note,
    clean_text,
    clean_title,
)

BODY_MAX = 100_000
EDITABLE = ("title", "content_note", "body")


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_l("Unknown field: %(f)s", f=", ".join(sorted(unknown))))
    out: dict[str, Any] = {}
    if "title" in fields:
        out["title"] = clean_title(fields["title"])
    if "content_note" in fields:
        out["content_note"] = clean_content_note(fields["content_note"])
    if "body" in fields:
        out["body"] = clean_text(fields["body"], "body", BODY_MAX)
    return out


def create_post(group: Group, author: User, fields: dict[str, Any]) -> Post:
    post = Post(group=group, author=author, **_clean({"title": fields.get("title"), **fields}))
    db.session.add(post)
    db.session.flush()
    return post


def update_post(
    post: Post, actor: User, fields: dict[str, Any], expected_version: int | None = None
) -> bool:
    check_version(post, expected_version)
    return apply_changes(post, _clean(fields), actor)
