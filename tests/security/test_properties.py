"""Property tests: arbitrary Unicode and arbitrary JSON at every create and
edit endpoint of groups, episodes, posts, chapters and the account.

Whatever is sent: never a 5xx (the suite's conftest also fails on a logged
traceback), every 2xx answer is strict JSON that a GET returns unchanged,
and the group's feeds stay well-formed for podcast apps.
"""

from __future__ import annotations

import json
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mediahub.core.extensions import db
from mediahub.review import services as review

from .input_setup import SLUG, make_team

#: Characters that broke something somewhere once, mixed into arbitrary text.
NASTY = [
    "\x00",
    "\ud800",
    "\udfff",
    "\x1b",
    "\x0b",
    "\ufffe",
    "\uffff",
    "\u202e",
    "a\u0308",
    "]]>",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "&amp;",
    "%00",
    "NaN",
    "1e400",
    "😀",
    "\r\n",
]
# Every code point, lone surrogates included (Hypothesis leaves those out by default).
_chars = st.characters(exclude_categories=())
text = st.lists(st.one_of(st.text(_chars, max_size=12), st.sampled_from(NASTY)), max_size=6).map(
    "".join
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),  # NaN and Infinity included: Flask's test client writes them as such
    text,
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
#: What a form can carry: its bytes are UTF-8, where a lone surrogate (sent
#: as its three bytes) arrives as U+FFFD.
form_text = text.map(lambda s: s.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
#: A title or name: never empty, with arbitrary text in it.
named = text.map(lambda t: f"Titel {t}")
#: For a named field: anything JSON, or text (the type most fields want).
anything = st.one_of(text, json_values)

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def mostly(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nine times in ten a value of the field's type (with hostile text in
    it), else anything: so that most requests get as far as the database."""
    return st.integers(0, 9).flatmap(lambda n: anything if n == 0 else plausible)


def body_of(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Some of ``fields`` with mostly plausible values; now and then unknown
    fields, or a body that is no object at all (a list, a number, null)."""
    known = st.fixed_dictionaries({}, optional={k: mostly(v) for k, v in fields.items()})
    unknown = st.dictionaries(text, anything, max_size=3)
    return st.integers(0, 9).flatmap(
        lambda n: {0: unknown, 1: json_values}.get(n, known)  # type: ignore[arg-type]
    )


def strict_json(resp: Any) -> Any:
    """The answer's JSON, refusing NaN and Infinity as a strict client does."""

    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in an answer")

    return json.loads(resp.get_data(as_text=True), parse_constant=refuse)


def check(resp: Any) -> Any:
    assert resp.status_code < 500, resp.get_data(as_text=True)[:500]
    body = strict_json(resp)
    if resp.status_code >= 400:
        assert body["error"]["code"] and body["error"]["message"]
    return body


def check_feeds(client: Any, slug: str = SLUG) -> None:
    for name in ("podcast.xml", "blog.atom"):
        resp = client.get(f"/feeds/{slug}/{name}")
        body = resp.get_data()
        resp.close()
        if resp.status_code == 404:  # a private group has no public feed
            continue
        assert resp.status_code == 200
        etree.fromstring(body)  # well-formed XML, or this raises
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.bozo_exception


@pytest.fixture
def team(make_user, make_group, api_token):
    return make_team(make_user, make_group, api_token)


@pytest.fixture
def published(team, make_episode, make_post):
    """An episode and a post online, edited by the manager (an editor too)."""
    episode = make_episode(team.group, team.manager, title="Online")
    post = make_post(team.group, team.manager, title="Online")
    for item in (episode, post):
        review.submit(item, team.manager)
        review.approve(item, team.editor)
    db.session.commit()
    return episode, post


flags = st.booleans()
GROUP_FIELDS = {
    "name": named,
    "description": text,
    "language": st.sampled_from(["de", "en", "tr", "pt-BR", "zz"]),
    "category": st.sampled_from(["self-help", "anxiety", "grief"]),
    "visibility": st.sampled_from(["public", "unlisted", "private"]),
    "explicit": flags,
    "funding_url": st.one_of(st.just(""), text.map(lambda t: "https://example.org/" + t)),
}


@SETTINGS
@given(body=body_of({"email": text, "password": text, "label": text}))
def test_logging_in_takes_anything(client, team, body):
    # Not logged in: the first thing anybody on the internet can reach.
    check(client.post("/api/v1/tokens", json=body, headers={"Accept-Language": "en"}))


@SETTINGS
@given(body=body_of(GROUP_FIELDS))
def test_groups_take_anything(client, team, body):
    resp = client.patch(f"/api/v1/groups/{SLUG}", json=body, headers=team.as_manager)
    answer = check(resp)
    slug = SLUG
    if resp.status_code == 200:
        slug = answer["slug"]
        again = check(client.get(f"/api/v1/groups/{slug}", headers=team.as_manager))
        assert again == answer
        # Back to the address the other examples use.
        check(client.patch(f"/api/v1/groups/{slug}", json={"slug": SLUG}, headers=team.as_manager))
    check_feeds(client)


@SETTINGS
@given(
    slug=mostly(st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8})?", fullmatch=True)),
    name=mostly(named),
    rest=body_of(GROUP_FIELDS),
)
def test_new_groups_take_anything(client, team, slug, name, rest):
    body = {**rest, "slug": slug, "name": name} if isinstance(rest, dict) else rest
    resp = client.post("/api/v1/groups", json=body, headers=team.as_admin)
    answer = check(resp)
    if resp.status_code == 201:
        assert (
            check(client.get(f"/api/v1/groups/{answer['slug']}", headers=team.as_admin)) == answer
        )
        check_feeds(client, answer["slug"])


numbers = st.one_of(st.none(), st.integers(-5, 10_005))
EPISODE_FIELDS = {
    "title": named,
    "description": text,
    "content_note": text,
    "episode_type": st.sampled_from(["full", "trailer", "bonus"]),
    "season": numbers,
    "number": numbers,
    "explicit": flags,
}


@SETTINGS
@given(body=body_of(EPISODE_FIELDS))
def test_episodes_take_anything(client, team, published, body):
    episode, _post = published
    resp = client.patch(f"/api/v1/episodes/{episode.id}", json=body, headers=team.as_manager)
    answer = check(resp)
    if resp.status_code == 200:
        again = check(client.get(f"/api/v1/episodes/{episode.id}", headers=team.as_manager))
        assert {k: again[k] for k in answer if k != "actions"} == {
            k: answer[k] for k in answer if k != "actions"
        }
    check_feeds(client)


@SETTINGS
@given(
    fields=st.dictionaries(st.sampled_from(list(EPISODE_FIELDS)), form_text, max_size=5),
    title=form_text,
)
def test_new_episodes_take_any_text(client, team, fields, title):
    # A multipart form, as the app sends it: every value is text.
    resp = client.post(
        f"/api/v1/groups/{SLUG}/episodes",
        data={**fields, "title": title},
        content_type="multipart/form-data",
        headers=team.as_manager,
    )
    answer = check(resp)
    if resp.status_code == 201:
        again = check(client.get(f"/api/v1/episodes/{answer['id']}", headers=team.as_manager))
        assert again["title"] == answer["title"]


POST_FIELDS = {"title": named, "body": text, "content_note": text}


@SETTINGS
@given(
    body=body_of(POST_FIELDS),
    new=st.builds(
        lambda t, b: {**b, "title": t} if isinstance(b, dict) else b,
        mostly(named),
        body_of(POST_FIELDS),
    ),
)
def test_posts_take_anything(client, team, published, body, new):
    _episode, post = published
    resp = client.patch(f"/api/v1/posts/{post.id}", json=body, headers=team.as_manager)
    answer = check(resp)
    if resp.status_code == 200:
        again = check(client.get(f"/api/v1/posts/{post.id}", headers=team.as_manager))
        assert (again["title"], again["body"]) == (answer["title"], answer["body"])
    answer = check(client.post(f"/api/v1/groups/{SLUG}/posts", json=new, headers=team.as_manager))
    check_feeds(client)


# The episode's recording is 12.5 seconds long.
# (NaN, Infinity and huge numbers come through ``mostly``.)
starts = st.one_of(st.floats(0, 12), st.integers(0, 12))
chapter = st.fixed_dictionaries({"start_s": mostly(starts), "title": mostly(named)})
chapters = st.one_of(
    anything,
    st.lists(chapter, max_size=5),
    st.lists(chapter, max_size=5),
    st.builds(
        lambda cs: {"version": "1.2.0", "chapters": cs},
        st.lists(
            st.fixed_dictionaries({"startTime": mostly(starts), "title": mostly(named)}),
            max_size=5,
        ),
    ),
    st.lists(
        st.builds(lambda m, s, t: f"{m}:{s:02d} {t}", st.integers(0, 3), st.integers(0, 59), named)
    ).map("\n".join),
)


@SETTINGS
@given(value=chapters)
def test_chapters_take_anything(client, team, published, value):
    episode, _post = published
    resp = client.put(
        f"/api/v1/episodes/{episode.id}/chapters",
        json={"chapters": value},
        headers=team.as_manager,
    )
    answer = check(resp)
    if resp.status_code == 200:
        again = check(client.get(f"/api/v1/episodes/{episode.id}", headers=team.as_manager))
        assert again["chapters"] == answer["chapters"]
        if answer["chapters"]:
            served = client.get(f"/media/episodes/{episode.guid}.chapters.json")
            assert strict_json(served)["chapters"]
    check_feeds(client)


ACCOUNT_FIELDS = {
    "display_name": named,
    "locale": st.sampled_from(["de", "en", "fr"]),
    "is_credited": flags,
    "email_notifications": flags,
}


@SETTINGS
@given(body=body_of(ACCOUNT_FIELDS))
def test_the_account_takes_anything(client, team, published, body):
    resp = client.patch("/api/v1/users/me", json=body, headers=team.as_manager)
    answer = check(resp)
    if resp.status_code == 200:
        assert check(client.get("/api/v1/users/me", headers=team.as_manager)) == answer
    check_feeds(client)  # the author's name (when credited) is in the feed
