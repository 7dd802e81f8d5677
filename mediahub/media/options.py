"""Pipeline options for one episode, from the configuration and its data."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mediahub.audio import Chapter, EpisodeTags, PipelineOptions
from mediahub.core import outbound
from mediahub.media.artwork import cached_cover
from mediahub.storage import current_storage


def pipeline_options(
    config: Mapping[str, Any],
    episode: Any,
    *,
    intro_path: Path | None = None,
    outro_path: Path | None = None,
) -> Any:
    """Targets from the configuration; tags, chapters and disguise from the episode."""

    tags = None
    if episode is not None:
        group = episode.group
        date = (episode.published_at or episode.created_at).date()
        # ID3 text frames are plain text (NUL separates values): what
        # members wrote goes in as the text a reader sees, without markup.
        # The chapters of the table of contents: players list every CHAP.
        chapters = tuple(
            Chapter(c["start_s"], outbound.line(c["title"]))
            for c in episode.chapters or ()
            if c.get("toc") is not False and c.get("title")
        )
        tags = EpisodeTags(
            title=outbound.line(episode.title),
            group=outbound.line(group.name),
            podcast=outbound.line(group.name),
            guid=episode.guid,
            date=date,
            description=outbound.text(episode.description)[:4000],
            cover=_cover_bytes(episode),
            chapters=chapters,
            guid_owner=config["BASE_URL"] + "/episode-guid",
        )
    return PipelineOptions(
        tags=tags,
        intro_path=intro_path,
        outro_path=outro_path,
        disguise_voice=bool(episode is not None and episode.disguise_voice),
        target_lufs_stereo=config["AUDIO_TARGET_LUFS_STEREO"],
        target_lufs_mono=config["AUDIO_TARGET_LUFS_MONO"],
        true_peak_dbtp=config["AUDIO_TRUE_PEAK_DBTP"],
        bitrate_stereo_kbps=config["AUDIO_BITRATE_STEREO_KBPS"],
        bitrate_mono_kbps=config["AUDIO_BITRATE_MONO_KBPS"],
        sample_rate=config["AUDIO_SAMPLE_RATE"],
        max_duration_s=float(config["MAX_AUDIO_SECONDS"]),
    )


def _cover_bytes(episode: Any) -> bytes:
    """The episode's own artwork, else its group's cover, else the cover
    drawn from the group's name (as in the feed): a downloaded file shows
    art in every player."""

    for image in (episode.image, episode.group.cover):
        if image is not None and image.is_ready and image.rendition_key:
            with current_storage().open(image.rendition_key) as fh:
                return fh.read()
    group = episode.group
    return cached_cover(group.name, group.slug)
