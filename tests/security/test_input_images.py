"""Decompression bombs: a picture is refused by the size it declares, before
a pixel is decoded, wherever a picture is taken (group cover, episode
picture, blog post pictures; by the API and the web pages alike)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from mediahub.core.extensions import db
from mediahub.media import images
from mediahub.media.models import MediaAsset

from .input_setup import SLUG, make_team


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header declares ``width`` x ``height`` black pixels
    (1 bit each): 10,500 x 10,500 is 13 KB on disk and 110 megapixels decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


BOMBS = {
    "10500x10500": (10_500, 10_500),  # 110 MP: between Pillow's warning and its error
    "7072x7072": (7_072, 7_072),  # 50.01 MP: just above our bound
    "60000000x1": (60_000_000, 1),
    "40000x40000": (40_000, 40_000),  # 1.6 GP: Pillow's own error
}


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {name: png_declaring(*size) for name, size in BOMBS.items()}


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


@pytest.fixture
def decoded(monkeypatch) -> list[tuple[int, int]]:
    """The sizes of the pictures Pillow decoded during the test (none, for a bomb)."""
    sizes: list[tuple[int, int]] = []
    original = ImageFile.ImageFile.load

    def load(self):
        sizes.append(self.size)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


def _refused_undecoded(resp, decoded: list[tuple[int, int]]) -> None:
    assert resp.status_code == 422, resp.get_data(as_text=True)[:500]
    assert decoded == [], f"the picture was decoded: {decoded}"
    assert db.session.scalar(db.select(db.func.count(MediaAsset.id))) == 0


def test_the_bomb_is_small(bombs):
    assert len(bombs["10500x10500"]) < 20_000


@pytest.mark.parametrize("name", list(BOMBS))
def test_api_covers_refuse_bombs(client, team, bombs, decoded, name):
    resp = client.put(
        f"/api/v1/groups/{SLUG}/cover",
        data={"file": (io.BytesIO(bombs[name]), "cover.png")},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    _refused_undecoded(resp, decoded)
    error = resp.get_json()["error"]
    assert "50 megapixels" in error["message"]
    assert error["fields"] == {"file": error["message"]}


@pytest.mark.parametrize("name", ["10500x10500", "60000000x1"])
def test_api_episode_pictures_refuse_bombs(client, team, make_episode, bombs, decoded, name):
    episode = make_episode(team.group, team.manager)
    db.session.delete(episode.audio)
    episode.audio = None
    db.session.commit()
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/image",
        data={"file": (io.BytesIO(bombs[name]), "bild.png")},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    _refused_undecoded(resp, decoded)


@pytest.mark.parametrize("name", ["10500x10500", "7072x7072"])
def test_web_uploads_refuse_bombs(client, team, login, bombs, decoded, name):
    login(team.manager)
    resp = client.post_form(
        f"/groups/{SLUG}/posts/images",
        {"alt": "Ein Bild", "file": (io.BytesIO(bombs[name]), "bild.png")},
        content_type="multipart/form-data",
    )
    _refused_undecoded(resp, decoded)
    assert "50 Megapixel" in resp.get_json()["error"]["message"]

    resp = client.post_form(
        f"/groups/{SLUG}/cover",
        {"file": (io.BytesIO(bombs[name]), "cover.png")},
        content_type="multipart/form-data",
    )
    _refused_undecoded(resp, decoded)
    assert "50 Megapixel" in resp.get_data(as_text=True)


def test_pillow_refuses_what_our_check_would_too():
    # Anything decoding pictures elsewhere gets the same bound, as an error.
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS
    with pytest.raises(images.InvalidInput, match=r"50 [Mm]egapixel"):
        images.square_jpeg(png_declaring(10_500, 10_500))


def test_a_large_real_photo_is_still_taken(client, team):
    photo = io.BytesIO()
    Image.new("RGB", (4000, 3000), (200, 120, 40)).save(photo, "JPEG", quality=80)
    resp = client.put(
        f"/api/v1/groups/{SLUG}/cover",
        data={"file": (io.BytesIO(photo.getvalue()), "foto.jpg")},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["cover_url"]
