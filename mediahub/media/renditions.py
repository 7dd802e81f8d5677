"""Smaller copies of uploaded pictures (covers, episode images), made once.

The image step stores the square cover rendition; this adds copies at
:data:`covers.WIDTHS` beside it and records their keys in the asset's
``details["widths"]``. Pages offer them with ``srcset``; they are served with
a year's cache lifetime, because their address names the asset and a new
picture is a new asset. Covers stored before the copies existed get them
from the worker (:func:`missing_widths`), and until then pages offer the
full rendition alone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from ..storage import new_key
from .covers import WIDTHS, smaller_copies

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


def is_offered(asset: Any, width: int) -> bool:
    """Whether ``width`` is one of the asset's smaller copies."""
    return width in width_keys(asset)
