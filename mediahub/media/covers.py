"""Cover pictures: the generated one, and the smaller copies pages show.

A group without an uploaded cover gets a calm, plain one: a colour derived
from its short name and its name in white, set with :mod:`.lettering` so that
every script people name groups in is drawn (never boxes instead of letters).

Pages show artwork at a few sizes (a 4 rem card, an 8 rem group head, an
episode's picture); browsers choose from :data:`WIDTHS` with ``srcset``. The
copies are made once — by the image step when a cover is uploaded, or once
per process for the generated cover — never resized per request.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFont

from mediahub.media import lettering

#: Apple and most apps list a podcast only with square artwork of 1400 px or more.
SIDE = 1400
_MARGIN = 150
_SIZES = (120, 104, 90, 76, 64)
_MAX_LINES = 6
#: Widths of the smaller copies (square): 1x and 2x of the sizes pages show.
WIDTHS = (160, 320, 640)


def colour(seed: str) -> tuple[int, int, int]:
    """Muted and dark enough for white text (contrast well above 4.5:1)."""
    hue = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:2], "big") / 65535
    r, g, b = colorsys.hls_to_rgb(hue, 0.32, 0.35)
    return round(r * 255), round(g * 255), round(b * 255)


def render_cover(name: str, seed: str, *, engine: ImageFont.Layout | None = None) -> bytes:
    """A 1400 x 1400 RGB JPEG with ``name`` wrapped and centred on the
    colour of ``seed`` (``seed`` is drawn when ``name`` has nothing to draw)."""
    img = Image.new("RGB", (SIDE, SIDE), colour(seed))
    draw = ImageDraw.Draw(img)
    lines = lettering.set_centred(
        draw,
        name,
        side=SIDE,
        margin=_MARGIN,
        sizes=_SIZES,
        max_lines=_MAX_LINES,
        fill=(255, 255, 255),
        engine=engine,
    )
    if not lines and seed:
        lettering.set_centred(
            draw,
            seed,
            side=SIDE,
            margin=_MARGIN,
            sizes=_SIZES,
            max_lines=_MAX_LINES,
            fill=(255, 255, 255),
            engine=engine,
        )
    return jpeg(img, quality=90)


def jpeg(img: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def scaled(picture: bytes, width: int) -> bytes:
    """A square JPEG ``width`` pixels wide from a square picture (a cover
    rendition or a generated cover), without metadata."""
    with Image.open(io.BytesIO(picture)) as img:
        rgb = img.convert("RGB")
    side = min(rgb.size)
    if rgb.size != (side, side):
        rgb = rgb.crop((0, 0, side, side))
    small = rgb.resize((width, width), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return jpeg(small, quality=85)


def smaller_copies(picture: bytes, widths: Iterable[int] = WIDTHS) -> dict[int, bytes]:
    """``{width: JPEG}`` for each of ``widths`` smaller than the picture."""
    with Image.open(io.BytesIO(picture)) as img:
        side = min(img.size)
    return {w: scaled(picture, w) for w in widths if w < side}


def srcset(urls: dict[int, str]) -> str:
    """The ``srcset`` attribute of ``{width: url}``, narrowest first."""
    return ", ".join(f"{url} {width}w" for width, url in sorted(urls.items()))
