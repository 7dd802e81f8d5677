"""Serving media: stable ASCII URLs, byte ranges, HEAD; or a redirect to S3/CDN."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, request, send_file
from sqlalchemy import select

from ..accounts.services import user_for_api_token
from ..api.core import bearer_token
from ..extensions import db
from ..groups.models import Group
from ..groups.policy import can_view_group
from ..review.policy import can_view_item
from ..web import viewer
from .models import MediaAsset
from .services import storage

bp = Blueprint("media", __name__, url_prefix="/media")


def _viewer() -> Any:
    """The logged-in person, from the session or (for the app) a Bearer token."""
    if (user := viewer()) is not None:
        return user
    secret = bearer_token()
    found = user_for_api_token(secret) if secret else None
    return found[0] if found else None


def serve_rendition(asset: MediaAsset | None, *, private: bool, download_name: str) -> Any:
    # While an asset is processed again, its previous rendition stays online.
    if asset is None or not asset.rendition_key:
        abort(404)
    st = storage()
    # Presigned URLs expire; that is why the feed links here, not there. A
    # 302 (never 301) so that podcast apps keep asking us.
    url = st.url(asset.rendition_key, private=private)
    if url:
        return redirect(url, code=302)
    path = st.serve_path(asset.rendition_key)
    resp = send_file(
        path,
        mimetype=asset.content_type,
        conditional=True,
        etag=asset.rendition_sha256,
        download_name=download_name,
        max_age=3600,
    )
    resp.headers["Accept-Ranges"] = "bytes"
    return resp


@bp.route("/episodes/<guid>.mp3", methods=["GET", "HEAD"])
def episode_audio(guid: str) -> Any:
    episode = _visible_episode(guid)
    private = episode.group.visibility.value == "private"
    return serve_rendition(episode.audio, private=private, download_name=f"{guid}.mp3")


def _visible_episode(guid: str) -> Any:
    from ..episodes.models import Episode

    episode = db.session.scalar(select(Episode).where(Episode.guid == guid))
    if episode is None or not can_view_item(_viewer(), episode):
        abort(404)
    return episode


@bp.route("/episodes/<guid>.peaks.json", methods=["GET", "HEAD"])
def episode_peaks(guid: str) -> Any:
    """The waveform of the processed audio: a JSON list of peaks from 0 to 1,
    visible to exactly those who may hear the audio."""
    episode = _visible_episode(guid)
    asset = episode.audio
    if asset is None or not asset.peaks_key:
        abort(404)
    with storage().open(asset.peaks_key) as fh:
        body = fh.read(1024 * 1024)
    resp = current_app.response_class(body, mimetype="application/json")
    resp.set_etag(asset.peaks_key.rsplit("/", 1)[-1])
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp.make_conditional(request)


@bp.route("/episodes/<guid>/image-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def episode_image(guid: str, asset_id: int) -> Any:
    episode = _visible_episode(guid)
    if episode.image_asset_id != asset_id:
        abort(404)
    private = episode.group.visibility.value == "private"
    return serve_rendition(episode.image, private=private, download_name=f"{guid}.jpg")


@bp.route("/images/<int:asset_id>-<token>.<ext>", methods=["GET", "HEAD"])
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
    if group is None or not can_view_group(_viewer(), group):
        abort(404)
    private = group.visibility.value == "private"
    return serve_rendition(asset, private=private, download_name=f"image-{asset_id}.{ext}")


@bp.route("/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def group_cover(slug: str, asset_id: int) -> Any:
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or group.cover_asset_id != asset_id or not can_view_group(_viewer(), group):
        abort(404)
    return serve_rendition(
        group.cover, private=group.visibility.value == "private", download_name=f"{slug}.jpg"
    )
