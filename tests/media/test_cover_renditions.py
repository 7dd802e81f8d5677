"""Covers at the few sizes pages show: made once, square, without metadata."""

from __future__ import annotations

import io
from types import SimpleNamespace

from PIL import Image

from mediahub.core.extensions import db
from mediahub.media import covers, renditions
from mediahub.media import services as media_services
from mediahub.storage import current_storage
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


# The copies in the running hub: made on upload, by the worker for pictures
# uploaded before, and removed with their picture.


def _cover(app, who=None):
    from mediahub.media.images import store_cover

    asset = store_cover(io.BytesIO(_jpeg(1500)), uploader=who)
    db.session.commit()
    return asset


def test_an_uploaded_cover_gets_its_copies_at_once(app):
    asset = _cover(app)
    keys = renditions.width_keys(asset)
    assert sorted(keys) == list(covers.WIDTHS)
    st = current_storage()
    for width, key in keys.items():
        with st.open(key) as fh, Image.open(fh) as img:
            assert img.size == (width, width)


def test_the_worker_makes_the_copies_of_covers_uploaded_before(app):
    from mediahub.media.tasks import make_missing_widths

    old = _cover(app)
    old.details = None  # as stored before the copies existed
    post_picture = _cover(app)
    post_picture.details = {"post_image_group": 1}  # not a cover: never copied
    db.session.commit()
    assert renditions.without_widths(10) == [old]
    make_missing_widths.call_local()
    db.session.refresh(old)
    assert sorted(renditions.width_keys(old)) == list(covers.WIDTHS)
    assert renditions.without_widths(10) == []


def test_a_replaced_cover_leaves_no_file_behind(app, make_group, make_user):
    from mediahub.groups.services import set_cover

    manager = make_user()
    group = make_group(members={manager: "manager"})
    set_cover(group, io.BytesIO(_jpeg(1400)), actor=manager)
    db.session.commit()
    first = group.cover
    files = media_services.stored_keys(first)
    assert len(files) == 2 + len(covers.WIDTHS)  # original, rendition, copies
    set_cover(group, io.BytesIO(_jpeg(1600)), actor=manager)
    db.session.commit()
    st = current_storage()
    assert not any(st.exists(key) for key in files)
    assert all(st.exists(key) for key in media_services.stored_keys(group.cover))


def test_a_replaced_episode_picture_leaves_no_file_behind(app, make_group, make_user, make_episode):
    from mediahub.episodes.services import set_image

    author = make_user()
    episode = make_episode(make_group(members={author: "member"}), author, audio=False)
    set_image(episode, author, io.BytesIO(_jpeg(1400)))
    db.session.commit()
    files = media_services.stored_keys(episode.image)
    set_image(episode, author, io.BytesIO(_jpeg(1400)))
    db.session.commit()
    assert not any(current_storage().exists(key) for key in files)


def test_a_rolled_back_replacement_keeps_the_cover(app, make_group, make_user):
    from mediahub.groups.services import set_cover

    manager = make_user()
    group = make_group(members={manager: "manager"})
    set_cover(group, io.BytesIO(_jpeg(1400)), actor=manager)
    db.session.commit()
    files = media_services.stored_keys(group.cover)
    set_cover(group, io.BytesIO(_jpeg(1400)), actor=manager)
    db.session.rollback()
    assert all(current_storage().exists(key) for key in files)


def test_account_deletion_removes_the_copies_of_its_pictures(
    app, make_group, make_user, make_episode
):
    from mediahub.episodes.services import set_image
    from mediahub.mydata.services import delete_account
    from tests.conftest import PASSWORD

    author = make_user()
    episode = make_episode(make_group(members={author: "member"}), author, audio=False)
    set_image(episode, author, io.BytesIO(_jpeg(1400)))
    db.session.commit()
    files = media_services.stored_keys(episode.image)
    assert len(renditions.width_keys(episode.image)) == len(covers.WIDTHS)
    delete_account(author, password=PASSWORD)
    db.session.commit()
    assert not any(current_storage().exists(key) for key in files)
