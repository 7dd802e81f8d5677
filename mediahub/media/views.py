"""Serving media: stable ASCII URLs, byte ranges, HEAD; or a redirect to S3/CDN.

Every episode file and every group's artwork has two addresses: the public
one (anybody for published episodes of public and unlisted groups; members
and editors for private groups and drafts) and, for private groups, one
under a listener's secret feed token (published episodes only), which is
what private feeds link to.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, redirect, send_file
from sqlalchemy import select

from mediahub.accounts.services import user_for_api_token
from mediahub.api.blueprint import bearer_token
from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.feeds.tokens import group_for_secret
from mediahub.groups.models import Group, Visibility
from mediahub.groups.policy import can_view_group
from mediahub.media.artwork import (
    HUB_SEED,
    cached_cover,
    cover_version,
    has_uploaded_cover,
    hub_cover_version,
)
from mediahub.media.models import MediaAsset
from mediahub.review.policy import can_view_item
from mediahub.storage import current_storage
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers
from mediahub.web.pages import viewer
from mediahub.web.ranges import conditional

bp = Blueprint("media", __name__, url_prefix="/media")

#: Podcasting 2.0 JSON chapters (podcast:chapters); this is the version we write.
CHAPTERS_VERSION = "1.2.0"
CHAPTERS_TYPE = "application/json+chapters"
VTT_TYPE = "text/vtt; charset=utf-8"


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
    st = current_storage()
    # Presigned URLs expire; that is why the feed links here, not there. A
    # 302 (never 301) so that podcast apps keep asking us.
    url = st.url(asset.rendition_key, private=private)
    if url:
        return redirect(url, code=302)
    accel = current_app.config["FEEDS_ACCEL_REDIRECT_PREFIX"]
    if accel:
        # nginx sends the file (ranges, conditionals) from its internal location.
        resp = Response(mimetype=asset.content_type)
        resp.headers["X-Accel-Redirect"] = f"{accel}media/{quote(asset.rendition_key)}"
    else:
        resp = send_file(
            st.serve_path(asset.rendition_key),
            mimetype=asset.content_type,
            conditional=False,  # ranges.conditional below: RFC 9110 ranges
            etag=asset.rendition_sha256,
            download_name=download_name,
            max_age=3600,
        )
        resp = conditional(resp, resp.content_length or 0)
    if private:
        # Never in a shared cache: the next person asking may not be a member.
        resp.cache_control.public = False
        resp.cache_control.private = True
    return resp


def _episode(guid: str) -> Any:
    from mediahub.episodes.models import Episode

    return db.session.scalar(select(Episode).where(Episode.guid == guid))


def _visible_episode(guid: str) -> Any:
    """The episode if the caller may see it (drafts: author and editors;
    private groups: members), else 404 — nothing leaks."""
    episode = _episode(guid)
    if episode is None or not can_view_item(_viewer(), episode):
        abort(404)
    return episode


def _group_for_token(token: str, slug: str) -> Any:
    """The private group ``slug`` if the listener's token opens it, else 404."""
    group = group_for_secret(slug, token)
    if group is None:
        abort(404)
    return group


def _episode_for_token(token: str, guid: str) -> Any:
    """A published episode of the private group the listener's token opens."""
    episode = _episode(guid)
    if episode is None or not episode.is_public:
        abort(404)
    _group_for_token(token, episode.group.slug)
    return episode


def _is_private_group(group: Any) -> bool:
    return group.visibility == Visibility.PRIVATE


def _is_private(episode: Any) -> bool:
    return _is_private_group(episode.group)


def _audio(episode: Any) -> Any:
    return serve_rendition(
        episode.audio, private=_is_private(episode), download_name=f"{episode.guid}.mp3"
    )


def _document(body: bytes, content_type: str, *, private: bool) -> Response:
    resp = Response(body, content_type=content_type)
    resp.headers["Access-Control-Allow-Origin"] = "*"  # web players load these
    resp.add_etag()
    resp.cache_control.max_age = 300
    if private:
        resp.cache_control.private = True
    else:
        resp.cache_control.public = True
    return conditional(resp, len(body))


def _transcript(episode: Any) -> Response:
    if not episode.transcript_vtt:
        abort(404)
    body = outbound.vtt(episode.transcript_vtt).encode()
    return _document(body, VTT_TYPE, private=_is_private(episode))


def chapters_document(chapters: list[dict[str, Any]]) -> dict[str, Any]:
    """The episode's chapters in the Podcasting 2.0 JSON chapters format."""
    return {
        "version": CHAPTERS_VERSION,
        "chapters": [
            {
                "startTime": int(c["start_s"])
                if float(c["start_s"]).is_integer()
                else c["start_s"],
                "title": outbound.line(c["title"]),
            }
            for c in chapters
        ],
    }


def _chapters(episode: Any) -> Response:
    if not episode.chapters:
        abort(404)
    body = json.dumps(chapters_document(episode.chapters), ensure_ascii=False)
    return _document(body.encode(), CHAPTERS_TYPE, private=_is_private(episode))


@bp.route("/episodes/<guid>.mp3", methods=["GET", "HEAD"])
def episode_audio(guid: str) -> Any:
    return _audio(_visible_episode(guid))


@bp.route("/episodes/<guid>.vtt", methods=["GET", "HEAD"])
def episode_transcript(guid: str) -> Any:
    return _transcript(_visible_episode(guid))


@bp.route("/episodes/<guid>.chapters.json", methods=["GET", "HEAD"])
def episode_chapters(guid: str) -> Any:
    return _chapters(_visible_episode(guid))


@bp.route("/private/<token>/episodes/<guid>.mp3", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_audio(token: str, guid: str) -> Any:
    return private_headers(_audio(_episode_for_token(token, guid)))


@bp.route("/private/<token>/episodes/<guid>.vtt", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_transcript(token: str, guid: str) -> Any:
    return private_headers(_transcript(_episode_for_token(token, guid)))


@bp.route("/private/<token>/episodes/<guid>.chapters.json", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_chapters(token: str, guid: str) -> Any:
    return private_headers(_chapters(_episode_for_token(token, guid)))


@bp.route("/episodes/<guid>.peaks.json", methods=["GET", "HEAD"])
def episode_peaks(guid: str) -> Any:
    """The waveform of the processed audio: a JSON list of peaks from 0 to 1,
    visible to exactly those who may hear the audio."""
    episode = _visible_episode(guid)
    asset = episode.audio
    if asset is None or not asset.peaks_key:
        abort(404)
    with current_storage().open(asset.peaks_key) as fh:
        body = fh.read(1024 * 1024)
    resp = current_app.response_class(body, mimetype="application/json")
    resp.set_etag(asset.peaks_key.rsplit("/", 1)[-1])
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return conditional(resp, len(body))


def _image(episode: Any, asset_id: int) -> Any:
    if episode.image_asset_id != asset_id:
        abort(404)
    private = _is_private(episode)
    return serve_rendition(episode.image, private=private, download_name=f"{episode.guid}.jpg")


@bp.route("/episodes/<guid>/image-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def episode_image(guid: str, asset_id: int) -> Any:
    return _image(_visible_episode(guid), asset_id)


@bp.route("/private/<token>/episodes/<guid>/image-<int:asset_id>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_image(token: str, guid: str, asset_id: int) -> Any:
    return private_headers(_image(_episode_for_token(token, guid), asset_id))


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
    if group is None or not can_view_group(_viewer(), group):
        abort(404)
    private = _is_private_group(group)
    return serve_rendition(asset, private=private, download_name=f"image-{asset_id}.{ext}")


def _visible_group(slug: str) -> Any:
    """The group if the caller may see it (private groups: members), else 404."""
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None or not can_view_group(_viewer(), group):
        abort(404)
    return group


def _drawn_cover(body: bytes, version: str, *, private: bool) -> Response:
    resp = Response(body, content_type="image/jpeg")
    resp.set_etag(version)
    # The URL changes with the picture: it may be kept for a year.
    resp.headers["Cache-Control"] = f"{'private' if private else 'public'}, max-age=31536000"
    return conditional(resp, len(body))


def _generated_cover(group: Any, version: str) -> Response:
    if has_uploaded_cover(group) or cover_version(group) != version:
        abort(404)
    body = cached_cover(group.name, group.slug)
    return _drawn_cover(body, version, private=_is_private_group(group))


def _uploaded_cover(group: Any, asset_id: int) -> Any:
    if group.cover_asset_id != asset_id:
        abort(404)
    return serve_rendition(
        group.cover, private=_is_private_group(group), download_name=f"{group.slug}.jpg"
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
    return private_headers(_generated_cover(_group_for_token(token, slug), version))


@bp.route("/private/<token>/groups/<slug>/cover-<int:asset_id>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_group_cover(token: str, slug: str, asset_id: int) -> Any:
    return private_headers(_uploaded_cover(_group_for_token(token, slug), asset_id))


@bp.route("/hub/cover-<version>.jpg", methods=["GET", "HEAD"])
def hub_cover(version: str) -> Any:
    """Artwork of the hub's own podcast: the hub's name on a calm colour."""
    name = current_app.config["HUB_NAME"]
    if hub_cover_version(name) != version:
        abort(404)
    return _drawn_cover(cached_cover(name, HUB_SEED), version, private=False)
