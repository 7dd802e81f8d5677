"""The artwork pages show: a group's cover (uploaded or generated) or an
episode's own picture, as ``src`` plus a ``srcset`` of the copies made once
(:mod:`mediahub.media.renditions`, :mod:`mediahub.media.covers`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from mediahub.media.artwork import cover_version, has_uploaded_cover
from mediahub.media.covers import SIDE, WIDTHS, srcset
from mediahub.media.renditions import width_keys


@dataclass(frozen=True, slots=True)
class Picture:
    """What an ``<img>`` needs: the full picture and the smaller copies."""

    src: str
    srcset: str


def _uploaded(asset: Any, endpoint: str, **values: Any) -> Picture:
    full = url_for(endpoint, **values)
    urls = {w: url_for(f"{endpoint}_sized", width=w, **values) for w in width_keys(asset)}
    # Until the worker has made the copies, the full picture is all there is.
    urls[asset.width or SIDE] = full
    return Picture(full, srcset(urls))


def group_picture(group: Any) -> Picture:
    """The group's uploaded cover, else the one drawn from its name."""
    if has_uploaded_cover(group):
        return _uploaded(group.cover, "media.group_cover", slug=group.slug, asset_id=group.cover.id)
    values = {"slug": group.slug, "version": cover_version(group)}
    urls = {w: url_for("media.generated_group_cover_sized", width=w, **values) for w in WIDTHS}
    full = url_for("media.generated_group_cover", **values)
    urls[SIDE] = full
    return Picture(full, srcset(urls))


def episode_picture(episode: Any) -> Picture:
    """The episode's own picture, else its group's artwork (as in the feed)."""
    image = episode.image
    if image is not None and image.is_ready and image.rendition_key:
        return _uploaded(image, "media.episode_image", guid=episode.guid, asset_id=image.id)
    return group_picture(episode.group)
