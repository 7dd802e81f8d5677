"""How a media asset appears in the API (inside its episode)."""

from __future__ import annotations

from typing import Any

from mediahub.api import fields
from mediahub.api.schemas import AudienceSchema, everybody, shown_to, viewer
from mediahub.core.audience import Audience
from mediahub.media.messages import translated
from mediahub.review.policy import item_audience


class MediaSchema(AudienceSchema):
    """An episode's audio, as the episode's reader may see it: why processing
    failed and how large the member's original file was are for those who
    work on the episode."""

    status = fields.Str(metadata=everybody("uploaded, processing, ready or failed"))
    error = fields.Function(
        lambda a: translated(a.error) if a.error else None,
        allow_none=True,
        metadata=shown_to(Audience.AUTHOR, "why processing failed, in the request's language"),
    )
    duration_s = fields.Float(allow_none=True, metadata=everybody())
    size_bytes = fields.Int(attribute="rendition_size", allow_none=True, metadata=everybody())
    bitrate_kbps = fields.Int(allow_none=True, metadata=everybody())
    loudness_lufs = fields.Float(allow_none=True, metadata=everybody())
    true_peak_dbtp = fields.Float(allow_none=True, metadata=everybody())
    original_size_bytes = fields.Int(
        attribute="original_size",
        metadata=shown_to(Audience.AUTHOR, "size of the uploaded recording"),
    )
    audio_url = fields.Method("_audio_url", allow_none=True, metadata=everybody())

    def audience_of(self, asset: Any) -> Audience:
        episode = self.context_episode(asset)
        return Audience.PUBLIC if episode is None else item_audience(viewer(), episode)

    def _audio_url(self, asset: Any) -> str | None:
        episode = self.context_episode(asset)
        if episode is None or not asset.is_ready:
            return None
        from mediahub.core.urls import absolute_url

        return absolute_url("media.episode_audio", guid=episode.guid)

    @staticmethod
    def context_episode(asset: Any) -> Any:
        return getattr(asset, "_episode", None)
