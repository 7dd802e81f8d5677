"""Group artwork under /media: covers (uploaded or drawn) at public addresses
and under a listener's feed token, and the smaller copies pages show."""

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
    cached_copy,
    cached_cover,
    cover_version,
    has_uploaded_cover,
)
from mediahub.media.blueprint import bp, drawn_image, serve_picture
from mediahub.media.covers import WIDTHS
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


def _visible_group(slug: str) -> Any:
    """The group if the caller may see it (private groups: members), else 404."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not can_view_group(media_caller(), group):
        abort(404)
    return group


def _generated_cover(group: Any, version: str, width: int | None = None) -> BaseResponse:
    if has_uploaded_cover(group) or cover_version(group) != version:
        abort(404)
    if width is None:
        body = cached_cover(group.name, group.slug)
    elif width in WIDTHS:
        body = cached_copy(group.name, group.slug, width)
    else:
        abort(404)
    return drawn_image(body, version, private=is_private_group(group))


def _uploaded_cover(group: Any, asset_id: int, width: int | None = None) -> Any:
    if group.cover_asset_id != asset_id:
        abort(404)
    return serve_picture(group.cover, width, private=is_private_group(group), name=group.slug)


@bp.route("/groups/<slug>/cover-generated-<version>.jpg", methods=["GET", "HEAD"])
def generated_group_cover(slug: str, version: str) -> Any:
    """Artwork for a group without a cover: its name on a calm colour."""
    return _generated_cover(_visible_group(slug), version)


@bp.route("/groups/<slug>/cover-generated-<version>/<int:width>.jpg", methods=["GET", "HEAD"])
def generated_group_cover_sized(slug: str, version: str, width: int) -> Any:
    """A smaller copy of the generated cover, for pages (``srcset``)."""
    return _generated_cover(_visible_group(slug), version, width)


@bp.route("/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def group_cover(slug: str, asset_id: int) -> Any:
    return _uploaded_cover(_visible_group(slug), asset_id)


@bp.route("/groups/<slug>/cover-<int:asset_id>/<int:width>.jpg", methods=["GET", "HEAD"])
def group_cover_sized(slug: str, asset_id: int, width: int) -> Any:
    """A smaller copy of the uploaded cover, for pages (``srcset``)."""
    return _uploaded_cover(_visible_group(slug), asset_id, width)


@bp.route("/private/<token>/groups/<slug>/cover-generated-<version>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_generated_group_cover(token: str, slug: str, version: str) -> Any:
    # It shows the group's name: listeners only, like everything else.
    return private_headers(_generated_cover(group_for_token(token, slug), version))


@bp.route("/private/<token>/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_group_cover(token: str, slug: str, asset_id: int) -> Any:
    return private_headers(_uploaded_cover(group_for_token(token, slug), asset_id))
