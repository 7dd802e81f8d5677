"""Cover art: generated covers for groups that have none and for the hub, and
the addresses of every group cover (media serves them all).

Apple and most apps list a podcast only with square artwork of 1400 to 3000 px.
A group without a cover gets a calm, plain one: a colour derived from its
short name and its name in white. It is drawn on request at a URL that
changes with the name (``media.generated_group_cover``) and never stored:
the group still "has no cover" for its managers, and an upload replaces it
everywhere at once. The hub's own podcast gets one the same way, with the
hub's name (``media.hub_cover``).

A private group's artwork shows its name, so it is never public: members see
it at the ordinary addresses, podcast apps (no session) under the listener's
feed token (``media.private_group_cover``, ``media.private_generated_group_cover``).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from mediahub.core import outbound
from mediahub.media import covers

SIDE = covers.SIDE
#: Part of every generated cover's address: a new way of drawing (another
#: font, another layout) is a new address, so apps and browsers that keep a
#: picture for a year fetch the new one.
DRAWING = "2"


def render_cover(name: str, slug: str) -> bytes:
    """A 1400 x 1400 RGB JPEG with ``name`` (as one line of plain text)
    wrapped and centred on the colour of ``slug``."""
    return covers.render_cover(outbound.line(name), slug)


def has_uploaded_cover(group: Any) -> bool:
    return group.cover is not None and group.cover.is_ready


def cover_url(group: Any, url_for: Callable[..., str], *, token: str | None = None) -> str:
    """The uploaded cover's URL, else the generated one's: there is always artwork.

    Args:
        group: the group.
        url_for: ``(endpoint, **values) -> URL``.
        token: a listener's feed token (or the feeds' placeholder for it): the
            address under that token, for private feeds. None: the ordinary
            address (members' session, or anybody for groups that are not
            private).
    """
    if has_uploaded_cover(group):
        endpoint, values = "group_cover", {"asset_id": group.cover.id}
    else:
        endpoint, values = "generated_group_cover", {"version": cover_version(group)}
    if token is not None:
        return url_for(f"media.private_{endpoint}", token=token, slug=group.slug, **values)
    return url_for(f"media.{endpoint}", slug=group.slug, **values)


def _version(slug: str, name: str) -> str:
    seed = f"{DRAWING}\0{slug}\0{name}"
    return hashlib.sha256(seed.encode(errors="replace")).hexdigest()[:12]


def cover_version(group: Any) -> str:
    """Changes with what the generated cover shows: part of its URL, so apps
    fetch a new picture after a rename and may cache each one for ever."""
    return _version(group.slug, group.name)


#: Stands in for a slug when drawing the hub's cover (it picks the colour).
HUB_SEED = "hub"


def hub_cover_version(hub_name: str) -> str:
    """Like :func:`cover_version`, for the hub's cover: a new HUB_NAME, a new URL."""
    return _version(HUB_SEED, hub_name)


def hub_cover_url(hub_name: str, url_for: Callable[..., str]) -> str:
    """The generated cover of the hub's own podcast (public, like that feed)."""
    return url_for("media.hub_cover", version=hub_cover_version(hub_name))


@functools.lru_cache(maxsize=128)
def cached_cover(name: str, slug: str) -> bytes:
    """``render_cover`` once per name and process (about 60 ms each)."""
    return render_cover(name, slug)


@functools.lru_cache(maxsize=256)
def cached_copy(name: str, slug: str, width: int) -> bytes:
    """A smaller copy of the generated cover (:data:`covers.WIDTHS`), made
    once per name, width and process."""
    return covers.scaled(cached_cover(name, slug), width)
