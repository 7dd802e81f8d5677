"""How a media asset appears in the API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from ..api import fields
from .messages import translated


class MediaSchema(Schema):
    status = fields.Str(metadata={"description": "uploaded, processing, ready or failed"})
    error = fields.Function(
        lambda a: translated(a.error) if a.error else None,
        allow_none=True,
        metadata={"description": "why processing failed, in the request's language"},
    )
    duration_s = fields.Float(allow_none=True)
    size_bytes = fields.Int(attribute="rendition_size", allow_none=True)
    bitrate_kbps = fields.Int(allow_none=True)
    loudness_lufs = fields.Float(allow_none=True)
    true_peak_dbtp = fields.Float(allow_none=True)
    original_size_bytes = fields.Int(attribute="original_size")
    audio_url = fields.Method("_audio_url", allow_none=True)

    def _audio_url(self, asset: Any) -> str | None:
        episode = self.context_episode(asset)
        if episode is None or not asset.is_ready:
            return None
        from ..urls import absolute_url

        return absolute_url("media.episode_audio", guid=episode.guid)

    @staticmethod
    def context_episode(asset: Any) -> Any:
        return getattr(asset, "_episode", None)
