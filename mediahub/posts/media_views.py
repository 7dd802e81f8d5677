"""Pictures in blog posts under /media: at one stable, unguessable address
(its number and part of its checksum), for members and readers of the posts
that show it, and under a listener's feed token for private groups' feeds."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select

from mediahub.accounts.identity import media_caller
from mediahub.core.extensions import db
from mediahub.groups.media_views import group_for_token, is_private_group
from mediahub.groups.models import Group
from mediahub.media.blueprint import IMAGE_MAX_AGE, bp, serve_rendition
from mediahub.media.models import MediaAsset
from mediahub.posts.models import Post
from mediahub.posts.policy import can_view_picture, is_public_picture
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers

#: Posts looked at to decide whom a picture is for (a picture is shown by one
#: post, rarely by a few).
_SHOWING_MAX = 20


def picture_path(asset_id: int, check: str) -> str:
    """The part of a picture's address that every post showing it contains."""
    return f"/media/images/{asset_id}-{check}."


def _picture(asset_id: int, check: str) -> tuple[MediaAsset, Group]:
    """The post picture ``asset_id`` if ``check`` is its checksum's start, else 404."""
    asset = db.session.get(MediaAsset, asset_id)
    details = (asset.details or {}) if asset is not None else {}
    if (
        asset is None
        or "post_image_group" not in details
        or not asset.rendition_sha256
        or asset.rendition_sha256[:16] != check
    ):
        abort(404)
    group = db.session.get(Group, details["post_image_group"])
    if group is None:
        abort(404)
    return asset, group


def posts_showing(group: Group, asset_id: int, check: str) -> list[Post]:
    """The group's posts whose text names the picture (its address, relative
    or absolute)."""
    stmt = (
        select(Post)
        .where(
            Post.group_id == group.id,
            Post.body.contains(picture_path(asset_id, check), autoescape=True),
        )
        .limit(_SHOWING_MAX)
    )
    return list(db.session.scalars(stmt))


@bp.route("/images/<int:asset_id>-<check>.<ext>", methods=["GET", "HEAD"])
@secret_lookup
def post_image(asset_id: int, check: str, ext: str) -> Any:
    """A picture in a blog post: public once a published post shows it; until
    then only for its uploader, the group's reviewers and a draft's author."""
    asset, group = _picture(asset_id, check)
    showing = posts_showing(group, asset_id, check)
    if not can_view_picture(media_caller(), group, asset.uploaded_by_id, showing):
        abort(404)
    # Not yet published, or a private group's: never in a shared cache.
    private = is_private_group(group) or not is_public_picture(showing)
    return serve_rendition(
        asset, private=private, download_name=f"image-{asset_id}.{ext}", max_age=IMAGE_MAX_AGE
    )


@bp.route("/private/<token>/images/<int:asset_id>-<check>.<ext>", methods=["GET", "HEAD"])
@secret_lookup
def private_post_image(token: str, asset_id: int, check: str, ext: str) -> Any:
    """A picture of a published post of a private group, for feed readers
    (no session) under the listener's feed token."""
    asset, group = _picture(asset_id, check)
    group_for_token(token, group.slug)
    if not is_public_picture(posts_showing(group, asset_id, check)):
        abort(404)
    return private_headers(
        serve_rendition(asset, private=True, download_name=f"image-{asset_id}.{ext}")
    )
