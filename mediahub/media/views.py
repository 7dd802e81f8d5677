"""The hub's own cover under /media: the one file the media feature serves itself."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app

from mediahub.media.artwork import (
    HUB_SEED,
    cached_cover,
    hub_cover_version,
)
from mediahub.media.blueprint import (
    bp,
    drawn_image,
)


@bp.route("/hub/cover-<version>.jpg", methods=["GET", "HEAD"])
def hub_cover(version: str) -> Any:
    """Artwork of the hub's own podcast: the hub's name on a calm colour."""
    name = current_app.config["HUB_NAME"]
    if hub_cover_version(name) != version:
        abort(404)
    return drawn_image(cached_cover(name, HUB_SEED), version, private=False)
