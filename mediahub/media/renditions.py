"""Smaller copies of uploaded pictures (covers, episode images), made once.

The image step stores the square cover rendition; this adds copies at
:data:`covers.WIDTHS` beside it and records their keys in the asset's
``details["widths"]``. Pages offer them with ``srcset``; they are served with
a year's cache lifetime, because their address names the asset and a new
picture is a new asset. Covers stored before the copies existed get them
from the worker (:func:`add_missing_widths`), and until then pages offer the
full rendition alone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from mediahub.core.extensions import db
from mediahub.media.covers import WIDTHS, smaller_copies
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.storage import current_storage, new_key

#: Where the copies' keys are kept in ``MediaAsset.details``.
DETAILS_KEY = "widths"


def width_keys(asset: Any) -> dict[int, str]:
    """``{width: storage key}`` of the asset's smaller copies (none yet: {})."""
    widths = (asset.details or {}).get(DETAILS_KEY) or {}
    out: dict[int, str] = {}
    for width, key in widths.items():
        if str(width).isdigit() and isinstance(key, str):
            out[int(width)] = key
    return out


def all_keys(asset: Any) -> list[str]:
    """Every key of the asset's smaller copies (for deletion)."""
    return list(width_keys(asset).values())


def store_widths(asset: Any, storage: Any, widths: Iterable[int] = WIDTHS) -> dict[int, str]:
    """Make and store the smaller copies of ``asset``'s square rendition.

    Returns:
        ``{width: key}`` as recorded in ``asset.details`` (the caller's
        transaction keeps it).
    """
    if not asset.rendition_key:
        return {}
    with storage.open(asset.rendition_key) as fh:
        picture = fh.read()
    keys: dict[int, str] = {}
    for width, body in smaller_copies(picture, widths).items():
        stored = storage.save(
            new_key("renditions/image", ".jpg"), io.BytesIO(body), content_type="image/jpeg"
        )
        keys[width] = stored.key
    # A new dict, so that the JSON column sees the change.
    asset.details = {**(asset.details or {}), DETAILS_KEY: {str(w): k for w, k in keys.items()}}
    return keys


def without_widths(limit: int) -> list[MediaAsset]:
    """Square pictures (covers, episode pictures) stored before their copies
    were made: ready, square, no copies recorded, not a post's picture."""
    stmt = (
        select(MediaAsset)
        .where(
            MediaAsset.kind == AssetKind.IMAGE,
            MediaAsset.status == AssetState.READY,
            MediaAsset.rendition_key.is_not(None),
            MediaAsset.width == MediaAsset.height,
            MediaAsset.details[DETAILS_KEY].as_string().is_(None),
            MediaAsset.details["post_image_group"].as_string().is_(None),
        )
        .order_by(MediaAsset.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def add_missing_widths(limit: int = 50) -> int:
    """Make the copies of up to ``limit`` pictures that have none yet,
    committing after each; returns how many were done."""
    done = 0
    for asset in without_widths(limit):
        store_widths(asset, current_storage())
        db.session.commit()
        done += 1
    return done
