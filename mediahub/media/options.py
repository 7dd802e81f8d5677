"""Pipeline options for one episode, from the configuration and its data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def pipeline_options(config: Mapping[str, Any], episode: Any) -> Any:
    from ..audio import EpisodeTags, PipelineOptions

    tags = None
    if episode is not None:
        group = episode.group
        date = (episode.published_at or episode.created_at).date()
        tags = EpisodeTags(
            title=episode.title,
            group=group.name,
            podcast=group.name,
            guid=episode.guid,
            date=date,
            description=episode.description[:4000],
            cover=_cover_bytes(group),
            guid_owner=config["BASE_URL"] + "/episode-guid",
        )
    return PipelineOptions(
        tags=tags,
        target_lufs_stereo=config["AUDIO_TARGET_LUFS_STEREO"],
        target_lufs_mono=config["AUDIO_TARGET_LUFS_MONO"],
        true_peak_dbtp=config["AUDIO_TRUE_PEAK_DBTP"],
        bitrate_stereo_kbps=config["AUDIO_BITRATE_STEREO_KBPS"],
        bitrate_mono_kbps=config["AUDIO_BITRATE_MONO_KBPS"],
        sample_rate=config["AUDIO_SAMPLE_RATE"],
        max_duration_s=float(config["MAX_AUDIO_SECONDS"]),
    )


def _cover_bytes(group: Any) -> bytes | None:
    from .services import storage

    cover = group.cover
    if cover is None or not cover.is_ready or not cover.rendition_key:
        return None
    with storage().open(cover.rendition_key) as fh:
        return fh.read()
