"""Generated covers for groups without artwork."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from mediahub.extensions import db
from mediahub.feeds.artwork import is_generated, render_cover
from mediahub.media.services import storage


def _image(asset: Any) -> Image.Image:
    with storage().open(asset.rendition_key) as fh:
        return Image.open(io.BytesIO(fh.read()))


def test_render_is_a_square_rgb_jpeg_for_apple() -> None:
    img = Image.open(io.BytesIO(render_cover("Ein sehr langer Gruppenname " * 6, "lang")))
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    calm = Image.open(io.BytesIO(render_cover("Gruppe", "ruhig"))).getpixel((5, 5))
    assert max(calm) < 200  # dark enough for white text
    assert render_cover("Gruppe", "a") != render_cover("Gruppe", "b")  # colour per group


def test_a_group_without_cover_gets_one_and_a_new_one_after_renaming(
    make_group: Any, author: Any, make_episode: Any, publish: Any
) -> None:
    from mediahub.groups.services import update_group

    group = make_group("ohne-bild", name="Ohne Bild")
    cover = group.cover
    first_id = cover.id
    assert is_generated(cover)
    img = _image(cover)
    assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (1400, 1400))
    update_group(group, {"name": "Mit neuem Namen"})
    db.session.commit()
    db.session.refresh(group)
    assert group.cover.id != first_id and is_generated(group.cover)
    assert group.cover.details["name"] == "Mit neuem Namen"


def test_an_uploaded_cover_replaces_the_generated_one_for_good(
    make_group: Any, author: Any
) -> None:
    from mediahub.groups.services import set_cover, update_group

    group = make_group()
    set_cover(group, io.BytesIO(render_cover("Hochgeladen", "x")), actor=author)
    db.session.commit()
    uploaded = group.cover_asset_id
    update_group(group, {"name": "Anderer Name"})
    db.session.commit()
    db.session.refresh(group)
    assert group.cover_asset_id == uploaded and not is_generated(group.cover)
