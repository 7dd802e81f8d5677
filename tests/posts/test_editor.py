"""The post editor: a sanitised live preview and clean pictures."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mediahub.core.extensions import db
from mediahub.media.models import MediaAsset


@pytest.fixture
def anna(make_user, make_group):
    user = make_user("Anna")
    make_group("trauer", members={user: "member"})
    return user


def test_preview_renders_markdown_and_drops_script(browser, anna):
    web = browser(anna)
    resp = web.post_form(
        "/posts/preview", {"body": "**fett** <script>alert(1)</script> [x](javascript:alert(1))"}
    )
    assert resp.status_code == 200
    html = resp.get_json()["html"]
    assert "<strong>fett</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_preview_needs_login_and_csrf(browser, anonymous, anna):
    assert anonymous.post_form("/posts/preview", {"body": "x"}).status_code == 302
    assert browser(anna).post("/posts/preview", data={"body": "x"}).status_code == 400


def _jpeg_with_gps(size=(3000, 2000)) -> bytes:
    img = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[2] = (52.0, 31.0, 12.0)  # GPSLatitude
    gps[1] = "N"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    return data


def test_picture_loses_its_location_and_is_made_smaller(browser, anonymous, anna):
    web = browser(anna)
    resp = web.post_form(
        "/groups/trauer/posts/images",
        {"file": (io.BytesIO(_jpeg_with_gps()), "urlaub.jpg"), "alt": "Ein blauer Himmel"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    data = resp.get_json()
    assert data["markdown"] == f"![Ein blauer Himmel]({data['url']})"
    # Until a published post shows it, the picture is its uploader's (and editors').
    assert anonymous.get(data["url"]).status_code == 404
    served = web.get(data["url"])
    assert served.status_code == 200
    body = served.data
    served.close()
    img = Image.open(io.BytesIO(body))
    assert img.format == "JPEG"
    assert max(img.size) == 1600
    assert not img.getexif()
    assert b"Phone Maker" not in body
    asset = db.session.get(MediaAsset, int(data["url"].rsplit("/", 1)[1].split("-")[0]))
    assert asset.width == 1600
    # The URL cannot be guessed from the number alone.
    assert anonymous.get(f"/media/images/{asset.id}-0000000000000000.jpg").status_code == 404


def test_transparent_png_stays_png(browser, anna):
    out = io.BytesIO()
    Image.new("RGBA", (100, 80), (0, 0, 0, 0)).save(out, "PNG")
    resp = browser(anna).post_form(
        "/groups/trauer/posts/images",
        {"file": (io.BytesIO(out.getvalue()), "logo.png"), "alt": "Logo"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    assert resp.get_json()["url"].endswith(".png")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"alt": ""}, "alt"),
        ({"alt": "Text", "file": (io.BytesIO(b"GIF89a"), "x.gif")}, "file"),
    ],
)
def test_picture_needs_a_description_and_a_real_image(browser, anna, fields, field):
    resp = browser(anna).post_form(
        "/groups/trauer/posts/images", fields, content_type="multipart/form-data"
    )
    assert resp.status_code == 422
    assert resp.get_json()["error"]["field"] == field


def test_post_form_has_preview_and_picture_elements(browser, anna):
    page = browser(anna).get("/groups/trauer/posts/new").get_data(as_text=True)
    for element in ("post-preview", "post-image-file", "post-image-alt", "post-image-insert"):
        assert f'id="{element}"' in page
