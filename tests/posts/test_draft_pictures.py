"""A picture inserted into a draft post is not reachable without login until
the post is published: its uploader, the group's reviewers and the draft's
author see it while editing; everyone once a published post shows it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from mediahub.core.extensions import db
from mediahub.posts.services import update_post
from tests.conftest import close_every_answer


@pytest.fixture
def people(make_user: Any) -> dict[str, Any]:
    return {name: make_user(name) for name in ("Anna", "Ben", "Edda", "Fremd")}


@pytest.fixture
def group(make_group: Any, people: dict[str, Any]) -> Any:
    return make_group(
        "trauer",
        members={people["Anna"]: "member", people["Ben"]: "member", people["Edda"]: "editor"},
    )


def _upload(browser: Any, who: Any, slug: str = "trauer") -> str:
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(png, "PNG")
    resp = browser(who).post_form(
        f"/groups/{slug}/posts/images",
        {"file": (io.BytesIO(png.getvalue()), "bild.png"), "alt": "Ein Bild"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    return resp.get_json()["url"]


def _status(client: Any, url: str) -> int:
    resp = client.get(url)
    resp.close()
    return resp.status_code


def _viewers(browser: Any, anonymous: Any, people: dict[str, Any]) -> dict[str, Any]:
    seen = {name: close_every_answer(browser(user)) for name, user in people.items()}
    return {"anonymous": close_every_answer(anonymous), **seen}


def test_a_draft_posts_picture_is_for_its_author_and_editors_only(
    browser: Any, anonymous: Any, people: dict[str, Any], group: Any, make_post: Any
) -> None:
    url = _upload(browser, people["Anna"])
    make_post(group, people["Anna"], body=f"Ein Tag am Meer.\n\n![Ein Bild]({url})")
    viewers = _viewers(browser, anonymous, people)
    seen = {name: _status(client, url) for name, client in viewers.items()}
    assert seen == {"anonymous": 404, "Anna": 200, "Ben": 404, "Edda": 200, "Fremd": 404}
    resp = viewers["Anna"].get(url)
    assert "private" in resp.headers["Cache-Control"]  # never in a shared cache


def test_a_picture_is_public_once_its_post_is_published_and_not_after_unpublishing(
    browser: Any, anonymous: Any, people: dict[str, Any], group: Any, make_post: Any
) -> None:
    from mediahub.review import services as review

    url = _upload(browser, people["Anna"])
    post = make_post(group, people["Anna"], body=f"![Ein Bild]({url})")
    review.submit(post, people["Anna"])
    assert _status(close_every_answer(anonymous), url) == 404  # in review: not yet
    review.approve(post, people["Edda"])
    db.session.commit()
    resp = close_every_answer(anonymous).get(url)
    assert resp.status_code == 200
    assert "public" in resp.headers["Cache-Control"]
    review.unpublish(post, people["Edda"])
    db.session.commit()
    assert _status(close_every_answer(anonymous), url) == 404


def test_a_reader_of_a_draft_sees_its_pictures_even_when_another_member_uploaded_them(
    browser: Any, anonymous: Any, people: dict[str, Any], group: Any, make_post: Any
) -> None:
    url = _upload(browser, people["Ben"])
    post = make_post(group, people["Anna"], body="Noch ohne Bild")
    assert _status(close_every_answer(browser(people["Anna"])), url) == 404
    update_post(post, people["Anna"], {"body": f"Jetzt mit Bild: ![Bild]({url})"})
    db.session.commit()
    assert _status(close_every_answer(browser(people["Anna"])), url) == 200
    assert _status(close_every_answer(anonymous), url) == 404


def test_naming_a_picture_in_another_groups_post_does_not_publish_it(
    browser: Any,
    anonymous: Any,
    people: dict[str, Any],
    group: Any,
    make_group: Any,
    make_post: Any,
) -> None:
    from mediahub.review import services as review

    url = _upload(browser, people["Anna"])
    other = make_group("anders", members={people["Fremd"]: "manager"})
    post = make_post(other, people["Fremd"], body=f"![geklaut]({url})")
    review.submit(post, people["Fremd"])
    review.approve(post, people["Fremd"])
    db.session.commit()
    assert post.is_public
    assert _status(close_every_answer(anonymous), url) == 404


def test_a_picture_no_post_shows_is_for_its_uploader_only(
    browser: Any, anonymous: Any, people: dict[str, Any], group: Any
) -> None:
    url = _upload(browser, people["Anna"])
    seen = {n: _status(c, url) for n, c in _viewers(browser, anonymous, people).items()}
    # The group's editors may see every picture of the group's posts.
    assert seen == {"anonymous": 404, "Anna": 200, "Ben": 404, "Edda": 200, "Fremd": 404}
