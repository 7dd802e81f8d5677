"""Covers at the few sizes pages show: made once, square, without metadata."""

from __future__ import annotations

import io
from types import SimpleNamespace

from PIL import Image

from mediahub.media import covers, renditions
from mediahub.storage.local import LocalStorage


def _jpeg(side: int, *, exif: bool = False) -> bytes:
    img = Image.new("RGB", (side, side), (200, 30, 30))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Camera maker"
        extra["exif"] = data.tobytes()
    img.save(out, "JPEG", **extra)
    return out.getvalue()


def test_smaller_copies_are_square_jpegs_at_each_width_below_the_original():
    copies = covers.smaller_copies(_jpeg(1400, exif=True))
    assert sorted(copies) == list(covers.WIDTHS)
    for width, body in copies.items():
        with Image.open(io.BytesIO(body)) as img:
            assert img.format == "JPEG"
            assert img.size == (width, width)
            assert not img.getexif()  # no camera, no place


def test_no_copy_is_larger_than_the_picture():
    assert sorted(covers.smaller_copies(_jpeg(400))) == [160, 320]


def test_srcset_lists_narrowest_first():
    urls = {640: "/c-640.jpg", 160: "/c-160.jpg"}
    assert covers.srcset(urls) == "/c-160.jpg 160w, /c-640.jpg 640w"


def test_store_widths_records_a_key_per_width(tmp_path):
    st = LocalStorage(tmp_path)
    stored = st.save("renditions/image/aa/cover.jpg", io.BytesIO(_jpeg(1400)))
    asset = SimpleNamespace(rendition_key=stored.key, details={"post_image_group": 3})

    keys = renditions.store_widths(asset, st)

    assert sorted(keys) == list(covers.WIDTHS)
    assert renditions.width_keys(asset) == keys
    assert asset.details["post_image_group"] == 3  # other details kept
    for width, key in keys.items():
        with st.open(key) as fh, Image.open(fh) as img:
            assert img.size == (width, width)
    assert sorted(renditions.all_keys(asset)) == sorted(keys.values())


def test_width_keys_ignore_what_is_not_a_width():
    asset = SimpleNamespace(details={"widths": {"160": "a/b.jpg", "x": "c", "320": 5}})
    assert renditions.width_keys(asset) == {160: "a/b.jpg"}
    assert renditions.width_keys(SimpleNamespace(details=None)) == {}


def test_generated_covers_of_the_same_name_are_the_same_picture():
    assert covers.render_cover("Gruppe", "a") == covers.render_cover("Gruppe", "a")
    assert covers.render_cover("Gruppe", "a") != covers.render_cover("Gruppe", "b")


def test_a_name_with_nothing_to_draw_shows_the_short_name_not_an_empty_square():
    with Image.open(io.BytesIO(covers.render_cover("🌈", "regenbogen"))) as img:
        brightest = img.convert("L").getextrema()[1]
    assert brightest > 200  # white letters on the dark colour
