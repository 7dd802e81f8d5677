"""Groups and memberships through the JSON API."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mediahub.core.extensions import db


@pytest.fixture
def admin_headers(make_user, api_token):
    return api_token(make_user("Admin", hub_role="admin"))


def test_admin_creates_group_with_absolute_urls(client, admin_headers):
    resp = client.post(
        "/api/v1/groups",
        headers=admin_headers,
        json={
            "slug": "trauer-hh",
            "name": "Trauer Hamburg",
            "language": "de",
            "category": "grief",
            "visibility": "public",
            "explicit": False,
        },
    )
    assert resp.status_code == 201
    group = resp.get_json()
    assert group["page_url"] == "http://hub.test/groups/trauer-hh/"
    assert group["feed_url"] == "http://hub.test/feeds/trauer-hh/podcast.xml"
    assert group["blog_feed_url"] == "http://hub.test/feeds/trauer-hh/blog.atom"
    assert client.get("/api/v1/groups/trauer-hh").get_json()["name"] == "Trauer Hamburg"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": "No slug"}, 422, "slug"),
        ({"slug": "ok-slug"}, 422, "name"),
        ({"slug": "Bad Slug!", "name": "x"}, 422, "slug"),
        ({"slug": "ok", "name": "x" * 121}, 422, "name"),
        ({"slug": "ok", "name": "x", "language": "xx-nonsense"}, 422, "language"),
        ({"slug": "ok", "name": "x", "category": "astrology"}, 422, "category"),
        ({"slug": "ok", "name": "x", "visibility": "secret"}, 422, "visibility"),
        ({"slug": "ok", "name": "x", "funding_url": "javascript:alert(1)"}, 422, "funding_url"),
        ({"slug": "ok", "name": "x", "colour": "red"}, 422, "colour"),
    ],
)
def test_bad_group_input_names_the_field(client, admin_headers, body, status, field):
    resp = client.post("/api/v1/groups", headers=admin_headers, json=body)
    assert resp.status_code == status
    error = resp.get_json()["error"]
    assert field in error["fields"]
    assert error["message"]
    assert client.get("/api/v1/groups", headers=admin_headers).get_json() == []


def test_duplicate_slug_is_a_conflict(client, admin_headers, make_group):
    make_group("taken")
    resp = client.post("/api/v1/groups", headers=admin_headers, json={"slug": "taken", "name": "x"})
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "duplicate"


def test_malformed_json_and_wrong_content_type(client, admin_headers):
    resp = client.post(
        "/api/v1/groups",
        headers={**admin_headers, "Content-Type": "application/json"},
        data=b'{"slug": ',
    )
    assert resp.status_code == 400
    assert "error" in resp.get_json()
    resp = client.post(
        "/api/v1/groups", headers={**admin_headers, "Content-Type": "text/plain"}, data=b"slug=x"
    )
    assert resp.status_code == 415
    assert resp.get_json()["error"]["code"] == "unsupported_media_type"


def test_unknown_route_and_method_answer_json(client):
    assert client.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
    resp = client.delete("/api/v1/groups")
    assert resp.status_code == 405
    assert resp.get_json()["error"]["code"] == "method_not_allowed"


def test_only_admins_create_groups(client, make_user, api_token):
    resp = client.post(
        "/api/v1/groups", headers=api_token(make_user()), json={"slug": "mine", "name": "Mine"}
    )
    assert resp.status_code == 403
    assert client.post("/api/v1/groups", json={"slug": "x", "name": "y"}).status_code == 401


def test_invalid_token_is_401_with_challenge(client):
    resp = client.get("/api/v1/users/me", headers={"Authorization": "Bearer mh_nope"})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"] == "Bearer"


def test_private_group_is_invisible_to_outsiders(client, make_user, make_group, api_token):
    member, outsider = make_user(), make_user()
    make_group("secret", visibility="private", members={member: "member"})
    make_group("open")
    assert client.get("/api/v1/groups/secret").status_code == 404
    assert client.get("/api/v1/groups/secret", headers=api_token(outsider)).status_code == 404
    slugs = [g["slug"] for g in client.get("/api/v1/groups", headers=api_token(outsider)).json]
    assert slugs == ["open"]
    resp = client.get("/api/v1/groups/secret", headers=api_token(member))
    assert resp.status_code == 200
    assert resp.get_json()["role"] == "member"


def test_manager_edits_settings_member_may_not(client, make_user, make_group, api_token):
    manager, member = make_user(), make_user()
    make_group("gx", members={manager: "manager", member: "member"})
    resp = client.patch("/api/v1/groups/gx", headers=api_token(member), json={"name": "Hijacked"})
    assert resp.status_code == 403
    resp = client.patch(
        "/api/v1/groups/gx",
        headers=api_token(manager),
        json={"name": "Neuer Name", "visibility": "unlisted"},
    )
    assert resp.status_code == 200
    assert resp.get_json()["name"] == "Neuer Name"
    assert resp.get_json()["visibility"] == "unlisted"


def test_members_add_change_remove(client, make_user, make_group, api_token):
    manager, person = make_user(), make_user("Kim")
    make_group("gx", members={manager: "manager"})
    headers = api_token(manager)
    resp = client.post(
        "/api/v1/groups/gx/members",
        headers=headers,
        json={"email": person.email.upper(), "role": "editor"},
    )
    assert resp.status_code == 201
    assert resp.get_json()["role"] == "editor"
    resp = client.post(
        "/api/v1/groups/gx/members", headers=headers, json={"email": person.email, "role": "member"}
    )
    listing = client.get("/api/v1/groups/gx/members", headers=headers).get_json()
    assert {(m["display_name"], m["role"]) for m in listing} == {
        ("Kim", "member"),
        (manager.display_name, "manager"),
    }
    resp = client.post(
        "/api/v1/groups/gx/members",
        headers={**headers, "Accept-Language": "en"},
        json={"email": "nobody@example.org", "role": "member"},
    )
    assert resp.status_code == 404
    assert "no account" in resp.get_json()["error"]["message"]
    german = client.post(
        "/api/v1/groups/gx/members",
        headers=headers,
        json={"email": "nobody@example.org", "role": "member"},
    )
    assert "kein Konto" in german.get_json()["error"]["message"]
    resp = client.post(
        "/api/v1/groups/gx/members", headers=headers, json={"email": person.email, "role": "owner"}
    )
    assert resp.status_code == 422
    assert (
        client.delete(f"/api/v1/groups/gx/members/{person.id}", headers=headers).status_code == 204
    )
    assert len(client.get("/api/v1/groups/gx/members", headers=headers).get_json()) == 1


def _image(fmt: str, size: tuple[int, int], exif: bool = False) -> io.BytesIO:
    img = Image.new("RGB", size, (200, 40, 90))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        ex = Image.Exif()
        ex[0x010F] = "SecretPhone Maker"  # Make
        ex[0x0110] = "Model X"  # Model
        kwargs["exif"] = ex.tobytes()
    img.save(out, fmt, **kwargs)
    out.seek(0)
    return out


def test_cover_is_square_podcast_sized_and_clean(client, make_user, make_group, api_token):
    manager = make_user()
    make_group("gx", members={manager: "manager"})
    before = client.get("/api/v1/groups/gx", headers=api_token(manager)).get_json()
    assert before["cover_url"] is None  # nothing uploaded: the generated artwork is shown
    generated = client.get(before["artwork_url"].removeprefix("http://hub.test"))
    assert generated.status_code == 200 and generated.mimetype == "image/jpeg"
    generated.close()
    resp = client.put(
        "/api/v1/groups/gx/cover",
        headers=api_token(manager),
        data={"file": (_image("JPEG", (1000, 700), exif=True), "me.jpg")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.get_json()
    url = resp.get_json()["cover_url"]
    assert url.startswith("http://hub.test/media/groups/gx/cover-")
    assert resp.get_json()["artwork_url"] == url
    image_resp = client.get(url.removeprefix("http://hub.test"))
    assert image_resp.status_code == 200
    data = image_resp.data
    image_resp.close()
    img = Image.open(io.BytesIO(data))
    assert img.format == "JPEG"
    assert img.mode == "RGB"
    assert img.size == (1400, 1400)
    assert not img.getexif()


def test_cover_rejects_non_images(client, make_user, make_group, api_token):
    manager = make_user()
    group = make_group("gx", members={manager: "manager"})
    resp = client.put(
        "/api/v1/groups/gx/cover",
        headers=api_token(manager),
        data={"file": (io.BytesIO(b"%PDF-1.4 not an image"), "x.jpg")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "Bild" in resp.get_json()["error"]["message"]
    db.session.refresh(group)
    assert group.cover is None
