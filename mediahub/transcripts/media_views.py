"""An episode's public transcript in the other formats podcast apps read:
Podcasting 2.0 JSON (AntennaPod prefers it) and SubRip. WebVTT, the stored
form, is served by the episodes feature (``/media/episodes/<guid>.vtt``)."""

from __future__ import annotations

import json
from typing import Any

from flask import abort
from werkzeug.wrappers import Response as BaseResponse

from mediahub.core import outbound
from mediahub.episodes.media_views import _episode_for_token, _is_private, _visible_episode
from mediahub.media.blueprint import bp, document
from mediahub.transcripts.captions import Cue, read_vtt, write_srt
from mediahub.web.guessing import secret_lookup
from mediahub.web.headers import private_headers

JSON_TYPE = "application/json"
SRT_TYPE = "application/x-subrip"
JSON_VERSION = "1.0.0"


def _plain(text: str) -> str:
    # One line without markup: players render SRT tags, and JSON bodies as text.
    return outbound.line(text).replace("<", "\u2039").replace(">", "\u203a")


def json_document(cues: list[Cue]) -> dict[str, Any]:
    """The Podcasting 2.0 JSON transcript of ``cues`` (speaker only when named)."""
    segments = []
    for cue in cues:
        segment: dict[str, Any] = {"startTime": cue.start_s, "endTime": cue.end_s}
        if cue.speaker:
            segment["speaker"] = _plain(cue.speaker)
        segment["body"] = _plain(cue.text)
        segments.append(segment)
    return {"version": JSON_VERSION, "segments": segments}


def _cues(episode: Any) -> list[Cue]:
    cues = read_vtt(episode.transcript_vtt)
    if not cues:
        abort(404)
    return cues


def _json(episode: Any) -> BaseResponse:
    body = json.dumps(json_document(_cues(episode)), ensure_ascii=False).encode()
    return document(body, JSON_TYPE, private=_is_private(episode))


def _srt(episode: Any) -> BaseResponse:
    cues = [Cue(c.start_s, c.end_s, _plain(c.speaker), _plain(c.text)) for c in _cues(episode)]
    return document(write_srt(cues).encode(), SRT_TYPE, private=_is_private(episode))


@bp.route("/episodes/<guid>.transcript.json", methods=["GET", "HEAD"])
def episode_transcript_json(guid: str) -> Any:
    return _json(_visible_episode(guid))


@bp.route("/episodes/<guid>.srt", methods=["GET", "HEAD"])
def episode_transcript_srt(guid: str) -> Any:
    return _srt(_visible_episode(guid))


@bp.route("/private/<token>/episodes/<guid>.transcript.json", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_transcript_json(token: str, guid: str) -> Any:
    return private_headers(_json(_episode_for_token(token, guid)))


@bp.route("/private/<token>/episodes/<guid>.srt", methods=["GET", "HEAD"])
@secret_lookup
def private_episode_transcript_srt(token: str, guid: str) -> Any:
    return private_headers(_srt(_episode_for_token(token, guid)))
