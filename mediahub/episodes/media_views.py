"""Episode files under /media: audio, transcript, chapters, waveform and
artwork, at public addresses and under a listener's feed token."""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from mediahub.accounts.identity import media_caller
from mediahub.core import outbound
from mediahub.core.extensions import db
from mediahub.episodes.models import Episode
from mediahub.groups.media_views import group_for_token, is_private_group
from mediahub.media.blueprint import (
    CHAPTERS_TYPE,
    CHAPTERS_VERSION,
    VTT_TYPE,
    bp,
    document,
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
    return is_private_group(episode.group)


def _audio(episode: Any) -> Any:
    return serve_rendition(
        episode.audio, private=_is_private(episode), download_name=f"{episode.guid}.mp3"
    )


def _transcript(episode: Any) -> BaseResponse:
    if not episode.transcript_vtt:
        abort(404)
    body = outbound.vtt(episode.transcript_vtt).encode()
    return document(body, VTT_TYPE, private=_is_private(episode))


def chaptersdocument(chapters: list[dict[str, Any]]) -> dict[str, Any]:
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


def _chapters(episode: Any) -> BaseResponse:
    if not episode.chapters:
        abort(404)
    body = json.dumps(chaptersdocument(episode.chapters), ensure_ascii=False)
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
