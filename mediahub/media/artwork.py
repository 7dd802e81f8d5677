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

import colorsys
import functools
import hashlib
import io
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from mediahub.core import outbound

SIDE = 1400
_MARGIN = 150
_SIZES = (120, 104, 90, 76, 64)
_MAX_LINES = 6


def _colour(slug: str) -> tuple[int, int, int]:
    # Muted and dark enough for white text (contrast well above 4.5:1).
    hue = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:2], "big") / 65535
    r, g, b = colorsys.hls_to_rgb(hue, 0.32, 0.35)
    return round(r * 255), round(g * 255), round(b * 255)


def _wrap(text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        while font.getlength(word) > width:  # a word longer than a line
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > width:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def render_cover(name: str, slug: str) -> bytes:
    """A 1400 x 1400 RGB JPEG with ``name`` wrapped and centred."""
    img = Image.new("RGB", (SIDE, SIDE), _colour(slug))
    draw = ImageDraw.Draw(img)
    text = outbound.line(name) or slug
    width = SIDE - 2 * _MARGIN
    for size in _SIZES:
        font = ImageFont.load_default(size=size)
        lines = _wrap(text, font, width)
        if len(lines) <= _MAX_LINES:
            break
    lines = lines[:_MAX_LINES]
    line_height = round(size * 1.25)
    top = (SIDE - line_height * len(lines)) / 2
    for n, line in enumerate(lines):
        y = top + n * line_height + line_height / 2
        draw.text((SIDE / 2, y), line, font=font, fill=(255, 255, 255), anchor="mm")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


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
    return hashlib.sha256(f"{slug}\0{name}".encode(errors="replace")).hexdigest()[:12]


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
    """``render_cover`` once per name and process (about 40 ms each)."""
    return render_cover(name, slug)
