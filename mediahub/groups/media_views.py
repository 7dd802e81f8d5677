"""Group artwork and post pictures under /media: covers (uploaded or drawn)
at public addresses and under a listener's feed token."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from mediahub.accounts.identity import media_caller
from mediahub.core.extensions import db
from mediahub.groups.feed_tokens import group_for_secret
from mediahub.groups.models import Group, Visibility
from mediahub.groups.policy import can_view_group
from mediahub.media.artwork import (
    cached_cover,
    cover_version,
    has_uploaded_cover,
)
from mediahub.media.blueprint import (
    bp,
    drawn_image,
    serve_rendition,
)
from mediahub.media.models import MediaAsset
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers


def is_private_group(group: Any) -> bool:
    return group.visibility == Visibility.PRIVATE


def group_for_token(token: str, slug: str) -> Any:
    """The private group ``slug`` if the listener's token opens it, else 404."""
    group = group_for_secret(slug, token)
    if group is None:
        abort(404)
    return group


@bp.route("/images/<int:asset_id>-<token>.<ext>", methods=["GET", "HEAD"])
@secret_lookup
def post_image(asset_id: int, token: str, ext: str) -> Any:
    """A picture in a blog post: a stable URL, unguessable (part of its checksum),
    and for private groups only for those who may see the group."""
    asset = db.session.get(MediaAsset, asset_id)
    details = (asset.details or {}) if asset is not None else {}
    if (
        asset is None
        or "post_image_group" not in details
        or not asset.rendition_sha256
        or asset.rendition_sha256[:16] != token
    ):
        abort(404)
    group = db.session.get(Group, details["post_image_group"])
    if group is None or not can_view_group(media_caller(), group):
        abort(404)
    private = is_private_group(group)
    return serve_rendition(asset, private=private, download_name=f"image-{asset_id}.{ext}")


def _visible_group(slug: str) -> Any:
    """The group if the caller may see it (private groups: members), else 404."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not can_view_group(media_caller(), group):
        abort(404)
    return group


def _generated_cover(group: Any, version: str) -> BaseResponse:
    if has_uploaded_cover(group) or cover_version(group) != version:
        abort(404)
    body = cached_cover(group.name, group.slug)
    return drawn_image(body, version, private=is_private_group(group))


def _uploaded_cover(group: Any, asset_id: int) -> Any:
    if group.cover_asset_id != asset_id:
        abort(404)
    return serve_rendition(
        group.cover, private=is_private_group(group), download_name=f"{group.slug}.jpg"
    )


@bp.route("/groups/<slug>/cover-generated-<version>.jpg", methods=["GET", "HEAD"])
def generated_group_cover(slug: str, version: str) -> Any:
    """Artwork for a group without a cover: its name on a calm colour."""
    return _generated_cover(_visible_group(slug), version)


@bp.route("/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def group_cover(slug: str, asset_id: int) -> Any:
    return _uploaded_cover(_visible_group(slug), asset_id)


@bp.route("/private/<token>/groups/<slug>/cover-generated-<version>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_generated_group_cover(token: str, slug: str, version: str) -> Any:
    # It shows the group's name: listeners only, like everything else.
    return private_headers(_generated_cover(group_for_token(token, slug), version))


@bp.route("/private/<token>/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_group_cover(token: str, slug: str, asset_id: int) -> Any:
    return private_headers(_uploaded_cover(group_for_token(token, slug), asset_id))
