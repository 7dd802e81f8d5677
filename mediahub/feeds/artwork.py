"""Generated cover art for groups that have none.

Apple and most apps list a podcast only with square artwork of 1400 to 3000 px.
A group without a cover gets a calm, plain one: a colour derived from its
short name and its name in white. It is stored like an uploaded cover and
marked ``details={"generated": True}``, so a new name makes a new one and a
manager's upload simply replaces it.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from .xmltext import xml_safe

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
    text = " ".join(xml_safe(name).split()) or slug
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


def is_generated(asset: Any) -> bool:
    return bool(asset is not None and (asset.details or {}).get("generated"))


def ensure_cover(group: Any) -> bool:
    """Give ``group`` a generated cover if it has none, or renew a generated
    one after a change of name. Uploaded covers are never touched.

    Returns:
        Whether a cover was made (the caller commits).
    """
    from ..media import images

    cover = group.cover
    if cover is not None and not is_generated(cover):
        return False
    if cover is not None and cover.details.get("name") == group.name and cover.is_ready:
        return False
    asset = images.store_cover(io.BytesIO(render_cover(group.name, group.slug)), uploader=None)
    asset.details = {"generated": True, "name": group.name}
    group.cover = asset
    if cover is not None:
        _discard(cover)
    return True


def _discard(asset: Any) -> None:
    """Remove an outdated generated cover; nothing else refers to it."""
    from ..extensions import db
    from ..media.services import storage

    st = storage()
    for key in (asset.original_key, asset.rendition_key):
        if key:
            st.delete(key)
    db.session.delete(asset)
