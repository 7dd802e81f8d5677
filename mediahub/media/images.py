"""Cover art: validated by content, cleaned of metadata, square, podcast-sized."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from typing import IO, Any, BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from mediahub.core.errors import InvalidInput
from mediahub.core.extensions import db
from mediahub.media import renditions
from mediahub.media.models import AssetKind, AssetState, MediaAsset
from mediahub.media.services import store_upload
from mediahub.storage import current_storage, new_key

MAX_IMAGE_BYTES = 20 * 1024 * 1024
# Apple Podcasts wants square artwork from 1400 to 3000 pixels.
COVER_MIN, COVER_MAX = 1400, 3000
_ACCEPTED = {"JPEG", "PNG", "WEBP"}
#: The most pixels a picture may declare: a 50-megapixel phone photo fits. A
#: 13 KB PNG can declare 10,500 x 10,500 pixels (330 MB decoded); such a
#: picture is refused by the size in its header, before a pixel is decoded.
MAX_PIXELS = 50_000_000
# Pillow's own check, made while it reads the header: a warning above this
# (turned into a refusal here), an error at twice as many.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.simplefilter("error", Image.DecompressionBombWarning)
TOO_MANY_PIXELS = _l(
    "This picture is too large: at most 50 megapixels (for example 8000 by 6000 pixels). "
    "Please make it smaller and upload it again."
)


#: A rendition: the encoded bytes, "JPEG" or "PNG", and the pixel size.
Rendition = tuple[io.BytesIO, str, tuple[int, int]]


def _store_image(
    upload: IO[bytes], uploader: Any, render: Callable[[bytes], Rendition]
) -> MediaAsset:
    """Keep the original and store ``render``'s clean rendition of it, or
    remove the original again when ``render`` refuses it (InvalidInput)."""

    asset = store_upload(upload, kind=AssetKind.IMAGE, uploader=uploader, max_size=MAX_IMAGE_BYTES)
    st = current_storage()
    with st.open(asset.original_key) as fh:
        data = fh.read(MAX_IMAGE_BYTES + 1)
    try:
        rendition, fmt, size = render(data)
    except InvalidInput:
        st.delete(asset.original_key)
        db.session.delete(asset)
        db.session.flush()
        raise
    ext, content_type = (".png", "image/png") if fmt == "PNG" else (".jpg", "image/jpeg")
    stored = st.save(new_key("renditions/image", ext), rendition, content_type=content_type)
    asset.rendition_key = stored.key
    asset.rendition_size = stored.size
    asset.rendition_sha256 = stored.sha256
    asset.content_type = content_type
    asset.width, asset.height = size
    asset.status = AssetState.READY
    db.session.flush()
    return asset


def _decode_upright(data: bytes) -> tuple[Image.Image, str]:
    """The picture, decoded and turned upright, and its format: the one place
    where an uploaded picture is decoded.

    Raises:
        InvalidInput: not a JPEG, PNG or WebP image, broken, or more than
            :data:`MAX_PIXELS` pixels (refused before decoding).
    """
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in _ACCEPTED:
                raise InvalidInput(_l("Please upload a JPEG, PNG or WebP image."), field="file")
            if img.width * img.height > MAX_PIXELS:
                raise InvalidInput(TOO_MANY_PIXELS, field="file", code="too_large")
            source_format = img.format
            img.load()
            return ImageOps.exif_transpose(img), source_format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput(TOO_MANY_PIXELS, field="file", code="too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise InvalidInput(
            _l("This file is not an image we can read (JPEG, PNG or WebP)."), field="file"
        ) from None


def store_cover(upload: BinaryIO, *, uploader: Any) -> MediaAsset:
    """Keep the original, and store a clean square JPEG rendition and its
    smaller copies for pages (:mod:`mediahub.media.renditions`).

    Raises:
        InvalidInput: not a JPEG, PNG or WebP image, or broken.
    """
    asset = _store_image(upload, uploader, square_jpeg)
    renditions.store_widths(asset, current_storage())
    db.session.flush()
    return asset


def square_jpeg(data: bytes) -> Rendition:
    """Centre-crop to a square of 1400 to 3000 px and re-encode as RGB JPEG.

    Re-encoding from pixels drops EXIF (camera, GPS), XMP and ICC comments.
    """
    img = _decode_upright(data)[0].convert("RGB")
    side = min(img.size)
    target = max(COVER_MIN, min(COVER_MAX, side))
    img = ImageOps.fit(img, (target, target), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=88, optimize=True, progressive=True)
    out.seek(0)
    return out, "JPEG", img.size


#: Pictures in blog posts are shown in the text column; 1600 px covers
#: high-density screens without shipping camera-sized files.
POST_IMAGE_MAX = 1600


def store_post_image(upload: IO[bytes], *, uploader: Any, group: Any) -> MediaAsset:
    """Keep the original, and store a clean picture for a blog post of ``group``.

    At most 1600 px on the longer side, turned upright, re-encoded from
    pixels (so EXIF with GPS and camera, XMP and ICC data are gone); PNG
    when the picture has transparency or was a PNG, else JPEG.

    Raises:
        InvalidInput: not a JPEG, PNG or WebP image, or broken.
    """
    asset = _store_image(upload, uploader, lambda data: resized_clean(data, POST_IMAGE_MAX))
    asset.details = {"post_image_group": group.id}
    db.session.flush()
    return asset


def resized_clean(data: bytes, longest: int) -> Rendition:
    """Decode, turn upright, shrink to ``longest`` px and re-encode without metadata."""
    img, source_format = _decode_upright(data)
    has_alpha = img.mode in {"RGBA", "LA", "PA"} or "transparency" in img.info
    fmt = "PNG" if has_alpha or source_format == "PNG" else "JPEG"
    img = img.convert("RGBA" if has_alpha else "RGB")
    img.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    # A fresh image carries no info (EXIF, XMP, ICC, text chunks) to the encoder.
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    out = io.BytesIO()
    if fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    out.seek(0)
    return out, fmt, clean.size
