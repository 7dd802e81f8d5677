"""Episode files under /media: audio, transcript, chapters, waveform and
artwork, at public addresses and under a listener's feed token."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, request
from flask.globals import app_ctx
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from mediahub.accounts.identity import media_caller
from mediahub.core import outbound, signals
from mediahub.core.extensions import db
from mediahub.episodes.chapters import MEDIA_TYPE as CHAPTERS_TYPE
from mediahub.episodes.chapters import chapters_document
from mediahub.episodes.models import Episode
from mediahub.groups.media_views import group_for_token, is_private_group
from mediahub.media.blueprint import (
    VTT_TYPE,
    bp,
    document,
    serve_picture,
    serve_rendition,
)
from mediahub.review.policy import can_view_item
from mediahub.storage import current_storage
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers
from mediahub.web.ranges import conditional


def _episode(guid: str) -> Any:
    return db.session.scalar(select(Episode).where(Episode.guid == guid))


def _visible_episode(guid: str) -> Any:
    """The episode if the caller may see it (drafts: author and editors;
    private groups: members), else 404 — nothing leaks."""
    episode = _episode(guid)
    if episode is None or not can_view_item(media_caller(), episode):
        abort(404)
    return episode


def _episode_for_token(token: str, guid: str) -> Any:
    """A published episode of the private group the listener's token opens."""
    episode = _episode(guid)
    if episode is None or not episode.is_public:
        abort(404)
    group_for_token(token, episode.group.slug)
    return episode


def _is_private(episode: Any) -> bool:
    """Whether only some people may have the episode's files: a private
    group's, or not published (author and reviewers). Those answers are never
    kept in a shared cache, and on S3 they are presigned addresses."""
    return is_private_group(episode.group) or not episode.is_public


def _audio(episode: Any) -> Any:
    resp = serve_rendition(
        episode.audio, private=_is_private(episode), download_name=f"{episode.guid}.mp3"
    )
    # Listener statistics count here (whoever answers: us, nginx or a CDN).
    if signals.audio_served.receivers:
        signals.audio_served.send(
            app_ctx.app,
            episode=episode,
            asset=episode.audio,
            environ=request.environ,
            response=resp,
        )
    return resp


def _transcript(episode: Any) -> BaseResponse:
    if not episode.transcript_vtt:
        abort(404)
    body = outbound.vtt(episode.transcript_vtt).encode()
    return document(body, VTT_TYPE, private=_is_private(episode))


def _chapters(episode: Any) -> BaseResponse:
    if not episode.chapters:
        abort(404)
    body = json.dumps(chapters_document(episode.chapters), ensure_ascii=False)
    return document(body.encode(), CHAPTERS_TYPE, private=_is_private(episode))


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


def _image(episode: Any, asset_id: int, width: int | None = None) -> Any:
    if episode.image_asset_id != asset_id:
        abort(404)
    return serve_picture(episode.image, width, private=_is_private(episode), name=episode.guid)


@bp.route("/episodes/<guid>/image-<int:asset_id>.jpg", methods=["GET", "HEAD"])
def episode_image(guid: str, asset_id: int) -> Any:
    return _image(_visible_episode(guid), asset_id)


@bp.route("/episodes/<guid>/image-<int:asset_id>/<int:width>.jpg", methods=["GET", "HEAD"])
def episode_image_sized(guid: str, asset_id: int, width: int) -> Any:
    """A smaller copy of the episode's picture, for pages (``srcset``)."""
    return _image(_visible_episode(guid), asset_id, width)


@bp.route("/private/<token>/episodes/<guid>/image-<int:asset_id>.jpg", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_image(token: str, guid: str, asset_id: int) -> Any:
    return private_headers(_image(_episode_for_token(token, guid), asset_id))
